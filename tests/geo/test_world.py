"""The bundled world map: small, complete, inside the world, named in the reader's language."""

from __future__ import annotations

from relay_app.geo.projection import HALF_HEIGHT, HALF_WIDTH, project, unproject
from relay_app.geo.world import World, load_world, world_file
from relay_app.i18n import set_language


def test_the_bundled_file_is_small_and_says_where_it_comes_from() -> None:
    assert world_file().stat().st_size < 1_500_000
    world = load_world()
    assert "Natural Earth" in world.source and "5.1.1" in world.source
    assert "public domain" in world.licence
    readme = (world_file().parent / "README.md").read_text(encoding="utf-8")
    assert "5.1.1" in readme and "build_world.py" in readme and "public domain" in readme


def test_every_country_partners_live_in_is_drawn() -> None:
    codes = {country.iso for country in load_world().countries}
    # France and Norway have no ISO_A2 in Natural Earth (-99): ISO_A2_EH gives them theirs.
    assert {"FR", "NO", "SN", "BR", "IN", "KE", "PE", "FJ", "TV"} <= codes
    assert len(codes) > 230


def test_every_point_is_inside_the_world_and_projected_where_it_belongs() -> None:
    for country in load_world().countries:
        left, top, right, bottom = country.bounds
        assert -HALF_WIDTH - 0.1 <= left <= right <= HALF_WIDTH + 0.1
        assert -HALF_HEIGHT - 0.1 <= top <= bottom <= HALF_HEIGHT + 0.1
        for ring in country.plane_rings:
            assert len(ring) >= 3
            for x, y in ring:
                # On the world's curved edge (the 180th meridian), within the quantum of it.
                assert unproject(x * 0.999, y * 0.999) is not None
    # Senegal's outline holds Dakar (within the quantum of about 1 km).
    senegal = next(country for country in load_world().countries if country.iso == "SN")
    dakar_x, dakar_y = project(-17.4467, 14.6928)
    left, top, right, bottom = senegal.bounds
    assert left - 0.05 <= dakar_x <= right and top <= dakar_y <= bottom


def test_country_names_follow_the_interface_language() -> None:
    by_code = {country.iso: country for country in load_world().countries}
    unnamed = next(country for country in load_world().countries if not country.iso)
    set_language("fr")
    assert by_code["SN"].name() == "Sénégal"
    assert by_code["DE"].name() == "Allemagne"
    assert unnamed.name() == unnamed.names["fr"]
    set_language("es")
    assert by_code["DE"].name() == "Alemania"
    set_language("en")
    assert by_code["DE"].name() == "Germany"
    assert unnamed.name() == unnamed.names["en"]


def test_the_country_under_a_point() -> None:
    world = load_world()
    assert world.country_at(*project(-17.0, 14.5)).iso == "SN"  # type: ignore[union-attr]
    assert world.country_at(*project(2.35, 48.86)).iso == "FR"  # type: ignore[union-attr]
    assert world.country_at(*project(-30.0, 0.0)) is None  # mid-Atlantic
    # The Gambia lies inside Senegal's bounds: a point in it is The Gambia's, whatever the order.
    banjul_side = project(-15.6, 13.45)
    assert world.country_at(*banjul_side).iso == "GM"  # type: ignore[union-attr]
    senegal = next(country for country in world.countries if country.iso == "SN")
    only_senegal = World(world.source, world.licence, (senegal,))
    assert only_senegal.country_at(*banjul_side) is None
    set_language("fr")
    assert world.country_at(*project(-17.0, 14.5)).name() == "Sénégal"  # type: ignore[union-attr]


def test_names_sit_inside_their_country() -> None:
    world = load_world()
    placed = [country for country in world.countries if country.label is not None]
    assert len(placed) > 240
    inside = [country for country in placed if world.country_at(*country.label) is country]  # type: ignore[misc]
    assert len(inside) / len(placed) > 0.9  # the rest: tiny islands, under the quantum
    senegal = next(country for country in world.countries if country.iso == "SN")
    assert world.country_at(*senegal.label) is senegal  # type: ignore[misc]
