"""`relay-app db backup|backups|restore`: copies of the local database, and putting one back."""

from __future__ import annotations

import argparse
from pathlib import Path

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_json, render_table
from relay_app.config import Paths
from relay_app.i18n import _


def db_backup(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services
    from relay_app.store.backups import take_backup

    with open_services(paths) as services:  # a damaged store is refused, not copied
        backup = take_backup(services.database.path, "manual")
    print(_("Backup saved: {file}").format(file=backup.path))
    return 0


def db_backups(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.backups import list_backups

    backups = list(reversed(list_backups(paths.backups)))
    if args.json:
        print_json([backup.to_json() for backup in backups])
        return 0
    if not backups:
        print(_("No backups in {folder}.").format(folder=paths.backups))
        return 0
    rows = [
        [backup.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC"), backup.reason, str(backup.path)]
        for backup in backups
    ]
    print(render_table([_("Taken"), _("Reason"), _("File")], rows))
    return 0


def db_restore(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.backups import latest_backup, restore

    if args.latest:
        latest = latest_backup(paths.backups)
        if latest is None:
            raise CliError(_("There is no backup to restore in {folder}.").format(folder=paths.backups))
        source = latest.path
    else:
        source = Path(args.file)
    restored = restore(paths, source)
    print(_("Restored {backup} (device {device}).").format(backup=restored.backup, device=restored.device_id))
    if restored.set_aside is not None:
        print(_("The database it replaced is kept at {file}.").format(file=restored.set_aside))
    return 0
