"""The desk's "Badges…" and "Lists…": choose, confirm, then render off the GUI thread.

Rendering goes through ``Operation`` with a progress dialog (a few hundred badges take seconds);
a badge printed before is printed again only after a yes, and a list with personal data is written
only after a yes and noted in the data folder's log of personal exports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QWidget,
)

from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.services.badges import DEFAULT_LAYOUT, SHEET_LAYOUTS, BadgePrintLog, forum_badges
from relay_app.services.desk_lists import (
    DeskList,
    ListFormat,
    build_list,
    note_personal_export,
    write_list_table,
)
from relay_app.ui.operations import Operation

Tell = Callable[[str], None]
OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


class BadgeChoice(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print badges"))
        self.layout_choice = QComboBox()
        for key, layout in SHEET_LAYOUTS.items():
            self.layout_choice.addItem(_(layout.title), key)
        self.layout_choice.setCurrentIndex(self.layout_choice.findData(DEFAULT_LAYOUT))
        self.new_only = QCheckBox(_("Only badges not printed yet"))
        buttons = QDialogButtonBox(OK_CANCEL)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Label sheet:"), self.layout_choice)
        form.addRow(self.new_only)
        form.addRow(buttons)


class ListChoice(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print or export a list"))
        self.kind = QComboBox()
        for kind in DeskList:
            self.kind.addItem(kind.title, kind.value)
        self.format = QComboBox()
        for fmt, text in ((ListFormat.PDF, _("PDF, to print")), (ListFormat.XLSX, _("Excel workbook")),
                          (ListFormat.CSV, _("CSV file"))):
            self.format.addItem(text, fmt.value)
        buttons = QDialogButtonBox(OK_CANCEL)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("List:"), self.kind)
        form.addRow(_("Format:"), self.format)
        form.addRow(buttons)


def _ask_path(parent: QWidget, title: str, suggested: str, fmt: str) -> Path | None:
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, suggested, f"*.{fmt}")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")


def _yes(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class DeskDocuments:
    """Badges and lists of the desk's forum; ``tell`` shows a one-line outcome on the desk."""

    def __init__(self, parent: QWidget, services: Services, tell: Tell) -> None:
        self._parent = parent
        self._services = services
        self._tell = tell

    def print_badges(
        self, forum_id: str, path: Path | None = None, layout: str | None = None, new_only: bool = False
    ) -> Operation | None:
        if path is None or layout is None:
            choice = BadgeChoice(self._parent)
            if choice.exec() != QDialog.DialogCode.Accepted:
                return None
            layout, new_only = choice.layout_choice.currentData(), choice.new_only.isChecked()
            path = _ask_path(self._parent, _("Save badges"), _("badges.pdf"), "pdf")
            if path is None:
                return None
        services = self._services
        badges = forum_badges(services.records("registrations"), services.records("forums"), forum_id)
        log = BadgePrintLog(services.paths)
        printed = log.printed(badge.registration_id for badge in badges)
        if new_only:
            badges = [badge for badge in badges if badge.registration_id not in printed]
        elif printed and not _yes(self._parent, _("Print badges"), ngettext(
            "{count} of these badges was printed before. Print it again?",
            "{count} of these badges were printed before. Print them again?",
            len(printed),
        ).format(count=len(printed))):
            return None
        if not badges:
            self._tell(_("No badge to print."))
            return None
        target, sheet = path, SHEET_LAYOUTS[layout]

        def render(progress: Callable[[int, int], None]) -> int:
            from relay_app.ui.badges.badge_sheet import render_badges

            count = render_badges(target, badges, sheet, progress)
            log.note([badge.registration_id for badge in badges], target)
            return count

        return (
            Operation(self._parent, render)
            .with_progress(_("Drawing badges…"))
            .success(lambda count: self._tell(ngettext(
                "{count} badge written to {name}.", "{count} badges written to {name}.", count
            ).format(count=count, name=target.name)))
            .failure(self._failed)
            .run()
        )

    def export_list(
        self, forum_id: str, kind: DeskList | None = None, fmt: ListFormat | None = None,
        path: Path | None = None,
    ) -> Operation | None:
        if kind is None or fmt is None or path is None:
            choice = ListChoice(self._parent)
            if choice.exec() != QDialog.DialogCode.Accepted:
                return None
            kind, fmt = DeskList(choice.kind.currentData()), ListFormat(choice.format.currentData())
            path = _ask_path(self._parent, kind.title, f"{kind.value}.{fmt.value}", fmt.value)
            if path is None:
                return None
        if kind.personal and not _yes(self._parent, kind.title, _(
            "This list holds personal data. Once written, keeping it safe and deleting it is up to "
            "you. Write it to {name}?"
        ).format(name=path.name)):
            return None
        services, target, chosen_kind, chosen_format = self._services, path, kind, fmt

        def write(progress: Callable[[int, int], None]) -> int:
            table = build_list(services.records("registrations"), services.records("forums"), forum_id,
                               chosen_kind)
            if chosen_format is ListFormat.PDF:
                from relay_app.ui.badges.list_sheet import render_list

                count = render_list(target, table, progress)
            else:
                count = write_list_table(table, target, chosen_format)
            if chosen_kind.personal:
                note_personal_export(services.paths, table, target, forum_id)
            return count

        return (
            Operation(self._parent, write)
            .with_progress(_("Writing {name}…").format(name=target.name))
            .success(lambda count: self._tell(ngettext(
                "{count} row written to {name}.", "{count} rows written to {name}.", count
            ).format(count=count, name=target.name)))
            .failure(self._failed)
            .run()
        )

    def _failed(self, error: BaseException) -> None:
        self._tell(_("Not written: {reason}").format(reason=str(error)))
