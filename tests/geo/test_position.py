"""A place typed as "LAT,LON": what is read, and what is refused before any search."""

from __future__ import annotations

import pytest

from relay_app.geo.position import Position, PositionError, parse_position


@pytest.mark.parametrize(("typed", "place"), [
    ("14.69,-17.44", Position(14.69, -17.44)),
    (" 14.69 , -17.44 ", Position(14.69, -17.44)),
    ("+14,-17", Position(14.0, -17.0)),
    ("-.5,3.", Position(-0.5, 3.0)),
    ("90,180", Position(90.0, 180.0)),  # the edges of the globe are on it
    ("-90,-180", Position(-90.0, -180.0)),
])
def test_reads_a_place(typed: str, place: Position) -> None:
    assert parse_position(typed) == place


@pytest.mark.parametrize("typed", [
    "", "14.69", "14.69,", "14.69 -17.44", "14.69;-17.44", "14,69,-17,44", "1e1,0", "nan,0",
    "0,inf", "1_0,0", "14.69°,-17.44", "N14.69,W17.44", "--1,0",
])
def test_refuses_what_is_not_a_place(typed: str) -> None:
    with pytest.raises(PositionError, match="is not a place"):
        parse_position(typed)


@pytest.mark.parametrize(("typed", "message"), [
    ("90.0001,0", "Latitude 90.0001 is off the globe"),
    ("-91,0", "Latitude -91 is off the globe"),
    ("0,180.5", "Longitude 180.5 is off the globe"),
    ("0,-360", "Longitude -360 is off the globe"),
])
def test_refuses_a_place_off_the_globe(typed: str, message: str) -> None:
    with pytest.raises(PositionError, match=message):
        parse_position(typed)
