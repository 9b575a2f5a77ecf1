"""`relay-app records add|list|show|update|delete`: one record at a time."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from relay_app.carbon import describe, soc_change
from relay_app.cli.inputs import read_json_object
from relay_app.cli.output import (
    display,
    display_field,
    print_json,
    render_fields,
    render_table,
)
from relay_app.config import Paths
from relay_app.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from relay_app.forms import Form
    from relay_app.services.records import RecordView

# The few columns that tell records of a kind apart in a list, after the id and the summary.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "partners": ("kind", "country", "city"),
    "practices": ("category", "country", "start_year"),
    "forums": ("start_date", "city", "capacity"),
    "registrations": ("organisation", "country", "status"),
}
ID_HEADER = N_("ID")
SUMMARY_HEADER = N_("Summary")


def add(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    values = read_json_object(args.json)
    with open_services(paths) as services:
        record = services.records(args.kind).create(values)
    print(record.id)
    return 0


def update(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    changes = read_json_object(args.json)
    with open_services(paths) as services:
        record = services.records(args.kind).update(args.id, changes)
    print(record.id)
    return 0


def delete(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        services.records(args.kind).delete(args.id)
    print(args.id)
    return 0


def list_records(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        service = services.records(args.kind)
        records = service.list(search=args.search, limit=args.limit)
        form = service.form
    if args.json:
        print_json([record.to_json() for record in records])
        return 0
    if not records:
        print(_("No records."))
        return 0
    print(_table(args.kind, form, records))
    print(ngettext("{count} record", "{count} records", len(records)).format(count=len(records)))
    return 0


def _table(kind: str, form: Form, records: Sequence[RecordView]) -> str:
    by_name = {field.name: field for field in form.fields}
    columns = [by_name[name] for name in LIST_COLUMNS.get(kind, ()) if name in by_name]
    headers = [_(ID_HEADER), _(SUMMARY_HEADER), *(_(field.label) for field in columns)]
    rows = [
        [
            record.id,
            record.summary,
            *(display_field(field, record.values.get(field.name)) for field in columns),
        ]
        for record in records
    ]
    return render_table(headers, rows)


def show(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        service = services.records(args.kind)
        record = service.get(args.id)
        form = service.form
    if args.json:
        print_json(record.to_json())
        return 0
    pairs = [(_(ID_HEADER), record.id)]
    pairs += [(_(field.label), display_field(field, record.values.get(field.name))) for field in form.fields]
    pairs += [
        (_("Created"), display(record.created_at)),
        (_("Updated"), display(record.updated_at)),
    ]
    if args.kind == "practices":
        pairs += _soc_lines(record)
    print(render_fields(pairs))
    return 0


def _soc_lines(record: RecordView) -> list[tuple[str, str]]:
    """The practice's result against the 4 per 1000 target, with what limits it."""

    def number(name: str) -> float | None:
        value = record.values.get(name)
        return None if value is None else float(value)

    result = soc_change(
        number("soc_before_t_ha"),
        number("soc_after_t_ha"),
        number("soc_years"),
        number("soc_depth_cm"),
    )
    lines = [(_("4 per 1000"), describe(result))]
    lines += [(_("Warning"), warning.message) for warning in result.warnings]
    return lines
