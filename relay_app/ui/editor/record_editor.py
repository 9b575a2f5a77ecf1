"""An editor generated from a record kind's form definition.

Each field gets the input that suits its type, a label that is its buddy (so screen readers
announce the two together) and an error line under it (see ``FieldRow``). Every edit re-checks
that field with ``Form.coerce_field`` and re-evaluates which fields apply. Work in progress is
kept as a draft file every few seconds and whenever focus leaves a field, so a crash loses almost
nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app import carbon
from relay_app.formatting import format_decimal
from relay_app.forms import FieldError, form_for
from relay_app.i18n import _
from relay_app.services import RecordView, Services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.drafts import Draft, DraftStore, new_draft_key
from relay_app.services.errors import ServiceError, ValidationFailed
from relay_app.services.record_files import ROLES_BY_KIND, RecordFileService
from relay_app.ui.editor.coordinates import parse_coordinates
from relay_app.ui.editor.date_input import DateInput
from relay_app.ui.editor.derived_fields import DerivedFields
from relay_app.ui.editor.field_row import FieldRow
from relay_app.ui.editor.files import RecordFilesBox
from relay_app.ui.editor.inputs import FieldInput, make_input
from relay_app.ui.form_scroll import FormScrollArea
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.records.kinds import KIND_VIEWS
from relay_app.ui.settings import UiSettings

_SOC_FIELDS = ("soc_before_t_ha", "soc_after_t_ha", "soc_years", "soc_depth_cm")


class RecordEditor(QWidget):
    """Edits one record of ``kind``; ``saved(id)`` after a successful save."""

    saved = Signal(str)
    cancelled = Signal()
    dirty_changed = Signal(bool)
    field_edited = Signal(str)  # a field the person changed (not one loaded from a record)
    values_loaded = Signal()
    AUTOSAVE_MS = 3000

    def __init__(self, services: Services, kind: str, drafts: DraftStore) -> None:
        super().__init__()
        self._services = services
        self.kind = kind
        self.form = form_for(kind)
        self._view = KIND_VIEWS[kind]
        self._drafts = drafts
        self._record_id: str | None = None
        self._draft_key = new_draft_key(kind)
        self._loaded: dict[str, Any] = {}
        self._last_drafted: dict[str, Any] | None = None
        self._dirty = False
        self._loading = False
        self.rows: dict[str, FieldRow] = {}

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.title.setWordWrap(True)  # a long record name must not widen the window
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #b71c1c; border: 1px solid #b71c1c; padding: 4px;")
        self.banner.hide()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)  # each field's reserved error line spaces the fields
        self.carbon_label: QLabel | None = None
        self.paste_button: QPushButton | None = None
        line = 0
        for field in self.form.fields:
            row = FieldRow(field, make_input(field, services))
            row.input.changed.connect(lambda name=field.name: self._field_changed(name))
            self.rows[field.name] = row
            grid.addWidget(row.label, line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.input.widget, line, 1)
            grid.addWidget(row.error, line + 1, 1)
            line += 2
            if field.name == "longitude":
                self.paste_button = QPushButton(icon("import"), "")
                self.paste_button.clicked.connect(self.paste_coordinates)
                grid.addWidget(self.paste_button, line, 1, Qt.AlignmentFlag.AlignLeft)
                line += 1
            if field.name == "soc_method" and kind == "practices":
                self.carbon_label = QLabel()
                self.carbon_label.setWordWrap(True)
                self.carbon_label.setTextInteractionFlags(
                    Qt.TextInteractionFlag.TextSelectableByKeyboard
                    | Qt.TextInteractionFlag.TextSelectableByMouse
                )
                self.carbon_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                grid.addWidget(self.carbon_label, line, 0, 1, 2)
                line += 1
        self._link_dates()
        self.file_boxes = self._make_file_boxes()
        for box in self.file_boxes.values():
            grid.addWidget(box, line, 0, 1, 2)
            line += 1
        grid.setRowStretch(line, 1)  # room left over goes below the last field, not between
        self.scroll = FormScrollArea(grid_host)

        self.save_button = QPushButton(icon("save"), "")
        self.cancel_button = QPushButton()
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(True)  # Enter on a focused button presses it, in any window
        self.save_button.clicked.connect(lambda: self.save())
        self.cancel_button.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.legend, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)  # beside the list, inside the window's margins
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)
        self._set_tab_order()

        self._autosave = QTimer(self)
        self._autosave.setInterval(self.AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._autosave.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.derived_fields = DerivedFields(self)
        self.start_new()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for row in self.rows.values():
            chain.extend(row.input.tab_stops())
            if row.field.name == "longitude" and self.paste_button is not None:
                chain.append(self.paste_button)
            if row.field.name == "soc_method" and self.carbon_label is not None:
                chain.append(self.carbon_label)  # read aloud where it shows, under the method
        for box in self.file_boxes.values():
            chain.extend(box.focus_widgets())
        chain.extend([self.cancel_button, self.save_button])
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _link_dates(self) -> None:
        """A date's calendar opens at the form's other date when it has none (a forum's end)."""
        dates = [row.input for row in self.rows.values() if isinstance(row.input, DateInput)]
        for date_input in dates:
            others = [other for other in dates if other is not date_input]
            date_input.nearby_date = lambda others=others: next(
                (found for found in (other.date() for other in others) if found), None
            )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # An Enter no field took (line edits, choices and check boxes pass it on) moves to the
        # next field: Enter never leaves the form, and never reaches the list or a dialog's
        # default button behind it. Popups (completions, calendars) keep their own keys.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if enter and plain and self.focus_next_field():
            event.accept()
            return
        # Escape cancels the editor once no field took it. Not a shortcut: shortcuts fire
        # before an open completion list or calendar, which must close on their Escape.
        if event.key() == Qt.Key.Key_Escape and plain:
            event.accept()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def focus_next_field(self) -> bool:
        """Move from the field with the focus to the next one shown; after the last, to Save.

        False when the focus is in no field (a button, the files), so the key goes on.
        """
        focused = QApplication.focusWidget()
        if focused is None:
            return False
        rows = list(self.rows.values())
        current = next(
            (
                number
                for number, row in enumerate(rows)
                if row.input.widget is focused or row.input.widget.isAncestorOf(focused)
            ),
            None,
        )
        if current is None:
            return False
        following = (
            row.input.focus
            for row in rows[current + 1 :]
            if row.input.widget.isVisibleTo(self) and row.input.focus.isEnabled()
        )
        next(following, self.save_button).setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _make_file_boxes(self) -> dict[str, RecordFilesBox]:
        roles = ROLES_BY_KIND.get(self.kind, ())
        if not roles:
            return {}
        paths = self._services.paths
        files = RecordFileService(
            self._services.database, AttachmentStore(paths.attachments), self._services.device_id
        )
        boxes = {}
        for role in roles:
            # Read at each addition, so a changed setting applies without reopening the editor.
            box = RecordFilesBox(files, self.kind, role, lambda: UiSettings(paths).max_image_side)
            box.location_found.connect(self.offer_location)
            box.files_changed.connect(self._update_dirty)
            boxes[role] = box
        return boxes

    # -- state ------------------------------------------------------------------------------------

    @property
    def record_id(self) -> str | None:
        return self._record_id

    @property
    def draft_key(self) -> str:
        return self._draft_key

    def is_dirty(self) -> bool:
        return self._dirty

    def raw_values(self) -> dict[str, Any]:
        return {name: row.input.raw() for name, row in self.rows.items()}

    def field_input(self, name: str) -> FieldInput:
        return self.rows[name].input

    def error_text(self, name: str) -> str:
        return self.rows[name].error.text()

    def _load(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            for name, row in self.rows.items():
                row.input.set_raw(values.get(name, row.field.default_value()))
                row.show_error(None)
        finally:
            self._loading = False
        self.banner.hide()
        self._refresh_conditions()
        self._update_carbon()
        self.values_loaded.emit()

    def start_new(self, values: dict[str, Any] | None = None) -> None:
        self._record_id = None
        for box in self.file_boxes.values():
            box.set_owner(None)
        self._draft_key = new_draft_key(self.kind)
        self._load({})
        self._loaded = self.raw_values()
        if values:
            self._load(values)
        self._last_drafted = None
        self._update_dirty()
        self.retranslate_ui()

    def start_edit(self, record: RecordView) -> None:
        self._record_id = record.id
        for box in self.file_boxes.values():
            box.set_owner(record.id)
        self._draft_key = new_draft_key(self.kind, record.id)
        self._load(record.values)
        self._loaded = self.raw_values()
        self._last_drafted = None
        self._set_dirty(False)
        self.retranslate_ui()

    def restore_draft(self, draft: Draft) -> None:
        """Show a draft found after a crash; it stays dirty until saved or discarded."""
        if draft.record_id:
            try:
                self.start_edit(self._services.records(self.kind).get(draft.record_id))
            except ServiceError:
                self.start_new()
        else:
            self.start_new()
        self._draft_key = draft.key
        self._load(draft.values)
        self._last_drafted = dict(draft.values)
        self._update_dirty()

    def discard(self) -> None:
        """Forget the unsaved changes and their draft, and undo what was done to the files."""
        self._drafts.discard(self._draft_key)
        self._last_drafted = None
        self._load(self._loaded)
        for box in self.file_boxes.values():
            box.undo_edits()
        self._set_dirty(False)

    def _update_dirty(self) -> None:
        files_edited = any(box.edits for box in self.file_boxes.values())
        self._set_dirty(files_edited or self.raw_values() != self._loaded)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- checks as the person types ---------------------------------------------------------------

    def _field_changed(self, name: str) -> None:
        if self._loading:
            return
        row = self.rows[name]
        _value, error = self.form.coerce_field(name, row.input.raw())
        row.show_error(error.message if error else None)
        self._refresh_conditions()
        if name in _SOC_FIELDS:
            self._update_carbon()
        self._update_dirty()
        self.field_edited.emit(name)

    def _snapshot(self) -> dict[str, Any]:
        return {
            name: self.form.coerce_field(name, row.input.raw())[0]
            for name, row in self.rows.items()
        }

    def _refresh_conditions(self) -> None:
        snapshot = self._snapshot()
        for row in self.rows.values():
            field = row.field
            if field.relevant is not None:
                row.set_visible(field.relevant.evaluate(snapshot))
            required = field.required or (
                field.required_if is not None and field.required_if.evaluate(snapshot)
            )
            if required != row.required_now:
                row.required_now = required
                row.retranslate_ui()

    def _relevant(self, name: str) -> bool:
        condition = self.rows[name].field.relevant
        return condition is None or condition.evaluate(self._snapshot())

    def _update_carbon(self) -> None:
        if self.carbon_label is None:
            return
        snapshot = self._snapshot()
        result = carbon.soc_change(
            snapshot.get("soc_before_t_ha"),
            snapshot.get("soc_after_t_ha"),
            snapshot.get("soc_years"),
            snapshot.get("soc_depth_cm"),
        )
        lines = [_("4 per 1000 result: {result}").format(result=carbon.describe(result))]
        lines.extend(warning.message for warning in result.warnings)
        self.carbon_label.setText("\n".join(lines))
        self.carbon_label.setAccessibleName(lines[0])

    def paste_coordinates(self) -> None:
        """Fill latitude and longitude from the clipboard ("14.69, -17.44" or degrees/minutes)."""
        found = parse_coordinates(QGuiApplication.clipboard().text())
        if found is None:
            self.rows["latitude"].show_error(
                _("The clipboard holds no coordinates; copy them as “14.69, -17.44”.")
            )
            return
        self.rows["latitude"].input.set_raw(found[0])
        self.rows["longitude"].input.set_raw(found[1])

    def offer_location(self, latitude: float, longitude: float) -> bool:
        """Offer a photo's GPS position as the record's location, only where none is given yet."""
        if "latitude" not in self.rows or "longitude" not in self.rows:
            return False
        if any(self.rows[name].input.raw() not in (None, "") for name in ("latitude", "longitude")):
            return False  # never replace a location the person entered
        answer = QMessageBox.question(
            self,
            _("Use the photo's position?"),
            _("This photo was taken at {latitude}, {longitude}. Use it as the location?").format(
                latitude=format_decimal(latitude, 5), longitude=format_decimal(longitude, 5)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,  # asked only where no location is given yet
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.rows["latitude"].input.set_raw(latitude)
        self.rows["longitude"].input.set_raw(longitude)
        return True

    # -- saving -----------------------------------------------------------------------------------

    def values_to_save(self) -> dict[str, Any]:
        snapshot = self._snapshot()
        values = {}
        for name, row in self.rows.items():
            relevant = row.field.relevant is None or row.field.relevant.evaluate(snapshot)
            values[name] = row.input.raw() if relevant else row.field.empty_value()
        return values

    def show_errors(self, errors: list[FieldError]) -> None:
        by_field = {error.field: error.message for error in errors if error.field in self.rows}
        for name, row in self.rows.items():
            row.show_error(by_field.get(name))
        general = [error.message for error in errors if error.field not in self.rows]
        message = _("Not saved: correct the fields marked with ⚠.")
        if general:
            message = "\n".join([message, *general])
        self.banner.setText(message)
        self.banner.show()
        first = next((row for name, row in self.rows.items() if name in by_field), None)
        if first is not None:
            first.input.focus.setFocus()

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Check, then write on the database thread; False when refused here and now."""
        values = self.values_to_save()
        result = self.form.validate(values)
        if not result.ok:
            self.show_errors(result.errors)
            return False
        self.banner.hide()
        service = self._services.records(self.kind)
        record_id = self._record_id

        def work(_progress: Any) -> RecordView:
            if record_id is None:
                return service.create(values)
            return service.update(record_id, values)

        def succeeded(record: RecordView) -> None:
            self._drafts.discard(self._draft_key)
            for box in self.file_boxes.values():
                box.edits.take()  # saved with the record: Cancel no longer undoes them
            self.start_edit(record)
            self.saved.emit(record.id)
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationFailed):
                self.show_errors(error.errors)
            else:
                self.banner.setText(_("Not saved: {reason}").format(reason=str(error)))
                self.banner.show()

        self.save_button.setEnabled(False)
        Operation(self, work).success(
            lambda record: (self.save_button.setEnabled(True), succeeded(record))
        ).failure(lambda error: (self.save_button.setEnabled(True), failed(error))).run()
        return True

    def refresh_references(self) -> None:
        """Records of another kind changed: offer the new ones in reference pickers."""
        for row in self.rows.values():
            reload = getattr(row.input, "reload", None)
            if reload is not None:
                self._loading = True
                try:
                    reload()
                finally:
                    self._loading = False

    # -- drafts -----------------------------------------------------------------------------------

    def save_draft(self) -> None:
        if not self._dirty:
            return
        values = self.raw_values()
        if values != self._last_drafted:
            self._drafts.save(self._draft_key, self.kind, self._record_id, values)
            self._last_drafted = values

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and self.isAncestorOf(old):
            self.save_draft()

    # -- language ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        if self._record_id is None:
            self.title.setText(_(self._view.new_title))
        else:
            summary = self.form.summary(self._snapshot())
            self.title.setText(_("Editing: {title}").format(title=summary))
        for row in self.rows.values():
            row.retranslate_ui()
        self.legend.setText(_("Fields marked * are required."))
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(_("Save the record (Ctrl+S)"))
        self.cancel_button.setText(_("Cancel"))
        if self.paste_button is not None:
            self.paste_button.setText(_("Paste coordinates"))
            self.paste_button.setToolTip(
                _("Fill latitude and longitude from copied text such as “14.69, -17.44”.")
            )
            self.paste_button.setAccessibleName(_("Paste coordinates"))
        self._update_carbon()
