"""`relay-app records export`: every record to a file (imports are in ``cli/imports``)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relay_app.cli.inputs import CliError
from relay_app.config import Paths
from relay_app.i18n import _, ngettext
from relay_app.transfer import FileFormat, write_table

if TYPE_CHECKING:
    from relay_app.services.records import RecordService

MAPPABLE_KINDS = ("partners", "practices")
EXPORT_PAGE = 1000


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
