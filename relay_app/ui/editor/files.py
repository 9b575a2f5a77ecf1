"""The files of the record being edited: a grid of thumbnails, added by dialog or drag and drop.

Files are linked to the saved record as soon as they are added (they live in their own table, not
in the record's fields), so a new record must be saved once first. Reading, scaling and storing a
photo runs on the worker thread: a 20 MB photo never freezes the window. Removing is undoable.
A file linked on another device may be listed before its bytes arrive: it shows as "Not
downloaded yet", with a button that starts the window's files sync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QImageReader,
    QKeyEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.i18n import N_, _, ngettext
from relay_app.services.record_files import (
    SINGLE_ROLES,
    GpsPosition,
    RecordFile,
    RecordFileService,
    exif_gps,
)
from relay_app.ui.editor.file_edits import FileEdits
from relay_app.ui.editor.file_edits import undo as undo_file_edits
from relay_app.ui.icons import icon
from relay_app.ui.images import prepared_image
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.photo_viewer import enter_opens_photos, open_photo_viewer
from relay_app.ui.sync.missing_files import MissingFilesBar, not_downloaded_text, placeholder_pixmap

THUMBNAIL = 96
ROLE_TITLES = {"logo": N_("Logo"), "poster": N_("Poster"), "photo": N_("Photos")}
IMAGE_PATTERNS = "*.jpg *.jpeg *.png *.webp *.gif *.bmp *.tif *.tiff"


@dataclass(frozen=True)
class AddResult:
    added: list[RecordFile]
    refused: list[str]  # file names that are no image Qt can read
    position: GpsPosition | None  # the first position found in an added photo's EXIF
    replaced: list[str]  # the logo or poster an added one took the place of


def thumbnail_image(path: Path, side: int = THUMBNAIL) -> QImage | None:
    """The image at ``path`` scaled into a ``side`` square; None when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():  # decoding at thumbnail size is far cheaper than decoding it whole
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def thumbnail(path: Path) -> QIcon:
    image = thumbnail_image(path)
    return QIcon(QPixmap.fromImage(image)) if image is not None else icon("warning")


