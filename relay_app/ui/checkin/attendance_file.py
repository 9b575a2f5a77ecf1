"""Where the attendance export goes: a save dialog offering CSV or XLSX."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from relay_app.i18n import _
from relay_app.transfer import FileFormat

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
