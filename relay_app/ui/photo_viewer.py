"""A record's photos, one at a time, in a window of the app itself.

Opening a photo used to hand its file to the desktop's viewer, and on a computer with none set up
nothing happened at all. The viewer reads the file through the attachment store (the bytes a sync
brought, named by their hash), fits it to the window, zooms with the wheel or +/−, goes to the
next and previous photo with the arrow keys and closes with Esc. "Open with the system viewer"
stays, as a secondary button, for printing or editing elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.i18n import _
from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFile
from relay_app.ui.language import language_signal
from relay_app.ui.sync.missing_files import not_downloaded_text

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.05, 16.0


def read_photo(store: AttachmentStore, file: RecordFile) -> QImage | None:
    """The photo's image, turned as the camera meant; None when it is not here or not an image."""
    if not store.has(file.sha256):
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(store.read(file.sha256)))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    return None if image.isNull() else image


class PhotoView(QGraphicsView):
    """The photo itself: fitted to the view until the person zooms, then scrolled."""

    def __init__(self) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fitted = True

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def has_photo(self) -> bool:
        return not self._item.pixmap().isNull()

    def show_image(self, image: QImage | None) -> None:
        self._item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.scene().setSceneRect(QRectF(self._item.pixmap().rect()))
        self.fit()

    def fit(self) -> None:
        """The whole photo in the view; a small one is shown at its own size, not blown up."""
        self.fitted = True
        size = self._item.pixmap().size()
        if size.isEmpty():
            self.resetTransform()
            return
        area = self.viewport().rect()
        scale = min(area.width() / size.width(), area.height() / size.height(), 1.0)
        self.resetTransform()
        self.scale(scale, scale)

    def zoom_by(self, factor: float) -> None:
        wanted = min(max(self.zoom * factor, MIN_ZOOM), MAX_ZOOM)
        if self.has_photo() and wanted != self.zoom:
            self.fitted = False
            self.scale(wanted / self.zoom, wanted / self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.fitted:
            self.fit()


class PhotoViewer(QDialog):
    """The photos ``files`` of a record, starting at ``index``."""

    def __init__(
        self,
        store: AttachmentStore,
        files: Sequence[RecordFile],
        index: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._store = store
        self._files = list(files)
        self.index = 0
        self.view = PhotoView()
        self.message = QLabel()  # shown instead of the photo when there is none to show
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.position = QLabel()
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.zoom_out_button = QPushButton()
        self.zoom_in_button = QPushButton()
        self.fit_button = QPushButton()
        self.system_button = QPushButton()
        self.close_button = QPushButton()
        for button in (
            self.previous_button, self.next_button, self.zoom_out_button, self.zoom_in_button,
            self.fit_button, self.system_button,
        ):
            button.setAutoDefault(False)  # Enter must not press a button by surprise
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.previous_button.clicked.connect(lambda: self.show_photo(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_photo(self.index + 1))
        self.zoom_out_button.clicked.connect(lambda: self.view.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.view.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.view.fit)
        self.system_button.clicked.connect(self.open_with_system_viewer)
        self.close_button.clicked.connect(self.reject)

        shortcuts = (
            (("Left", "PgUp"), lambda: self.show_photo(self.index - 1)),
            (("Right", "PgDown"), lambda: self.show_photo(self.index + 1)),
            (("+", "=", QKeySequence.StandardKey.ZoomIn), lambda: self.view.zoom_by(ZOOM_STEP)),
            (("-", QKeySequence.StandardKey.ZoomOut), lambda: self.view.zoom_by(1 / ZOOM_STEP)),
            (("0", "*"), self.view.fit),
        )
        for sequences, slot in shortcuts:
            for sequence in sequences:
                QShortcut(QKeySequence(sequence), self, slot)

        tools = QHBoxLayout()
        tools.addWidget(self.previous_button)
        tools.addWidget(self.position)
        tools.addWidget(self.next_button)
        tools.addStretch(1)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.fit_button)
        tools.addWidget(self.zoom_in_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.caption, 1)
        bottom.addWidget(self.system_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message, 1)
        layout.addLayout(bottom)
        self.close_button.setDefault(True)
        language_signal().changed.connect(self.retranslate_ui)
        if parent is not None:
            area = parent.window().size()
            self.resize(max(480, int(area.width() * 0.85)), max(360, int(area.height() * 0.85)))
        else:
            self.resize(900, 640)
        self.show_photo(index)

    @property
    def files(self) -> list[RecordFile]:
        return list(self._files)

    @property
    def current(self) -> RecordFile | None:
        return self._files[self.index] if self._files else None

    def show_photo(self, index: int) -> None:
        """Show the photo at ``index``; past either end nothing moves."""
        if not self._files or not 0 <= index < len(self._files):
            return
        self.index = index
        image = read_photo(self._store, self._files[index])
        self.view.show_image(image)
        self.view.setVisible(image is not None)
        self.message.setVisible(image is None)
        self.view.setFocus()
        self.retranslate_ui()

    def open_with_system_viewer(self) -> bool:
        file = self.current
        if file is None or not self._store.has(file.sha256):
            return False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._store.path_for(file.sha256))))
        if not opened:
            self.message.setText(_("No viewer is set up on this computer for this file."))
            self.message.show()
        return opened

    def retranslate_ui(self) -> None:
        file = self.current
        name = (file.caption or file.filename or _("(no name)")) if file is not None else ""
        self.setWindowTitle(_("Photo: {name}").format(name=name) if name else _("Photo"))
        self.caption.setText(name)
        count = len(self._files)
        self.position.setText(
            _("{number} of {count}").format(number=self.index + 1, count=count) if count else ""
        )
        if file is not None and not self._store.has(file.sha256):
            self.message.setText(
                _("{name}: {state}").format(name=name, state=not_downloaded_text())
            )
        elif file is not None and not self.view.has_photo():
            self.message.setText(_("{name} cannot be shown as an image.").format(name=name))
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < count - 1)
        self.previous_button.setText(_("Previous"))
        self.previous_button.setToolTip(_("Previous photo (Left arrow)"))
        self.next_button.setText(_("Next"))
        self.next_button.setToolTip(_("Next photo (Right arrow)"))
        self.zoom_out_button.setText(_("Zoom out"))
        self.zoom_out_button.setToolTip(_("Zoom out (−, or the mouse wheel)"))
        self.zoom_in_button.setText(_("Zoom in"))
        self.zoom_in_button.setToolTip(_("Zoom in (+, or the mouse wheel)"))
        self.fit_button.setText(_("Fit to window"))
        self.fit_button.setToolTip(_("Show the whole photo (0)"))
        self.system_button.setText(_("Open with the system viewer"))
        self.system_button.setEnabled(file is not None and self._store.has(file.sha256))
        self.close_button.setText(_("Close"))
        self.close_button.setToolTip(_("Close the viewer (Esc)"))
        self.view.setAccessibleName(name)


class _EnterOpensPhotos(QObject):
    """Claims Enter for the widget showing photos before any window shortcut can take it."""

    def __init__(self, widget: QWidget, on_photo: Callable[[], bool]) -> None:
        super().__init__(widget)
        self._on_photo = on_photo

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if plain and enter and self._on_photo():
                event.accept()  # the key then reaches the widget, which opens the photo
        return False


def enter_opens_photos(widget: QWidget, on_photo: Callable[[], bool]) -> None:
    """Let Enter on ``widget`` open the photo it is on, while ``on_photo()`` says it is on one.

    The list beside the files grid and the detail pane has Enter as its own "edit" shortcut,
    which would otherwise win.
    """
    widget.installEventFilter(_EnterOpensPhotos(widget, on_photo))


def open_photo_viewer(
    parent: QWidget, store: AttachmentStore, files: Sequence[RecordFile], file_id: str
) -> PhotoViewer | None:
    """Open the viewer on ``file_id`` among ``files`` (their order is the record's)."""
    index = next((n for n, file in enumerate(files) if file.id == file_id), None)
    if index is None:
        return None
    viewer = PhotoViewer(store, files, index, parent)
    viewer.open()
    return viewer
