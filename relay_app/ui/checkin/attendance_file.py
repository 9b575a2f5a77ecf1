"""The attendance export: where it goes (a save dialog offering CSV or XLSX), and the writing,
off the GUI thread, of a forum's registrations with their check-ins."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.transfer import FileFormat
from relay_app.ui.operations import Operation

EXPORT_FORMATS = (FileFormat.CSV, FileFormat.XLSX)
_REFUSED_IN_NAMES = re.compile(r'[\\/:*?"<>|]+')  # characters some file systems refuse


def with_export_suffix(path: Path, chosen: FileFormat) -> Path:
    """``path`` with the chosen format's extension, unless the person typed a supported one."""
    if path.suffix.lower().lstrip(".") in {fmt.value for fmt in EXPORT_FORMATS}:
        return path
    return path.with_name(f"{path.name}.{chosen.value}")


def ask_attendance_path(parent: QWidget, forum_name: str) -> Path | None:
    filters = {
        FileFormat.CSV: _("CSV file (*.csv)"),
        FileFormat.XLSX: _("Excel workbook (*.xlsx)"),
    }
    forum = _REFUSED_IN_NAMES.sub("-", forum_name).strip() or "forum"
    suggested = _("attendance-{forum}.csv").format(forum=forum)
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent, _("Export attendance"), suggested, ";;".join(filters.values())
    )
    if not chosen:
        return None
    wanted = next((fmt for fmt, text in filters.items() if text == chosen_filter), FileFormat.CSV)
    return with_export_suffix(Path(chosen), wanted)


class AttendanceExport:
    """The desk's "Export attendance…": a forum's registrations with their check-ins, as a file."""

    def __init__(self, parent: QWidget, services: Services, tell: Callable[[str], None]) -> None:
        self._parent = parent
        self._service = services.check_ins
        self._tell = tell

    def export(self, forum_id: str, forum_name: str, path: Path | None = None) -> Operation | None:
        """Write the forum's registrations to ``path``, or to a file the person chooses."""
        if path is None:
            path = ask_attendance_path(self._parent, forum_name)
            if path is None:
                return None
        service = self._service
        target = path

        def written(count: int) -> None:
            self._tell(
                ngettext(
                    "{count} registration written to {name}.",
                    "{count} registrations written to {name}.",
                    count,
                ).format(count=count, name=target.name)
            )

        def failed(error: BaseException) -> None:
            self._tell(_("Export failed: {reason}").format(reason=str(error)))

        return (
            Operation(self._parent, lambda _progress: service.export_attendance(forum_id, target))
            .with_progress(_("Exporting to {name}…").format(name=target.name))
            .success(written)
            .failure(failed)
            .run()
        )
