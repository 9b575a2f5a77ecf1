"""`relay-app partners nearest` (a partner or a place), `map export` and `practices by-area`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relay_app import codelists
from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_json, render_table
from relay_app.config import Paths
from relay_app.formatting import format_integer, format_quantity
from relay_app.geo.areas import area_words
from relay_app.geo.content import KINDS
from relay_app.geo.position import Position, PositionError, parse_position
from relay_app.i18n import _, ngettext

MakeParser = Callable[[Any, str, str], argparse.ArgumentParser]
DEFAULT_WIDTH = 1600


def register(
    commands: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> None:
    partners = make_parser(commands, "partners", _("partners near each other"))
    partner_actions = partners.add_subparsers(dest="action", metavar="ACTION", required=True)
    nearest = make_parser(partner_actions, "nearest",
                          _("the partners nearest to one partner or to a place, by great-circle distance"))
    origin = nearest.add_mutually_exclusive_group(required=True)
    origin.add_argument("partner", metavar="PARTNER_ID", nargs="?", help=_("the partner's id"))
    origin.add_argument("--at", metavar="LAT,LON",
                        help=_("a place instead of a partner, in decimal degrees: --at 14.69,-17.44 "
                               "(--at=-33.92,18.42 when the latitude is negative)"))
    nearest.add_argument("--limit", type=int, default=10, metavar="N",
                         help=_("how many (default: 10)"))
    json_flag(nearest)
    nearest.set_defaults(handler=show_nearest)

    map_group = make_parser(commands, "map", _("the world map of partners or practices"))
    map_actions = map_group.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = make_parser(map_actions, "export", _("save the map as a PNG or SVG picture, with its legend"))
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help=_("the file to write: .png or .svg"))
    export.add_argument("--kind", choices=KINDS, default="partners",
                        help=_("what to show (default: partners)"))
    export.add_argument("--width", type=int, default=DEFAULT_WIDTH, metavar="PIXELS",
                        help=_("the picture's width (default: {width})").format(width=DEFAULT_WIDTH))
    export.set_defaults(handler=export_map_file)

    practices = make_parser(commands, "practices", _("practices by agro-pedo-climatic area"))
    practice_actions = practices.add_subparsers(dest="action", metavar="ACTION", required=True)
    by_area = make_parser(practice_actions, "by-area",
                          _("practices by climate zone, soil group and land use, with their SOC change"))
    json_flag(by_area)
    by_area.set_defaults(handler=show_by_area)


def show_nearest(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    if args.limit < 1:
        raise CliError(_("--limit must be 1 or more."))
    place = _place(args.at) if args.at is not None else None
    with open_services(paths) as services:
        if place is None:
            nearby = services.map.nearest_partners(args.partner, args.limit)
        else:
            nearby = services.map.nearest_partners_to(place.latitude, place.longitude, args.limit)
    if args.json:
        print_json([partner.to_json() for partner in nearby])
        return 0
    if not nearby:
        print(_("No other partner has a position.") if place is None else _("No partner has a position."))
        return 0
    countries = codelists.get("countries")
    rows = [
        [format_quantity(partner.distance_km, "length-kilometer", 1), partner.name,
         partner.city or "", countries.label(partner.country) if partner.country else "",
         partner.email or "", partner.phone or "", partner.website or "", partner.id]
        for partner in nearby
    ]
    print(render_table([_("Distance"), _("Name"), _("City"), _("Country"), _("Email"), _("Phone"),
                        _("Website"), _("ID")], rows))
    return 0


def _place(text: str) -> Position:
    try:
        return parse_position(text)
    except PositionError as error:
        raise CliError(str(error)) from None


def export_map_file(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.cli.desk_documents import _qt_for_documents
    from relay_app.services import open_services

    target = Path(args.output)
    if target.suffix.lower() not in (".png", ".svg"):
        raise CliError(_("A map is saved as .png or .svg, not {name}.").format(name=target.name))
    if not target.parent.is_dir():
        raise CliError(_("The folder {folder} does not exist.").format(folder=target.parent))
    with open_services(paths) as services:
        content = services.map.content(args.kind)
    _application = _qt_for_documents()
    from relay_app.ui.map.export import export_map

    size = export_map(target, content, args.width)
    print(_("Map written to {file} ({width} × {height} pixels).").format(
        file=target, width=size.width(), height=size.height()))
    if content.unplaced:
        print(content.unplaced_text())
    return 0


def show_by_area(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        areas = services.map.practices_by_area()
    if args.json:
        print_json([area.to_json() for area in areas])
        return 0
    if not areas:
        print(_("No practice yet."))
        return 0
    rows = []
    for area in areas:
        mean = area.mean_annual_change_per_mille
        rows.append([
            *area_words(area.key), format_integer(area.practices), format_integer(area.with_soc),
            format_quantity(mean, "per-mille-per-year", 2) if mean is not None else _("n/a"),
        ])
    print(render_table([_("Climate zone"), _("Soil group"), _("Land use"), _("Practices"),
                        _("With SOC results"), _("Mean SOC change")], rows))
    print(ngettext("{count} area; the 4 per 1000 target is +4 ‰ per year.",
                   "{count} areas; the 4 per 1000 target is +4 ‰ per year.", len(areas))
          .format(count=format_integer(len(areas))))
    return 0
