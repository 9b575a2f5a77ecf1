"""Read a latitude/longitude pair pasted from a map, a GPS app or a spreadsheet."""

from __future__ import annotations

import re

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_DECIMAL_PAIR = re.compile(rf"^\s*\(?\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*\)?\s*$")
_DMS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*°\s*(?:(\d+(?:[.,]\d+)?)\s*['′]\s*)?(?:(\d+(?:[.,]\d+)?)\s*(?:\"|″|'')\s*)?"
    r"([NSEW])",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from "14.69, -17.44" or "14°41'N 17°26'W"; None when unreadable."""
    text = text.strip()
    if not text:
        return None
    # With a comma between the two numbers, decimals are written with points; "14.69 -17.44" too.
    pair = _DECIMAL_PAIR.match(text) if text.count(",") <= 1 or ";" in text else None
    if pair is None and text.count(",") == 3:
        # "14,69, -17,44": decimal commas and a comma between them
        parts = [part.strip() for part in text.split(",")]
        text = f"{parts[0]}.{parts[1]} {parts[2]}.{parts[3]}"
        pair = _DECIMAL_PAIR.match(text)
    if pair is not None:
        latitude, longitude = _number(pair.group(1)), _number(pair.group(2))
    else:
        found = _DMS.findall(text)
        if len(found) != 2:
            return None
        values: dict[str, float] = {}
        for degrees, minutes, seconds, hemisphere in found:
            value = _number(degrees) + _number(minutes or "0") / 60 + _number(seconds or "0") / 3600
            axis = "lat" if hemisphere.upper() in "NS" else "lon"
            values[axis] = -value if hemisphere.upper() in "SW" else value
        if set(values) != {"lat", "lon"}:
            return None
        latitude, longitude = values["lat"], values["lon"]
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return round(latitude, 6), round(longitude, 6)
