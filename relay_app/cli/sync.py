"""`relay-app enroll`, `relay-app sync` and `relay-app conflicts`: the device and the central server.

`sync` exits 0 only when every record is exchanged (no pending change, no open conflict); otherwise
it prints what it did and one line saying why it is not done, and exits 1. Files still waiting (held
back by the data saver, or not on the server yet) are counted in the summary but do not fail it.
With ``--quiet`` it prints nothing unless it exits 1, and then only the line saying why (for cron).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_error, print_json, render_fields, render_table
from relay_app.config import Paths
from relay_app.i18n import _, ngettext
from relay_app.sync.progress import PHASE_LABELS, Phase, SyncProgress, SyncSummary, waiting_text

MakeParser = Callable[[Any, str, str], argparse.ArgumentParser]


def register(
    commands: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add the sync commands to the main parser (``make_parser`` translates their help)."""
    enroll_command = make_parser(commands, "enroll", _("enrol this device with a central server"))
    enroll_command.add_argument("--server", required=True, metavar="URL", help=_("the server's address"))
    enroll_command.add_argument(
        "--code", required=True, metavar="CODE", help=_("the one-time code from the administrator")
    )
    enroll_command.add_argument("--name", metavar="NAME", help=_("this device's name (default: host name)"))
    enroll_command.set_defaults(handler=enroll)

    sync_command = make_parser(commands, "sync", _("send local changes and receive the server's"))
    sync_command.add_argument(
        "--server", metavar="URL", help=_("the server's address (default: the one enrolled with)")
    )
    sync_command.add_argument(
        "--quiet", action="store_true",
        help=_("print nothing when everything was exchanged; otherwise only the reason"),
    )
    files_choice = sync_command.add_mutually_exclusive_group()
    files_choice.add_argument(
        "--files", dest="files", action="store_const", const=True, default=None,
        help=_("send and receive files now, even with the data saver on"),
    )
    files_choice.add_argument(
        "--no-files", dest="files", action="store_const", const=False,
        help=_("exchange records only; files wait for a later sync"),
    )
    files_choice.add_argument(
        "--data-saver", choices=("on", "off"), metavar="on|off",
        help=_("turn the data saver on or off (files move only on a good link), then stop"),
    )
    json_flag(sync_command)
    sync_command.set_defaults(handler=sync)

    conflicts_command = make_parser(commands, "conflicts", _("changes made here and elsewhere to one field"))
    actions = conflicts_command.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = make_parser(actions, "list", _("list open conflicts"))
    json_flag(listing)
    listing.set_defaults(handler=conflicts_list)
    show = make_parser(actions, "show", _("show one conflict"))
    show.add_argument("id", type=int, metavar="ID")
    json_flag(show)
    show.set_defaults(handler=conflicts_show)
    resolve = make_parser(actions, "resolve", _("decide a conflict; the decision syncs like any change"))
    resolve.add_argument("id", type=int, metavar="ID")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--keep", choices=("mine", "theirs"), help=_("keep this device's or the server's value")
    )
    choice.add_argument("--value", metavar="JSON", help=_("a new value, as JSON (e.g. '\"Montpellier\"')"))
    resolve.set_defaults(handler=conflicts_resolve)


