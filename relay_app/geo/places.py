"""Words for a place of the map: its country in the reader's language, and its position."""

from __future__ import annotations

from relay_app.formatting import format_decimal
from relay_app.geo.projection import unproject
from relay_app.geo.world import load_world
from relay_app.i18n import _


def place_text(x: float, y: float) -> str:
    """"Senegal — 14.693, -17.447" for a plane point; the position alone at sea, nothing off
    the world."""
    place = unproject(x, y)
    if place is None:
        return ""
    longitude, latitude = place
    position = _("{latitude}, {longitude}").format(
        latitude=format_decimal(latitude, 3), longitude=format_decimal(longitude, 3))
    country = load_world().country_at(x, y)
    if country is None:
        return position
    return _("{country} — {position}").format(country=country.name(), position=position)
