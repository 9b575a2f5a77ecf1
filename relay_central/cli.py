"""`relay-central`: serve the sync API and administer relays from the command line."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from datetime import timedelta

from relay_app.i18n import _, ngettext
from relay_central.admin import (
    AdminError,
    add_relay,
    delete_file,
    list_relays,
    reset_cursors,
    revoke_device,
    revoke_relay,
)
from relay_central.db import Database
from relay_central.erasure import compact
from relay_central.migrate import current_revision, upgrade
from relay_central.prune import prune
from relay_central.settings import Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        help=_("database URL (default: a SQLite file in the data folder; PostgreSQL: "
               "postgresql+psycopg://user:password@host/dbname)"),
    )
    common.add_argument("--data-dir", metavar="DIR", help=_("folder for attachments and SQLite"))

    parser = argparse.ArgumentParser(prog="relay-central", description=_("Relay central server"))
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help=_("run the sync server"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument(
        "--stale-deletes",
        choices=("apply", "conflict"),
        default="apply",
        help=_("a delete based on an older version than the server's: applied (default) or "
               "answered as a conflict for a person to decide"),
    )

    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help=_("comma-separated addresses of reverse proxies whose X-Forwarded-For names the "
               "client (default: 127.0.0.1 and ::1, or FORWARDED_ALLOW_IPS)"),
    )
    serve.add_argument(
        "--enrolment-attempts",
        type=int,
        default=10,
        metavar="N",
        help=_("failed enrolments one client address may make per minute (default: 10)"),
    )

    db = commands.add_parser("db", help=_("database schema"))
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", parents=[common], help=_("apply pending migrations"))
    db_commands.add_parser("current", parents=[common], help=_("show the schema revision"))
    db_commands.add_parser(
        "reset-cursors", parents=[common],
        help=_("make every client resync in full (run after restoring a backup)"),
    )

    add = commands.add_parser(
        "add-relay", parents=[common], help=_("create a relay and print a one-time enrolment code")
    )
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--region", action="append", required=True, dest="regions",
                     help=_("UN M49 sub-region slug, e.g. western_europe (repeatable)"))

    revoke = commands.add_parser("revoke", parents=[common], help=_("revoke a relay or a device"))
    target = revoke.add_mutually_exclusive_group(required=True)
    target.add_argument("--email", help=_("revoke the relay and all its devices"))
    target.add_argument("--device", help=_("revoke one device by its id"))

    commands.add_parser("list-relays", parents=[common], help=_("list relays as JSON lines"))

    deletion = commands.add_parser(
        "delete-file", parents=[common],
        help=_("delete a stored file and every link to it, for every relay"),
    )
    deletion.add_argument("sha256", metavar="SHA256", help=_("the file's SHA-256 hash"))

    pruning = commands.add_parser(
        "prune", parents=[common], help=_("forget tombstones and history older than the retention")
    )
    pruning.add_argument("--older-than-days", type=float, default=None,
                         help=_("default: the retention (180 days)"))
    commands.add_parser(
        "erase-now", parents=[common],
        help=_("rewrite the database files so that no byte of deleted or erased data is left "
               "in them (locks each table while it runs)"),
    )
    return parser


def _settings(args: argparse.Namespace, **extra: object) -> Settings:
    return load_settings(database_url=args.db, data_dir=args.data_dir, **extra)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.database_url)
    try:
        if args.command == "db":
            if args.db_command == "upgrade":
                print(_("Database at revision {revision}.").format(revision=upgrade(database)))
            elif args.db_command == "reset-cursors":
                upgrade(database)
                reset_cursors(database)
                print(_("Every client will resync in full at its next sync."))
            else:
                print(current_revision(database) or _("(empty database)"))
            return 0
        upgrade(database)
        return _administer(args, settings, database)
    except AdminError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        database.dispose()


def _administer(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    if args.command == "add-relay":
        code = add_relay(
            database,
            name=args.name,
            email=args.email,
            regions=args.regions,
            code_days=settings.enrolment_code_days,
        )
        print(_("Enrolment code for {email} (valid {days} days, usable once): {code}").format(
            email=args.email.strip().lower(), days=settings.enrolment_code_days, code=code))
        return 0
    if args.command == "revoke":
        if args.email:
            count = revoke_relay(database, args.email)
            print(ngettext("Relay {email} revoked, with {count} device.",
                           "Relay {email} revoked, with {count} devices.", count).format(
                email=args.email, count=count))
        else:
            revoke_device(database, args.device)
            print(_("Device {device} revoked.").format(device=args.device))
        return 0
    if args.command == "list-relays":
        for relay in list_relays(database):
            print(json.dumps(relay.__dict__, ensure_ascii=False))
        return 0
    if args.command == "delete-file":
        deleted = delete_file(database, settings, args.sha256)
        print(ngettext("File {sha256} deleted, with {count} link to it.",
                       "File {sha256} deleted, with {count} links to it.", deleted.links).format(
            sha256=deleted.sha256, count=deleted.links))
        return 0
    if args.command == "prune":
        older = None if args.older_than_days is None else timedelta(days=args.older_than_days)
        report = prune(database, settings, older)
        print(json.dumps(report.__dict__))
        return 0
    if args.command == "erase-now":
        steps = compact(database, rebuild=True)
        print(_("Database files rewritten: {steps}.").format(steps=", ".join(steps)))
        return 0
    raise AssertionError(args.command)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from relay_central.app import create_app
    from relay_central.logging import configure_logging

    configure_logging()
    settings = _settings(
        args,
        host=args.host,
        port=args.port,
        delete_wins_over_edit=args.stale_deletes == "apply",
        enrolment_attempts_per_minute=args.enrolment_attempts,
    )
    app = create_app(settings)
    # What is loaded by now lives as long as the process: kept out of the cycle collector's full
    # passes, which otherwise walk it all and pause every request (tens of milliseconds) each
    # time one request allocates many objects.
    gc.collect()
    gc.freeze()
    # The client address (enrolment limit, request log) comes from X-Forwarded-For only when the
    # peer is one of these proxies; uvicorn's own default is the loopback addresses.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
