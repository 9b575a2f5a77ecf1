"""`relay-app records import|export`: whole files of records, all or nothing."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_error, print_json
from relay_app.config import Paths
from relay_app.i18n import _, ngettext
from relay_app.transfer import FileFormat, read_rows, write_table

if TYPE_CHECKING:
    from relay_app.services.importing import ImportReport, RowError
    from relay_app.services.records import RecordService

MAPPABLE_KINDS = ("partners", "practices")
EXPORT_PAGE = 1000


def import_file(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    rows = read_rows(args.file)  # a broken file stops here, before the database is opened
    with open_services(paths) as services:
        report = services.records(args.kind).import_rows(rows, dry_run=args.dry_run)
    if args.json:
        print_json(report.to_json())
    if report.errors:
        for error in report.errors:
            print_error(_row_error(error))
        print_error(_failure_summary(report))
        return 1
    if not args.json:
        print(_success_summary(report))
    return 0


def _row_error(error: RowError) -> str:
    if error.field:
        return _("row {row}, field {field}: {message}").format(
            row=error.row, field=error.field, message=error.message
        )
    return _("row {row}: {message}").format(row=error.row, message=error.message)


def _failure_summary(report: ImportReport) -> str:
    rows = len({error.row for error in report.errors})
    if report.dry_run:
        text = ngettext(
            "Check failed: {rows} row out of {total} has errors.",
            "Check failed: {rows} rows out of {total} have errors.",
            rows,
        )
    else:
        text = ngettext(
            "Nothing was imported: {rows} row out of {total} has errors.",
            "Nothing was imported: {rows} rows out of {total} have errors.",
            rows,
        )
    return text.format(rows=rows, total=report.total)


def _success_summary(report: ImportReport) -> str:
    if report.dry_run:
        return ngettext(
            "Checked {total} row: no errors. Nothing was written (dry run).",
            "Checked {total} rows: no errors. Nothing was written (dry run).",
            report.total,
        ).format(total=report.total)
    return ngettext(
        "Imported {total} row: {created} created, {updated} updated, {unchanged} unchanged.",
        "Imported {total} rows: {created} created, {updated} updated, {unchanged} unchanged.",
        report.total,
    ).format(
        total=report.total,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )


def export_file(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    target = Path(args.output)
    fmt = FileFormat(args.format) if args.format else FileFormat.from_path(target)
    if fmt is FileFormat.GEOJSON and args.kind not in MAPPABLE_KINDS:
        raise CliError(
            _("GeoJSON export is only for records with a position: {kinds}.").format(
                kinds=", ".join(MAPPABLE_KINDS)
            )
        )
    with open_services(paths) as services:
        service = services.records(args.kind)
        total = service.count()
        fields = ["id", *service.form.field_names(), "created_at", "updated_at"]
        written = write_table(target, fmt, fields, _all_rows(service))
    if fmt is FileFormat.GEOJSON and written < total:
        message = ngettext(
            "Exported {written} of {total} record to {file} ({skipped} without a position).",
            "Exported {written} of {total} records to {file} ({skipped} without a position).",
            total,
        ).format(written=written, total=total, file=target.name, skipped=total - written)
    else:
        message = ngettext(
            "Exported {count} record to {file}.", "Exported {count} records to {file}.", written
        ).format(count=written, file=target.name)
    print(message)
    return 0


def _all_rows(service: RecordService) -> Iterator[dict[str, Any]]:
    """Every record as JSON-ready values, a page at a time to keep memory flat."""
    offset = 0
    while True:
        page = service.list(offset=offset, limit=EXPORT_PAGE)
        yield from (record.to_json() for record in page)
        if len(page) < EXPORT_PAGE:
            return
        offset += EXPORT_PAGE
