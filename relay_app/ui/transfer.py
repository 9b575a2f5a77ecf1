"""Export from the window, on the database thread, with progress and Cancel (imports have their
wizard: ``relay_app.ui.imports``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.transfer import FileFormat, write_table
from relay_app.ui.operations import Operation, Progress


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
