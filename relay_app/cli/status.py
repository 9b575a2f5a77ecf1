"""`relay-app status` and `relay-app db upgrade|current`: the state of the local data."""

from __future__ import annotations

import argparse

from relay_app.cli.output import print_json, render_fields
from relay_app.config import Paths
from relay_app.i18n import N_, _

KIND_TITLES = {
    "partners": N_("Partners"),
    "practices": N_("Practices"),
    "forums": N_("Forums"),
    "registrations": N_("Registrations"),
}


def status(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        report = services.status()
    if args.json:
        print_json({"data_dir": str(paths.data_dir), **report.to_json()})
        return 0
    pairs = [
        (_("Data folder"), str(paths.data_dir)),
        (_("Device"), report.device_id),
        (_("Schema revision"), report.schema_revision or _("none")),
        (_("Pending changes"), str(report.pending_changes)),
    ]
    pairs += [(_(KIND_TITLES.get(kind, kind)), str(count)) for kind, count in report.counts.items()]
    print(render_fields(pairs))
    return 0


def db_upgrade(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:  # checked, then migrated after a backup
        revision = services.migrate_current()
    print(_("Database at revision {revision}.").format(revision=revision or _("none")))
    return 0


def db_current(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.store.health import check_store
    from relay_app.store.migrate import current_revision

    check_store(paths)  # reading the revision of an emptied file would make it a new database
    revision = current_revision(paths.database)
    if revision is None:
        print(_("No database yet; “relay-app db upgrade” creates it."))
    else:
        print(revision)
    return 0
