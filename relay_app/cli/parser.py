"""The command line's grammar, with help texts in the chosen language.

The parser is built after the language is set, so ``_`` here translates at once.
"""

from __future__ import annotations

import argparse

from relay_app import __version__
from relay_app.cli import (
    backups,
    codes,
    desk,
    desk_documents,
    imports,
    mapping,
    records,
    security,
    status,
    sync,
    transfer,
)
from relay_app.i18n import SUPPORTED_LANGUAGES, _
from relay_app.transfer import FileFormat

PROG = "relay-app"
KINDS = ("partners", "practices", "forums", "registrations")


def language_option(argv: list[str]) -> str | None:
    """``--lang`` if given, read before the full parser exists (its help depends on it)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    return known.lang


Subcommands = argparse._SubParsersAction  # argparse's own type for add_subparsers()


def _parser(parent: Subcommands | None, name: str, text: str) -> argparse.ArgumentParser:
    """A parser whose -h/--help text is translated like the rest."""
    if parent is None:
        parser = argparse.ArgumentParser(prog=PROG, description=text, add_help=False)
    else:
        parser = parent.add_parser(name, help=text, description=text, add_help=False)
    parser.add_argument("-h", "--help", action="help", help=_("show this help and exit"))
    return parser


def _kind(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind", choices=KINDS, metavar="KIND", help=_("one of: {kinds}").format(kinds=", ".join(KINDS))
    )


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def _json_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        required=True,
        metavar="FILE",
        help=_("a JSON object with the record's fields; - reads standard input"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _parser(
        None,
        PROG,
        _(
            "Relay: partners, practices and forums of the 4 per 1000 "
            "Initiative. Without a command, opens the desktop window."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("data folder (default: $RELAY_DATA_DIR, else the user data folder)"),
    )
    parser.add_argument(
        "--lang",
        choices=SUPPORTED_LANGUAGES,
        help=_("language (default: $RELAY_LANG, else the system language)"),
    )
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {__version__}", help=_("show the version and exit")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    _records_commands(commands)

    show_status = _parser(commands, "status", _("record counts, pending changes, device, schema"))
    _json_flag(show_status)
    show_status.set_defaults(handler=status.status)

    show_codes = _parser(commands, "codes", _("code lists and their values"))
    show_codes.add_argument(
        "list", nargs="?", metavar="LIST", help=_("the list to show (default: every list's name)")
    )
    _json_flag(show_codes)
    show_codes.set_defaults(handler=codes.codes)

    _database_commands(commands)
    sync.register(commands, _parser, _json_flag)
    # The forum desk: check-ins and counts (desk), then badges, lists and merges, which join the
    # same `desk` command.
    desk_documents.register(desk.register(commands, _parser, _json_flag), _parser, _json_flag)
    mapping.register(commands, _parser, _json_flag)
    security.register(commands, _parser, _json_flag)
    imports.register(commands, _parser, _json_flag)
    return parser


def _database_commands(commands: Subcommands) -> None:
    database = _parser(commands, "db", _("the local database: schema, backups, restore"))
    db_actions = database.add_subparsers(dest="action", metavar="ACTION", required=True)
    _parser(
        db_actions, "upgrade", _("migrate the database to this version's schema (with a backup first)")
    ).set_defaults(handler=status.db_upgrade)
    _parser(db_actions, "current", _("print the database's schema revision")).set_defaults(
        handler=status.db_current
    )
    _parser(db_actions, "backup", _("copy the database into the backups folder now")).set_defaults(
        handler=backups.db_backup
    )
    listing = _parser(db_actions, "backups", _("list the backups, newest first"))
    _json_flag(listing)
    listing.set_defaults(handler=backups.db_backups)
    restoring = _parser(
        db_actions,
        "restore",
        _("replace the database with a backup; the old file is kept in set-aside/ (close the window first)"),
    )
    source = restoring.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", metavar="FILE", help=_("the backup file to restore"))
    source.add_argument("--latest", action="store_true", help=_("restore the newest backup"))
    restoring.set_defaults(handler=backups.db_restore)


def _records_commands(commands: Subcommands) -> None:
    group = _parser(commands, "records", _("add, list, show, update, delete, import, export"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = _parser(actions, "add", _("add a record from JSON; prints its id"))
    _kind(add)
    _json_input(add)
    add.set_defaults(handler=records.add)

    listing = _parser(actions, "list", _("list records"))
    _kind(listing)
    listing.add_argument("--search", metavar="TEXT", help=_("only records matching TEXT"))
    listing.add_argument("--limit", type=int, metavar="N", help=_("at most N records"))
    _json_flag(listing)
    listing.set_defaults(handler=records.list_records)

    show = _parser(actions, "show", _("show one record"))
    _kind(show)
    show.add_argument("id", metavar="ID")
    _json_flag(show)
    show.set_defaults(handler=records.show)

    update = _parser(actions, "update", _("change the fields given in JSON; the others stay"))
    _kind(update)
    update.add_argument("id", metavar="ID")
    _json_input(update)
    update.set_defaults(handler=records.update)

    delete = _parser(actions, "delete", _("delete one record"))
    _kind(delete)
    delete.add_argument("id", metavar="ID")
    delete.set_defaults(handler=records.delete)

    importing = _parser(
        actions,
        "import",
        _("import a CSV, XLSX, ODS or JSON file: every row or none; errors are listed row by row"),
    )
    _kind(importing)
    importing.add_argument("file", metavar="FILE")
    importing.add_argument("--dry-run", action="store_true", help=_("only check the rows; write nothing"))
    _json_flag(importing)
    imports.add_import_options(importing)

    export = _parser(actions, "export", _("export every record to a file"))
    _kind(export)
    export.add_argument(
        "--format",
        choices=[fmt.value for fmt in FileFormat],
        help=_("file format (default: from the file's extension); geojson for partners and practices only"),
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the file to write"))
    export.set_defaults(handler=transfer.export_file)
