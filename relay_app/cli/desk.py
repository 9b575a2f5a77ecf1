"""`relay-app desk checkin|counts`: the forum desk from the command line.

Exit codes of ``desk checkin``: 0 when the person is admitted or was in already, 1 with the reason
otherwise (cancelled, waiting, unknown). What was typed reaches the desk through a
``RegistrationResolver``, so other ways to name a person (a scanned badge) plug in here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from relay_app.cli.output import print_json, render_fields
from relay_app.config import Paths
from relay_app.formatting import format_datetime, format_integer
from relay_app.i18n import _

if TYPE_CHECKING:
    from relay_app.services import Services

# Turns what the person typed (or scanned) into a registration id; raises ServiceError otherwise.
RegistrationResolver = Callable[["Services", str], str]
MakeParser = Callable[[Any, str, str], argparse.ArgumentParser]


def registration_id_as_typed(_services: Services, text: str) -> str:
    return text.strip()


def registration_of_badge(services: Services, text: str) -> str:
    """The registration a scanned badge stands for (what a USB scanner typed)."""
    from relay_app.services.badges import registration_for_scan
    from relay_app.services.errors import ServiceError

    found = registration_for_scan(services.database, text)
    if found is None:
        raise ServiceError(
            _("Badge {code} is not known on this computer: sync, or find the person by name.").format(
                code=text.strip()
            )
        )
    return found


def register(
    commands: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """Add ``desk`` and its actions; returns the actions so other desk commands can join them."""
    desk = make_parser(
        commands, "desk", _("the forum desk: check-ins, head-counts, duplicates, badges and lists")
    )
    actions = desk.add_subparsers(dest="action", metavar="ACTION", required=True)

    checkin = make_parser(actions, "checkin", _("check a participant in (a scan in the check-in log)"))
    person = checkin.add_mutually_exclusive_group(required=True)
    person.add_argument(
        "registration", metavar="REGISTRATION_ID", nargs="?", help=_("the registration's id")
    )
    person.add_argument(
        "--scan", metavar="TEXT", help=_("what a badge's QR code says, as a scanner types it")
    )
    checkin.add_argument(
        "--desk", metavar="NAME", help=_("this desk's name in the log (default: the relay's name)")
    )
    json_flag(checkin)
    checkin.set_defaults(handler=check_in)

    counts = make_parser(actions, "counts", _("a forum's head-count against its capacity"))
    counts.add_argument("forum", metavar="FORUM_ID", help=_("the forum's id"))
    json_flag(counts)
    counts.set_defaults(handler=show_counts)

    giving = make_parser(
        actions, "promote", _("give a forum's free places to the people waiting, first in line first")
    )
    giving.add_argument("forum", metavar="FORUM_ID", help=_("the forum's id"))
    json_flag(giving)
    giving.set_defaults(handler=give_free_places)
    return actions


def check_in(
    args: argparse.Namespace, paths: Paths, resolve: RegistrationResolver = registration_id_as_typed
) -> int:
    """Admit the person ``args.registration`` names (through ``resolve``), or the badge
    ``args.scan`` stands for."""
    from relay_app.services import open_services

    if getattr(args, "scan", None) is not None:
        resolve, typed = registration_of_badge, args.scan
    else:
        typed = args.registration
    with open_services(paths) as services:
        registration_id = resolve(services, typed)
        desk = services.check_ins
        already = desk.attendee(registration_id).checked_in
        person = desk.check_in(registration_id, by=args.desk)  # refusals: exit 1 with the reason
    if args.json:
        print_json({
            "registration_id": person.id,
            "name": person.name,
            "already_checked_in": already,
            "checked_in_at": person.checked_in_at.isoformat() if person.checked_in_at else None,
            "checked_in_by": person.checked_in_by,
        })
        return 0
    time = format_datetime(person.checked_in_at, "short") if person.checked_in_at else ""
    if already:
        print(_("{name} was already checked in ({time}, {desk}).").format(
            name=person.name, time=time, desk=person.checked_in_by))
    else:
        print(_("Checked in: {name} ({time}).").format(name=person.name, time=time))
    return 0


def show_counts(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        forum = services.records("forums").get(args.forum)  # NotFound: exit 1 with the reason
        counts = services.check_ins.counts(forum.id)
    if args.json:
        print_json({**counts.to_json(), "beyond_capacity": list(counts.beyond_capacity)})
        return 0
    capacity = _("no limit") if counts.capacity is None else format_integer(counts.capacity)
    print(render_fields([
        (_("Forum"), forum.summary),
        (_("Capacity"), capacity),
        (_("Registered"), format_integer(counts.registered)),
        (_("Waiting list"), format_integer(counts.waitlisted)),
        (_("Cancelled"), format_integer(counts.cancelled)),
        (_("Checked in"), format_integer(counts.checked_in)),
    ]))
    if counts.over_capacity:
        print(_("Over capacity by {count}: {names}").format(
            count=format_integer(counts.over_capacity), names=", ".join(counts.beyond_capacity)))
    if counts.places_to_give:
        print(_("Places free while people wait: {count} (relay-app desk promote {forum})").format(
            count=format_integer(counts.places_to_give), forum=forum.id))
    return 0


def give_free_places(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        forum = services.records("forums").get(args.forum)  # NotFound: exit 1 with the reason
        promoted = services.check_ins.give_free_places(forum.id)
    if args.json:
        print_json([{"registration_id": person.id, "name": person.name} for person in promoted])
    elif promoted:
        for person in promoted:
            print(_("Off the waiting list: {names}").format(names=person.name))
    else:
        print(_("No place to give: the forum is full or nobody is waiting."))
    return 0