def enroll(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.sync.connect import enroll_device

    with open_services(paths) as services:
        enrolment = enroll_device(services.database, paths.data_dir, args.server, args.code, args.name)
    print(
        _("Enrolled with {server} as relay “{relay}” (regions: {regions}).").format(
            server=enrolment.server_url, relay=enrolment.relay_name, regions=", ".join(enrolment.regions)
        )
    )
    return 0


def sync(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.store.backups import backup_before_sync
    from relay_app.sync.connect import open_engine, stored_server
    from relay_app.sync.errors import SyncError

    if args.data_saver is not None:
        return _set_data_saver(paths, args.data_saver == "on", as_json=args.json)
    report = None if args.quiet or args.json else _print_progress
    with open_services(paths) as services:
        former_default = stored_server(services.database)
        engine = open_engine(services.database, paths.data_dir, args.server, progress=report)
        backup_before_sync(services.database.path, automatic=False)
        if report is not None and stored_server(services.database) != former_default:
            print(_("The server at {url} is the one this device is enrolled with; it is now the "
                    "default address.").format(url=engine.client.server_url))
        try:
            summary = engine.sync(files=args.files)
        except SyncError as error:
            partial = error.summary
            if partial is not None and not (args.json or args.quiet):
                print(_summary_text(partial))
            if args.json:
                print_json({**(partial.to_json() if partial else {}), "reason": str(error)})
            print_error(str(error))
            return 1
    if args.json:
        print_json(summary.to_json())
    elif not args.quiet:
        print(_summary_text(summary))
    if not summary.in_sync:
        print_error(_not_done_reason(summary))
        return 1
    return 0


def _set_data_saver(paths: Paths, on: bool, *, as_json: bool) -> int:
    from relay_app.services import open_services
    from relay_app.sync.data_saver import write_data_saver

    with open_services(paths) as services:
        write_data_saver(services.database, on)
    if as_json:
        print_json({"data_saver": on})
    elif on:
        print(_("Data saver on: syncs send records first and files only on a good link "
                "(relay-app sync --files sends them now)."))
    else:
        print(_("Data saver off: every sync sends and receives files too."))
    return 0


def _print_progress(step: SyncProgress) -> None:
    if step.phase in (Phase.PUSH_ANSWERED, Phase.PULLING, Phase.DONE):
        return
    if step.phase in (Phase.UPLOADING, Phase.DOWNLOADING):
        if step.done == 0:  # once per phase; chunks would flood a terminal
            print(_(PHASE_LABELS[step.phase]))
        return
    if step.phase is Phase.WAITING:
        print(waiting_text(step.done))
        return
    label = _(PHASE_LABELS[step.phase])
    if step.phase is Phase.RETRYING:
        print(_("{phase} (attempt {attempt} of {attempts})").format(
            phase=label, attempt=step.done, attempts=step.total))
    elif step.total:
        print(_("{label}: {done} of {total}").format(label=label, done=step.done, total=step.total))
    elif step.phase is Phase.PULLED:
        print(_("{label}: {done}").format(label=label, done=step.done))
    else:
        print(label)


def _not_done_reason(summary: SyncSummary) -> str:
    """The engine's reason, which the window shows too; only here may it name a command."""
    if summary.open_conflicts:
        return ngettext(
            "{count} conflict waits for your decision (relay-app conflicts list).",
            "{count} conflicts wait for your decision (relay-app conflicts list).",
            summary.open_conflicts,
        ).format(count=summary.open_conflicts)
    return summary.reason or _("Not everything was exchanged.")


def _summary_text(summary: SyncSummary) -> str:
    if summary.idle and not (summary.files_pending or summary.files_to_download):
        return _("Already up to date.")
    fields = render_fields(
        [
            (_("Sent"), str(summary.pushed)),
            (_("Received"), str(summary.pulled)),
            (_("Conflicts"), str(summary.conflicts)),
            (_("Refused"), str(summary.rejected)),
            (_("Bytes sent"), str(summary.bytes_sent)),
            (_("Bytes received"), str(summary.bytes_received)),
            (_("Still pending"), str(summary.pending)),
            (_("Files sent"), str(summary.files_uploaded)),
            (_("Files received"), str(summary.files_downloaded)),
            (_("Files waiting"), _files_waiting(summary)),
        ]
    )
    note = summary.upload_quota_note()
    return f"{fields}\n{note}" if note else fields


def _files_waiting(summary: SyncSummary) -> str:
    waiting = summary.files_pending + summary.files_to_download
    if summary.files_held_back:
        return ngettext(
            "{count} (held back by the data saver)", "{count} (held back by the data saver)", waiting
        ).format(count=waiting)
    return str(waiting)


def conflicts_list(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.sync.conflicts import ConflictService

    with open_services(paths) as services:
        conflicts = ConflictService(services.database).list()
    if args.json:
        print_json([conflict.to_json() for conflict in conflicts])
        return 0
    if not conflicts:
        print(_("No conflicts."))
        return 0
    headers = [_("ID"), _("Type"), _("Record"), _("Field"), _("Mine"), _("Theirs")]
    rows = [
        [str(c.id), c.kind, c.summary or c.record_id, _field_label(c.field), _shown(c.mine), _shown(c.theirs)]
        for c in conflicts
    ]
    print(render_table(headers, rows))
    return 0


def conflicts_show(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.sync.conflicts import ConflictService

    with open_services(paths) as services:
        conflict = ConflictService(services.database).get(args.id)
    if args.json:
        print_json(conflict.to_json())
        return 0
    print(
        render_fields(
            [
                (_("Conflict"), str(conflict.id)),
                (_("Type"), conflict.kind),
                (_("Record"), f"{conflict.summary} ({conflict.record_id})"),
                (_("Field"), _field_label(conflict.field)),
                (_("Mine"), _shown(conflict.mine)),
                (_("Theirs"), _shown(conflict.theirs)),
                (_("Before both edits"), _shown(conflict.base_value)),
                (_("Server version"), str(conflict.server_version)),
            ]
        )
    )
    return 0


def conflicts_resolve(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.sync.conflicts import ConflictService

    with open_services(paths) as services:
        conflicts = ConflictService(services.database)
        if args.value is not None:
            try:
                value = json.loads(args.value)
            except json.JSONDecodeError:
                raise CliError(_("--value must be JSON, e.g. '\"Montpellier\"' or 12.5.")) from None
            conflicts.resolve(args.id, value=value)
        else:
            conflicts.resolve(args.id, keep=args.keep)
    print(_("Conflict {id} resolved; the decision goes out with the next sync.").format(id=args.id))
    return 0


def _field_label(name: str) -> str:
    return _("(deleted)") if name == "_deleted" else name


def _shown(value: Any) -> str:
    if value is None:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
