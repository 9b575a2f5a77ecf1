"""`relay-app desk duplicates|merge|badges|list`: the desk's documents and duplicate merges.

Badges and PDF lists are drawn by Qt (for text shaping), loaded only by those commands, on the
offscreen platform: no window is needed. Lists with personal data ask first (``--yes`` for scripts)
and are noted in the data folder's ``personal_exports.log``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_json, render_table
from relay_app.config import Paths
from relay_app.i18n import _, ngettext

MakeParser = Callable[[Any, str, str], argparse.ArgumentParser]
# The values of services.desk_lists.DeskList and ListFormat, without loading the store for --help.
LIST_KINDS = ("participants", "attendance", "counts", "travel-support")
LIST_FORMATS = ("pdf", "csv", "xlsx")


def register(
    actions: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add the documents and merge commands under ``desk``."""
    from relay_app.services.badge_layouts import DEFAULT_LAYOUT, SHEET_LAYOUTS

    duplicates = make_parser(actions, "duplicates", _("registrations of a forum that look like one person"))
    duplicates.add_argument("forum", metavar="FORUM_ID")
    json_flag(duplicates)
    duplicates.set_defaults(handler=show_duplicates)

    merge = make_parser(actions, "merge", _("merge a duplicate registration into the one to keep"))
    merge.add_argument("keep", metavar="KEEP_ID")
    merge.add_argument("other", metavar="OTHER_ID")
    merge.set_defaults(handler=merge_registrations)

    badges = make_parser(
        actions, "badges", _("name badges with a QR code for every registered participant, as PDF")
    )
    badges.add_argument("forum", metavar="FORUM_ID")
    badges.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the PDF file to write"))
    badges.add_argument(
        "--layout", choices=sorted(SHEET_LAYOUTS), default=DEFAULT_LAYOUT,
        help=_("label sheet (default: {layout})").format(layout=DEFAULT_LAYOUT),
    )
    printed = badges.add_mutually_exclusive_group()
    printed.add_argument("--reprint", action="store_true", help=_("print badges printed before too"))
    printed.add_argument("--new-only", action="store_true", help=_("leave out badges printed before"))
    badges.set_defaults(handler=print_badges)

    listing = make_parser(
        actions, "list", _("participant list, attendance sheet, counts or travel support")
    )
    listing.add_argument("forum", metavar="FORUM_ID")
    listing.add_argument("--kind", choices=LIST_KINDS, default=LIST_KINDS[0],
                         help=_("which list (default: participants)"))
    listing.add_argument("--format", choices=LIST_FORMATS, required=True, help=_("file format"))
    listing.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the file to write"))
    listing.add_argument("--yes", action="store_true", help=_("do not ask before writing personal data"))
    listing.set_defaults(handler=write_list)


def _qt_for_documents() -> Any:
    """A Qt application on the offscreen platform: Qt's painter and fonts, no window.

    A widgets application, not a bare GUI one: one process may open a window after writing a
    document (the window's tests do), and Qt aborts a widget made under a bare GUI application.
    """
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["relay-app", "-platform", "offscreen"])


def show_duplicates(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        services.records("forums").get(args.forum)
        groups = services.duplicates.duplicates(args.forum)
        registrations = services.records("registrations")
        if args.json:
            print_json([group.to_json() for group in groups])
            return 0
        rows = []
        for group in groups:
            for registration_id in group.ids:
                record = registrations.get(registration_id)
                values = record.values
                rows.append([group.reason_text(), registration_id, record.summary,
                             str(values.get("email") or ""), str(values.get("organisation") or "")])
    if not rows:
        print(_("No duplicates found."))
        return 0
    print(render_table([_("Reason"), _("ID"), _("Name"), _("Email"), _("Organisation")], rows))
    return 0


def merge_registrations(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        kept = services.duplicates.merge(args.keep, args.other)
    print(_("{name}: {other} merged into {keep}.").format(name=kept.summary, other=args.other, keep=kept.id))
    return 0


def print_badges(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.services.badges import SHEET_LAYOUTS, BadgePrintLog, forum_badges

    target = Path(args.output)
    log = BadgePrintLog(paths)
    with open_services(paths) as services:
        badges = forum_badges(services.records("registrations"), services.records("forums"), args.forum)
    printed = log.printed(badge.registration_id for badge in badges)
    if args.new_only:
        badges = [badge for badge in badges if badge.registration_id not in printed]
    elif printed and not args.reprint:
        raise CliError(ngettext(
            "{count} of these badges was printed before: add --reprint to print it again, "
            "or --new-only to leave it out.",
            "{count} of these badges were printed before: add --reprint to print them again, "
            "or --new-only to leave them out.",
            len(printed),
        ).format(count=len(printed)))
    if not badges:
        print(_("No badge to print."))
        return 0
    _application = _qt_for_documents()
    from relay_app.ui.badges.badge_sheet import render_badges

    count = render_badges(target, badges, SHEET_LAYOUTS[args.layout])
    log.note([badge.registration_id for badge in badges], target)
    print(ngettext("{count} badge written to {file}.", "{count} badges written to {file}.", count)
          .format(count=count, file=target))
    return 0


def write_list(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.services.desk_lists import (
        DeskList,
        ListFormat,
        build_list,
        note_personal_export,
        write_list_table,
    )

    kind, fmt, target = DeskList(args.kind), ListFormat(args.format), Path(args.output)
    with open_services(paths) as services:
        table = build_list(services.records("registrations"), services.records("forums"), args.forum, kind)
    if kind.personal and not args.yes and not _confirmed(table.title, target):
        raise CliError(_("Nothing written: personal data leaves this computer only when confirmed (--yes)."))
    if fmt is ListFormat.PDF:
        _application = _qt_for_documents()
        from relay_app.ui.badges.list_sheet import render_list

        count = render_list(target, table)
    else:
        count = write_list_table(table, target, fmt)
    if kind.personal:
        note_personal_export(paths, table, target, args.forum)
    print(ngettext("{count} row written to {file}.", "{count} rows written to {file}.", count)
          .format(count=count, file=target))
    return 0


def _confirmed(title: str, target: Path) -> bool:
    if not sys.stdin.isatty():
        return False
    question = _("{list} holds personal data. Write it to {file}? [y/N] ")
    answer = input(question.format(list=title, file=target))
    return answer.strip().casefold() in {_("y"), _("yes"), "y", "yes"}
