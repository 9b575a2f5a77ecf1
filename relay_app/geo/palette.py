"""Marker colours: one per code of the list that colours a kind (colleges, practice categories).

Hex strings, so the window, the PNG and the SVG exports show the same colour for the same code.
The first colours are Okabe and Ito's, told apart by people with the common colour-vision
deficiencies; the seven colleges all get one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from relay_app import codelists

_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D00",
    "#332288", "#117733", "#882255", "#44AA99", "#AA4499", "#999933", "#661100",
)
OTHER = "#6E6E6E"  # a code not in the list (a newer version's), or none


@dataclass(frozen=True)
class LegendEntry:
    code: str
    label: str
    colour: str


def colours(codelist: str) -> dict[str, str]:
    codes = [code for code, _label in codelists.get(codelist).choices()]  # the list's own order
    return {code: _COLOURS[index % len(_COLOURS)] for index, code in enumerate(codes)}


def colour_of(codelist: str, code: str) -> str:
    return colours(codelist).get(code, OTHER)


def legend(codelist: str, present: set[str] | None = None) -> list[LegendEntry]:
    """The list's codes with their colours and labels in the current language; only those in
    ``present`` when given (a legend names what the map shows)."""
    chosen = colours(codelist)
    labels = dict(codelists.get(codelist).choices())
    return [
        LegendEntry(code, labels.get(code, code), colour)
        for code, colour in chosen.items()
        if present is None or code in present
    ]
