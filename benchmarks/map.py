"""The map with 20,000 partners, timed as a person waits (run by hand).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/map.py [--partners 20000] [--steps 40]
                                                                  [--data-dir DIR]

A real SQLite store in a fresh temporary data dir (or --data-dir), filled with ``import_rows``:
partners around 300 towns of every continent (5% of them without a position, and some at their
town's very centre, as geocoding by town gives). The real main window on the offscreen platform.
Prints:

- first paint of the map: Ctrl+6 pressed (the map never shown before in this process, so the
  bundled world is read too) until the markers are painted;
- a zoom step (+ key) and a pan step (arrow key), each with the synchronous repaint of the view
  that follows it: p50/p95/max, once right after the first paint (zoom levels still being
  prepared while the window is idle) and once they are all prepared;
- nearest 10 partners among them, through the service (``MapService.nearest_partners``: the
  first call builds the k-d tree), again with the table's fingerprint read at every call (as
  when another program may have written), and the k-d tree's query alone.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latencies import describe  # benchmarks/latencies.py, beside this script
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.transfer import SourceRow

COLLEGES = ("states_local_authorities", "international_organisations", "donors_foundations",
            "farmers_foresters_organisations", "research_education", "civil_society_ngos",
            "private_companies")
# Regions people live in (latitude and longitude boxes), weighted by how many towns to draw there.
REGIONS = (
    ((4, 16), (-18, 10), 70, "SN"),  # West Africa
    ((-15, 5), (28, 42), 40, "KE"),  # East Africa
    ((36, 55), (-9, 25), 60, "FR"),  # Europe
    ((-35, 5), (-75, -35), 40, "BR"),  # South America
    ((8, 30), (70, 90), 40, "IN"),  # South Asia
    ((25, 48), (-120, -75), 25, "US"),  # North America
    ((-38, -15), (115, 150), 10, "AU"),  # Australia
    ((-8, 20), (95, 125), 15, "ID"),  # South-East Asia
)


def towns(rng: random.Random) -> list[tuple[float, float, str]]:
    found = []
    for (south, north), (west, east), count, country in REGIONS:
        found.extend((rng.uniform(south, north), rng.uniform(west, east), country) for _n in range(count))
    return found


def fill(services: Services, count: int, rng: random.Random) -> None:
    if services.records("partners").count() >= count:
        return  # a data dir given again
    started = time.perf_counter()
    places = towns(rng)
    rows = []
    for number in range(count):
        latitude, longitude, country = rng.choice(places)
        values: dict[str, object] = {
            "name": f"Partner {number}", "kind": "member", "college": rng.choice(COLLEGES),
            "country": country, "city": f"Town {number % 300}", "email": f"p{number}@example.org",
            "phone": f"+221 77 {number:05d}",
        }
        draw = rng.random()
        if draw >= 0.05:  # 5% have no position
            if draw > 0.2:  # most spread around their town; the others at its very centre
                latitude += rng.gauss(0, 0.3)
                longitude += rng.gauss(0, 0.3)
            values["latitude"] = round(max(-89.9, min(89.9, latitude)), 5)
            values["longitude"] = round(max(-179.9, min(179.9, longitude)), 5)
        rows.append(SourceRow(number + 2, values))
    report = services.import_rows("partners", rows)
    if report.errors:
        sys.exit(f"could not build the data set: {report.errors[:3]}")
    print(f"created {report.created:,} partners in {time.perf_counter() - started:.1f} s")


def steps(view, app: QApplication, count: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Zoom in ``count`` steps with a pan after each, then out again: each step with its repaint."""
    zooms: list[float] = []
    pans: list[float] = []
    arrows = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up)
    for number in range(2 * count):
        key = Qt.Key.Key_Plus if number < count else Qt.Key.Key_Minus
        started = time.perf_counter()
        QTest.keyClick(view, key)
        view.viewport().repaint()
        zooms.append((time.perf_counter() - started) * 1000)
        app.processEvents()
        started = time.perf_counter()
        QTest.keyClick(view, arrows[number % 4])
        view.viewport().repaint()
        pans.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    return zooms, pans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=40, help="zoom steps in (and as many out)")
    parser.add_argument("--data-dir")
    arguments = parser.parse_args()
    data_dir = Path(arguments.data_dir or tempfile.mkdtemp(prefix="relay-map-bench-"))
    rng = random.Random(20261130)
    app = QApplication([])
    from relay_app.geo.projection import project
    from relay_app.ui.main_window import MainWindow
    from relay_app.ui.map import view as map_view

    # A key's step glides over several frames in the app; here it is taken in one frame, so a
    # step's time is the whole of its drawing (the worst frame a glide can have).
    map_view.GLIDE_MS = 0
    from relay_app.ui.operations import wait_for_writer

    with open_services(resolve_paths(data_dir)) as services:
        fill(services, arguments.partners, rng)
        window = MainWindow(services)
        window.show_view("partners")
        window.resize(1200, 760)
        window.show()
        QTest.qWaitForWindowExposed(window)
        page = window.map_page
        started = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        while page.content is None:
            app.processEvents()
        page.view.viewport().repaint()
        first_paint = (time.perf_counter() - started) * 1000
        assert page.view.markers.drawn, "no marker was drawn"
        print(f"first paint of the map: {first_paint:.0f} ms "
              f"({len(page.content.index):,} placed, {page.content.unplaced:,} without position, "
              f"{len(page.view.markers.drawn)} markers drawn)")

        view = page.view
        view.setFocus()
        view.center_on_place(14.7, -17.4)  # Dakar: the densest region
        zooms, pans = steps(view, app, arguments.steps)
        print(f"zoom step, levels being prepared: {describe(zooms)}")
        print(f"pan step, levels being prepared:  {describe(pans)}")
        while page._levels_to_prepare:  # the idle-time preparation of every level
            app.processEvents()
        view.reset_view()
        view.center_on_place(48.8, 2.3)  # Paris
        zooms, pans = steps(view, app, arguments.steps)
        print(f"zoom step, levels prepared: {describe(zooms)}")
        print(f"pan step, levels prepared:  {describe(pans)}")

        ids = [point.id for point in page.content.index.points]
        chosen = rng.sample(ids, 51)
        started = time.perf_counter()
        services.map.nearest_partners(chosen[0], 10)
        print(f"nearest 10, first call (reads positions, builds the k-d tree): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")
        timings = []
        for partner_id in chosen[1:]:
            started = time.perf_counter()
            found = services.map.nearest_partners(partner_id, 10)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(found) == 10
        print(f"nearest 10 among {len(ids):,} through the service: {describe(timings)}")
        from relay_app.services import mapping

        mapping.RECHECK_SECONDS = 0.0  # as when another program may have written meanwhile
        timings = []
        for partner_id in chosen[1:]:
            started = time.perf_counter()
            services.map.nearest_partners(partner_id, 10)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"nearest 10, the table's fingerprint read again each time: {describe(timings)}")
        index = services.map._partner_index()
        query = []
        for partner_id in chosen[1:]:
            point = page.content.index.point(partner_id)
            assert point is not None
            started = time.perf_counter()
            index.nearest(point.latitude, point.longitude, 10, frozenset({partner_id}))
            query.append((time.perf_counter() - started) * 1000)
        print(f"nearest 10, the k-d tree's query alone: {describe(query)}")
        assert project(0, 0) == (0.0, 0.0)
        wait_for_writer()
        window.close()


if __name__ == "__main__":
    main()
