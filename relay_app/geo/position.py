"""A place typed as text ("14.69,-17.44"): read strictly, and checked to lie on the globe.

Latitude first, as phones and GPS units show it, in decimal degrees with a point: what a person
copies from a map. Only plain decimals are read (``float`` alone would take "nan", "inf" or
"1_0"), so a typo is refused rather than turned into a place somewhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relay_app.i18n import _

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float


class PositionError(ValueError):
    """A place that cannot be read, or lies off the globe; the message is one translated line."""


def parse_position(text: str) -> Position:
    """``"LAT,LON"`` (spaces around either number allowed) as a ``Position`` on the globe."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(_DECIMAL.fullmatch(part) for part in parts):
        raise PositionError(
            _("“{text}” is not a place: write its latitude and longitude in decimal degrees, "
              "separated by a comma, like 14.69,-17.44.").format(text=text.strip())
        )
    latitude, longitude = float(parts[0]), float(parts[1])
    # The numbers are quoted as typed: rounded, 90.00001 would read as a latitude that passes.
    if not -90.0 <= latitude <= 90.0:
        raise PositionError(
            _("Latitude {value} is off the globe: a latitude lies between -90 and 90 degrees.")
            .format(value=parts[0])
        )
    if not -180.0 <= longitude <= 180.0:
        raise PositionError(
            _("Longitude {value} is off the globe: a longitude lies between -180 and 180 degrees.")
            .format(value=parts[1])
        )
    return Position(latitude, longitude)
