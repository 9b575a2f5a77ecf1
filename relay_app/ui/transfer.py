"""Import and export from the window, on the database thread, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from relay_app.i18n import _, ngettext
from relay_app.services import ImportReport, Services
from relay_app.transfer import FileFormat, read_rows, write_table
from relay_app.ui.changes import DataChanges
from relay_app.ui.operations import Cancelled, Operation, Progress

MAX_ERRORS_SHOWN = 15


def import_summary(report: ImportReport) -> str:
    if report.errors:
        lines = [
            ngettext(
                "Nothing was imported: {count} error.",
                "Nothing was imported: {count} errors.",
                len(report.errors),
            ).format(count=len(report.errors))
        ]
        lines.extend(
            _("Row {row}: {message}").format(row=error.row, message=error.message)
            for error in report.errors[:MAX_ERRORS_SHOWN]
        )
        return "\n".join(lines)
    return _(
        "Imported {total} rows: {created} new, {updated} updated, {unchanged} unchanged."
    ).format(
        total=report.total,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )


def start_import(
    parent: QWidget,
    services: Services,
    kind: str,
    path: Path,
    changes: DataChanges,
    on_done: Any = None,
) -> Operation:
    """Import ``path`` into ``kind``; the result is told in a message box (or to ``on_done``)."""

    def work(progress: Progress) -> ImportReport:
        rows = read_rows(path)
        return services.import_rows(kind, rows, progress=progress)

    def succeeded(report: ImportReport) -> None:
        if report.written:
            changes.records_changed.emit(kind)
        if on_done is not None:
            on_done(report)
        else:
            QMessageBox.information(parent, _("Import"), import_summary(report))

    def failed(error: BaseException) -> None:
        message = (
            _("Import cancelled: nothing was written.")
            if isinstance(error, Cancelled)
            else _("Import failed: {reason}").format(reason=str(error))
        )
        if on_done is not None:
            on_done(error)
        else:
            QMessageBox.warning(parent, _("Import"), message)

    label = _("Importing {name}…").format(name=path.name)
    return Operation(parent, work).with_progress(label).success(succeeded).failure(failed).run()


def start_export(
    parent: QWidget,
    services: Services,
    kind: str,
    path: Path,
    record_ids: Sequence[str] | None = None,
) -> Operation:
    """Write the records of ``kind`` (only ``record_ids``, in that order, when given) to ``path``."""
    service = services.records(kind)
    wanted = None if record_ids is None else list(record_ids)

    def work(_progress: Progress) -> int:
        records = service.list() if wanted is None else [service.get(i) for i in wanted]
        rows = [record.to_json() for record in records]
        fields = ["id", *service.form.field_names()]
        return write_table(path, FileFormat.from_path(path), fields, rows)

    def succeeded(count: int) -> None:
        QMessageBox.information(
            parent,
            _("Export"),
            ngettext(
                "{count} record written to {name}.", "{count} records written to {name}.", count
            ).format(count=count, name=path.name),
        )

    def failed(error: BaseException) -> None:
        QMessageBox.warning(
            parent, _("Export"), _("Export failed: {reason}").format(reason=str(error))
        )

    label = _("Exporting to {name}…").format(name=path.name)
    return Operation(parent, work).with_progress(label).success(succeeded).failure(failed).run()
