"""`relay-app codes [LIST]`: the code lists behind choice fields, with translated labels."""

from __future__ import annotations

import argparse

from relay_app import codelists
from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_json, render_table
from relay_app.config import Paths
from relay_app.i18n import _


def codes(args: argparse.Namespace, paths: Paths) -> int:
    if args.list is None:
        return _all_lists(args.json)
    if args.list not in codelists.names():
        raise CliError(
            _("Unknown code list “{name}”; known lists: {names}.").format(
                name=args.list, names=", ".join(codelists.names())
            )
        )
    code_list = codelists.get(args.list)
    choices = code_list.choices()
    if args.json:
        print_json(
            {
                "name": code_list.name,
                "title": code_list.title(),
                "codes": [{"code": code, "label": label} for code, label in choices],
            }
        )
    else:
        print(code_list.title())
        print(render_table([_("Code"), _("Label")], [list(pair) for pair in choices]))
    return 0


def _all_lists(as_json: bool) -> int:
    lists = [codelists.get(name) for name in codelists.names()]
    if as_json:
        print_json([{"name": item.name, "title": item.title(), "count": len(item)} for item in lists])
    else:
        rows = [[item.name, item.title(), str(len(item))] for item in lists]
        print(render_table([_("List"), _("Title"), _("Codes")], rows))
    return 0