class RecordFilesBox(QGroupBox):
    """The files of one role (logo, poster or photos) of the record in the editor."""

    files_changed = Signal()  # a write landed and the grid shows it
    location_found = Signal(float, float)  # an added photo carries a GPS position

    def __init__(
        self,
        service: RecordFileService,
        kind: str,
        role: str,
        max_side: Callable[[], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.kind = kind
        self.role = role
        self._max_side = max_side
        self._owner_id: str | None = None
        self._removed: list[str] = []
        self.edits = FileEdits()  # since the editor opened the record or last saved it
        self._files: list[RecordFile] = []
        self._missing_ids: set[str] = set()  # shown as "Not downloaded yet"
        self.setAcceptDrops(True)

        self.grid = QListWidget()
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.grid.setGridSize(QSize(THUMBNAIL + 24, THUMBNAIL + 36))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setAcceptDrops(False)  # drops go to the box, which adds the files
        rows = 1 if role in SINGLE_ROLES else 2  # the editor scrolls; the grid stays compact
        self.grid.setFixedHeight(rows * (THUMBNAIL + 36) + 12)
        self.grid.itemSelectionChanged.connect(self._selection_changed)
        self.grid.itemActivated.connect(
            lambda item: self.open_file(item.data(Qt.ItemDataRole.UserRole))
        )
        enter_opens_photos(self.grid, lambda: self.grid.currentItem() is not None)
        self.grid.installEventFilter(self)  # Del removes files here, not the record
        self.add_button = QPushButton(icon("new"), "")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(icon("delete"), "")
        self.remove_button.clicked.connect(self.remove_selected)
        self.caption_label = QLabel()
        self.caption = QLineEdit()
        self.caption_label.setBuddy(self.caption)
        self.caption.editingFinished.connect(self._caption_edited)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.undo_button = QPushButton(icon("undo"), "")
        self.undo_button.clicked.connect(self.undo_remove)
        self._show_message("")  # no stray Undo before anything was removed
        self.missing_bar = MissingFilesBar()
        self.missing_bar.sync_ended.connect(self._sync_ended)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_label)
        caption_row.addWidget(self.caption, 1)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.missing_bar)
        layout.addLayout(caption_row)
        layout.addLayout(buttons)
        layout.addLayout(message_row)
        language_signal().changed.connect(self.retranslate_ui)
        self.set_owner(None)

    # -- state ------------------------------------------------------------------------------------

    @property
    def owner_id(self) -> str | None:
        return self._owner_id

    def files(self) -> list[RecordFile]:
        return list(self._files)

    def focus_widgets(self) -> list[QWidget]:
        return [
            self.grid, self.missing_bar.download_button, self.caption, self.add_button,
            self.remove_button, self.undo_button,
        ]

    def set_owner(self, record_id: str | None) -> None:
        """Show the files of ``record_id`` (None: a record not saved yet, which has none)."""
        if record_id != self._owner_id:
            self._removed = []
            self.edits = FileEdits()
            self._show_message("")
        self._owner_id = record_id
        self.reload()

    def reload(self) -> None:
        if self._owner_id is None:
            self._files = []
        else:
            self._files = self.service.list(self.kind, self._owner_id, self.role)
        self._missing_ids = {file.id for file in self._files if not self.is_here(file)}
        self.grid.clear()
        for file in self._files:
            here = file.id not in self._missing_ids
            shown = thumbnail(self.service.path_for(file)) if here else QIcon()
            item = QListWidgetItem(shown, self._label(file))
            item.setData(Qt.ItemDataRole.UserRole, file.id)
            self.grid.addItem(item)
        self.missing_bar.set_missing(len(self._missing_ids))
        self.retranslate_ui()

    def _label(self, file: RecordFile) -> str:
        return file.caption or file.filename or _("(no name)")

    def is_here(self, file: RecordFile) -> bool:
        """Whether the file's bytes are on this device (a synced link may come before them)."""
        return self.service.path_for(file).is_file()

    def missing_files(self) -> list[RecordFile]:
        """The files shown as "Not downloaded yet" (one may have arrived since)."""
        return [file for file in self._files if file.id in self._missing_ids]

    def open_file(self, file_id: str) -> bool:
        """Open the file in the app's photo viewer; one not downloaded yet says so instead."""
        file = next((f for f in self._files if f.id == file_id), None)
        if file is None:
            return False
        if not self.is_here(file):
            self._show_message(
                _("{name}: not downloaded yet. Download now to open it.").format(
                    name=self._label(file)
                )
            )
            return False
        return open_photo_viewer(self, self.service.store, self._files, file.id) is not None

    def _sync_ended(self) -> None:
        """Reload only when a missing file arrived, so a selection is not lost for nothing."""
        if any(self.is_here(file) for file in self.missing_files()):
            self.reload()

    def selected_ids(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.grid.selectedItems()]

    # -- adding -----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self._owner_id is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Add files"),
            "",
            _("Images ({patterns})").format(patterns=IMAGE_PATTERNS),
        )
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, sources: Sequence[Path]) -> Operation | None:
        """Scale, store and link ``sources`` on the worker; None when there is no saved record."""
        owner_id = self._owner_id
        if owner_id is None or not sources:
            return None
        if self.role in SINGLE_ROLES:
            sources = sources[-1:]  # one logo, one poster: the last one dropped wins
        service, kind, role = self.service, self.kind, self.role
        max_side = self._max_side()
        replaced = [file.id for file in self._files] if role in SINGLE_ROLES else []

        def work(progress: Callable[[int, int], None]) -> AddResult:
            added: list[RecordFile] = []
            refused: list[str] = []
            position: GpsPosition | None = None
            for done, source in enumerate(sources):
                progress(done, len(sources))
                prepared = prepared_image(source, max_side)
                if prepared is None:
                    refused.append(source.name)
                    continue
                data, media_type = prepared
                stored = service.store.put_bytes(data)
                added.append(
                    service.link(kind, owner_id, role, stored, media_type, filename=source.name)
                )
                if position is None and media_type == "image/jpeg":
                    position = exif_gps(data)  # what is stored: a scaled copy keeps the GPS tags
            return AddResult(added, refused, position, replaced if added else [])

        self.add_button.setEnabled(False)
        count = len(sources)
        label = ngettext("Adding {count} file…", "Adding {count} files…", count).format(count=count)
        return (
            Operation(self, work)
            .success(self._added)
            .failure(self._failed)
            .with_progress(label)
            .run()
        )

    def _added(self, result: AddResult) -> None:
        self.edits.added([file.id for file in result.added], result.replaced)
        self.add_button.setEnabled(self._owner_id is not None)
        self.reload()
        if result.refused:
            self._show_message(
                ngettext(
                    "Not added, not an image: {names}",
                    "Not added, not images: {names}",
                    len(result.refused),
                ).format(names=", ".join(result.refused))
            )
        else:
            self._show_message("")
        self.files_changed.emit()
        if result.position is not None:
            self.location_found.emit(result.position.latitude, result.position.longitude)

    def _failed(self, error: BaseException) -> None:
        self.add_button.setEnabled(self._owner_id is not None)
        self.reload()
        self._show_message(_("The files could not be added: {reason}").format(reason=str(error)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._owner_id is not None and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        paths = _local_files(event.mimeData().urls())
        if paths and self._owner_id is not None:
            event.acceptProposedAction()
            self.add_files(paths)

    # -- removing, undo, caption ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """In the grid, Del is the grid's: it wins over the window's "Delete record" (Del)."""
        kind = event.type()
        keyed = kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if (
            watched is self.grid
            and keyed
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        service = self.service

        def work(_progress: Any) -> list[str]:
            return [service.unlink(file_id).id for file_id in ids]

        def removed(file_ids: list[str]) -> None:
            self.edits.removed(file_ids)
            self._removed = file_ids
            self.reload()
            self._show_message(
                ngettext("{count} file removed.", "{count} files removed.", len(file_ids)).format(
                    count=len(file_ids)
                ),
                undo=True,
            )
            self.files_changed.emit()

        Operation(self, work).success(removed).failure(self._failed).run()

    def undo_remove(self) -> None:
        ids, self._removed = self._removed, []
        if not ids:
            return
        service = self.service

        def work(_progress: Any) -> None:
            for file_id in ids:
                service.restore(file_id)

        def restored(_result: Any) -> None:
            self.edits.restored(ids)
            self.reload()
            self._show_message("")
            self.files_changed.emit()

        Operation(self, work).success(restored).failure(self._failed).run()

    def undo_edits(self) -> Operation | None:
        """Undo every file write since the record was opened or saved ("Discard changes")."""
        edits = self.edits.take()
        if not edits:
            return None
        service = self.service

        def undone(_result: Any) -> None:
            self._removed = []
            self.reload()
            self._show_message("")
            self.files_changed.emit()

        return (
            Operation(self, lambda _progress: undo_file_edits(service, edits))
            .success(undone)
            .failure(self._failed)
            .run()
        )

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.remove_button.setEnabled(bool(ids))
        one = next((file for file in self._files if [file.id] == ids), None)
        self.caption.setEnabled(one is not None)
        self.caption.setText(one.caption or "" if one is not None else "")

    def _caption_edited(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        file = next((f for f in self._files if f.id == ids[0]), None)
        text = self.caption.text().strip()
        if file is None or text == (file.caption or ""):
            return
        service = self.service

        def work(_progress: Any) -> RecordFile:
            return service.set_caption(file.id, text)

        def captioned(changed: RecordFile) -> None:
            self.edits.captioned(changed.id, file.caption)
            self.reload()
            for row in range(self.grid.count()):
                item = self.grid.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == changed.id:
                    self.grid.setCurrentItem(item)
            self.files_changed.emit()

        Operation(self, work).success(captioned).failure(self._failed).run()

    def _show_message(self, text: str, *, undo: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.undo_button.setVisible(undo)

    # -- language ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        title = _(ROLE_TITLES[self.role])
        self.setTitle(title)
        saved = self._owner_id is not None
        self.add_button.setEnabled(saved)
        self.remove_button.setEnabled(bool(self.selected_ids()))
        self.caption.setEnabled(len(self.selected_ids()) == 1)
        self.grid.setAccessibleName(title)
        self.grid.setAccessibleDescription(
            _("Drop image files here. Del removes the selected files.")
            if saved
            else _("Save the record first to add files.")
        )
        self.grid.setToolTip(self.grid.accessibleDescription())
        self.add_button.setText(_("Add…"))
        self.add_button.setAccessibleName(_("Add files: {title}").format(title=title))
        self.add_button.setToolTip(
            _("Choose image files, or drop them on this box.")
            if saved
            else _("Save the record first to add files.")
        )
        self.remove_button.setText(_("Remove"))
        self.remove_button.setAccessibleName(_("Remove the selected files: {title}").format(
            title=title
        ))
        self.caption_label.setText(_("Caption:"))
        self.caption.setAccessibleName(_("Caption of the selected file"))
        self.undo_button.setText(_("Undo"))
        self.undo_button.setAccessibleName(_("Undo the removal"))
        self._retranslate_items()

    def _retranslate_items(self) -> None:
        placeholder: QIcon | None = None
        for row, file in enumerate(self._files):  # the grid lists them in this order
            item = self.grid.item(row)
            name = self._label(file)
            if file.id not in self._missing_ids:
                item.setToolTip(name)
                continue
            if placeholder is None:  # painted in the current language, once per pass
                placeholder = QIcon(placeholder_pixmap(THUMBNAIL))
            item.setIcon(placeholder)
            described = _("{name}: {state}").format(name=name, state=not_downloaded_text())
            item.setToolTip(described)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, described)


def _local_files(urls: Sequence[Any]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
