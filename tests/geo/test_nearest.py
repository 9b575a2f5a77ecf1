"""Great-circle distances against known figures, and the k-d tree against a plain scan."""

from __future__ import annotations

import random

import pytest

from relay_app.geo.nearest import NearestIndex, great_circle_km

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)
DAKAR = (14.6928, -17.4467)
THIES = (14.7910, -16.9359)
NAIROBI = (-1.2864, 36.8172)


def test_distances_between_known_cities() -> None:
    # Haversine on a sphere of 6371.0088 km; references computed independently by hand.
    assert great_circle_km(*PARIS, *LONDON) == pytest.approx(343.56, abs=0.05)
    assert great_circle_km(*DAKAR, *THIES) == pytest.approx(56.00, abs=0.05)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(20015.1, abs=0.1)  # half the equator
    assert great_circle_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.1)  # across 180°
    assert great_circle_km(*PARIS, *PARIS) == 0.0


def test_nearest_first_with_their_distances() -> None:
    index = NearestIndex([("london", *LONDON), ("dakar", *DAKAR), ("thies", *THIES),
                          ("nairobi", *NAIROBI), ("paris", *PARIS)])
    found = index.nearest(*DAKAR, limit=3, exclude=frozenset({"dakar"}))
    assert [neighbour.key for neighbour in found] == ["thies", "paris", "london"]
    assert found[0].distance_km == pytest.approx(great_circle_km(*DAKAR, *THIES))
    assert found[1].distance_km == pytest.approx(great_circle_km(*DAKAR, *PARIS))
    assert index.nearest(*DAKAR, limit=0) == []
    assert len(index.nearest(*DAKAR, limit=50)) == 5


def test_the_tree_finds_what_a_full_scan_finds() -> None:
    rnd = random.Random(7)
    places = [(str(n), rnd.uniform(-89, 89), rnd.uniform(-180, 180)) for n in range(3000)]
    index = NearestIndex(places)
    for _query in range(40):
        lat, lon = rnd.uniform(-89, 89), rnd.choice([rnd.uniform(-180, 180), 179.99, -179.99])
        scanned = sorted((great_circle_km(lat, lon, plat, plon), key) for key, plat, plon in places)[:10]
        found = index.nearest(lat, lon, 10)
        assert [neighbour.key for neighbour in found] == [key for _distance, key in scanned]
        assert [neighbour.distance_km for neighbour in found] == pytest.approx(
            [distance for distance, _key in scanned])


def test_an_empty_index_finds_nothing() -> None:
    assert NearestIndex([]).nearest(0, 0, 5) == []
