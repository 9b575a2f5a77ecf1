"""`relay-app security encrypt|change-passphrase|status|forget`: the encrypted local store."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_json, render_fields
from relay_app.cli.passphrase import current_passphrase, new_passphrase
from relay_app.config import Paths
from relay_app.i18n import _, ngettext

MakeParser = Callable[[Any, str, str], argparse.ArgumentParser]


def register(
    commands: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> Any:
    group = make_parser(commands, "security", _("encrypt the local store, change its passphrase"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    remember_help = _("also keep the key in this computer's keyring (no passphrase asked here)")

    encrypt_command = make_parser(
        actions, "encrypt",
        _(
            "encrypt the store, its backups and drafts; the passphrase is read from the terminal "
            "or standard input"
        ),
    )
    encrypt_command.add_argument("--remember", action="store_true", help=remember_help)
    encrypt_command.set_defaults(handler=encrypt)

    change = make_parser(
        actions, "change-passphrase", _("change the passphrase (the data is not rewritten)")
    )
    change.add_argument("--remember", action="store_true", help=remember_help)
    change.set_defaults(handler=change_passphrase_command)

    status_command = make_parser(actions, "status", _("is the store encrypted, unlocked, remembered"))
    json_flag(status_command)
    status_command.set_defaults(handler=status)

    make_parser(actions, "forget", _("remove the key from this computer's keyring")).set_defaults(
        handler=forget
    )

    reset_command = make_parser(
        actions, "reset",
        _(
            "passphrase forgotten: set the store aside and rebuild it from the server "
            "(unsent changes are lost)"
        ),
    )
    reset_command.add_argument(
        "--from-server", action="store_true", required=True,
        help=_("rebuild from what the server holds, after a new enrolment"),
    )
    reset_command.add_argument("--server", required=True, metavar="URL", help=_("the server's address"))
    reset_command.add_argument(
        "--code", required=True, metavar="CODE", help=_("a new one-time code from the administrator")
    )
    reset_command.add_argument("--name", metavar="NAME", help=_("this device's name (default: host name)"))
    reset_command.add_argument(
        "--yes", action="store_true", help=_("go ahead without asking (the warning is still printed)")
    )
    reset_command.set_defaults(handler=reset)
    return actions


def encrypt(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.store.encrypting import encrypt_store
    from relay_app.store.remembered import keyring_available
    from relay_app.store.unlocked import is_encrypted

    if is_encrypted(paths):
        raise CliError(_("the store is already encrypted; nothing was changed"))
    passphrase = new_passphrase()  # before anything is touched
    with open_services(paths):  # a damaged store is refused; an old one migrated first
        pass
    report = encrypt_store(paths, passphrase, remember=args.remember)
    print(_("The store is encrypted: {file}").format(file=paths.database))
    print(ngettext("{count} backup encrypted.", "{count} backups encrypted.", report.backups)
          .format(count=report.backups))
    if report.set_aside:
        print(ngettext("{count} set-aside database encrypted.", "{count} set-aside databases encrypted.",
                       report.set_aside).format(count=report.set_aside))
    if report.drafts:
        print(ngettext("{count} draft sealed.", "{count} drafts sealed.", report.drafts)
              .format(count=report.drafts))
    if report.removed:
        print(ngettext("{count} clear file removed (logs, temporary files).",
                       "{count} clear files removed (logs, temporary files).", len(report.removed))
              .format(count=len(report.removed)))
    if args.remember and not keyring_available():
        print(_("This computer has no usable keyring: the passphrase will be asked each time."))
    print(_("Keep the passphrase safe: without it, only what was synced can be rebuilt from the server."))
    return 0


def change_passphrase_command(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.encryption import change_passphrase, set_remembered
    from relay_app.store.unlocked import is_encrypted

    if not is_encrypted(paths):
        raise CliError(_("the store is not encrypted; “relay-app security encrypt” encrypts it"))
    current = current_passphrase(_("Current passphrase: "))
    new = new_passphrase()
    change_passphrase(paths, current, new)
    print(_("The passphrase is changed."))
    if args.remember and not set_remembered(paths, True):
        print(_("This computer has no usable keyring: the passphrase will be asked each time."))
    return 0


def status(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.encryption import encryption_status

    report = encryption_status(paths)
    if args.json:
        print_json({"data_dir": str(paths.data_dir), **report.to_json()})
        return 0
    yes, no = _("yes"), _("no")
    pairs = [
        (_("Data folder"), str(paths.data_dir)),
        (_("Encrypted"), yes if report.encrypted else no),
    ]
    if report.encrypted:
        pairs += [
            (_("Remembered on this computer"), yes if report.remembered else no),
            (_("Key file"), str(paths.key_file) if report.key_file else _("missing")),
            (_("Key file copy"), str(paths.key_file_copy) if report.key_file_copy else _("missing")),
        ]
    pairs.append((_("Keyring available"), yes if report.keyring_available else no))
    print(render_fields(pairs))
    return 0


def forget(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.encryption import set_remembered
    from relay_app.store.unlocked import is_encrypted

    if not is_encrypted(paths):
        raise CliError(_("the store is not encrypted; there is no key to forget"))
    set_remembered(paths, False)
    print(_("The key is no longer kept on this computer: the passphrase will be asked."))
    return 0


def reset(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.cli.passphrase import confirm
    from relay_app.services import open_services
    from relay_app.store.health import marked_encrypted
    from relay_app.store.rebuilding import create_encrypted_store, set_aside_forgotten_store
    from relay_app.store.unlocked import is_encrypted
    from relay_app.sync.connect import enroll_device, open_engine

    if not (is_encrypted(paths) or marked_encrypted(paths)):
        raise CliError(_("the store is not encrypted: there is no passphrase to forget; nothing was changed"))
    print(_(
        "Without its passphrase the store cannot be read: changes not sent to the server, if any, "
        "are lost (they cannot even be counted). The store is not deleted: it is set aside, "
        "encrypted, in {folder}. A new encrypted store is made and filled from the server."
    ).format(folder=paths.set_aside))
    if not args.yes and not confirm(_("Type “yes” to go on: ")):
        raise CliError(_("not confirmed (--yes goes ahead without a terminal); nothing was changed"))
    passphrase = new_passphrase()  # before anything moves
    kept = set_aside_forgotten_store(paths)
    print(_("The old store is kept at {folder}.").format(folder=kept))
    create_encrypted_store(paths, passphrase)
    with open_services(paths) as services:
        enrolment = enroll_device(services.database, paths.data_dir, args.server, args.code, args.name)
        print(_("Enrolled with {server} as relay “{relay}” (regions: {regions}).").format(
            server=enrolment.server_url, relay=enrolment.relay_name, regions=", ".join(enrolment.regions)
        ))
        summary = open_engine(services.database, paths.data_dir).sync()
        status = services.status()
    total = sum(status.counts.values())
    print(ngettext("The store is rebuilt: {count} record received from the server.",
                   "The store is rebuilt: {count} records received from the server.", total)
          .format(count=total))
    return 0 if summary.in_sync else 1
