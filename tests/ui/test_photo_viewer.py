"""Photos open in the app's own viewer, from the editor's files and from the detail pane.

Before, opening a photo handed its file to the desktop's viewer, and where none was set up nothing
happened. These tests double-click and press keys on the shown window, read what the viewer shows
(the file from the attachment store), and catch "Open with the system viewer" with Qt's own URL
handler, so no desktop program starts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.files import RecordFilesBox
from relay_app.ui.main_window import MainWindow
from relay_app.ui.photo_viewer import PhotoViewer
from tests import factories
from tests.ui.conftest import answer_next_dialog


def _image(path: Path, width: int, height: int, colour: str) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def _practice_with_photos(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> tuple[str, RecordFilesBox]:
    record = services.records("practices").create(factories.practice(title="Mulching"))
    window.show_view("practices")
    panel = window.panels["practices"]
    panel.apply_query()
    panel.select(record.id)
    panel.edit_selected()
    box = panel.editor.file_boxes["photo"]
    photos = [
        _image(tmp_path / "wide.png", 1600, 900, "#33691e"),
        _image(tmp_path / "tall.png", 300, 500, "#b71c1c"),
        _image(tmp_path / "small.png", 40, 30, "#0d47a1"),
    ]
    with qtbot.waitSignal(box.files_changed):
        box.add_files(photos)
    assert box.grid.count() == 3
    return record.id, box


def _viewer(qtbot: QtBot) -> PhotoViewer:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PhotoViewer))
    viewer = QApplication.activeModalWidget()
    assert isinstance(viewer, PhotoViewer)
    qtbot.waitExposed(viewer)
    qtbot.waitUntil(viewer.isActiveWindow)  # its keys are shortcuts of the active window
    return viewer


def _wheel(viewer: PhotoViewer, notches: int) -> None:
    viewport = viewer.view.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(
        centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(viewport, event)


def _double_click(qtbot: QtBot, widget: QWidget, where: QPoint) -> None:
    """What a platform sends for a double-click: press, release, press, double-click, release.

    ``QTest.mouseDClick`` alone sends only the double-click event, which item views ignore
    unless a press on the same item came first.
    """
    left = Qt.MouseButton.LeftButton
    qtbot.mouseClick(widget, left, pos=where)
    qtbot.mousePress(widget, left, pos=where)
    qtbot.mouseDClick(widget, left, pos=where)
    qtbot.mouseRelease(widget, left, pos=where)


def _focus(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    """Keys go where the focus is, in the active window, as for a person."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_double_click_opens_the_viewer_which_fits_zooms_pages_and_closes(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    _record_id, box = _practice_with_photos(window, services, qtbot, tmp_path)
    _double_click(qtbot, box.grid.viewport(), box.grid.visualItemRect(box.grid.item(0)).center())
    viewer = _viewer(qtbot)
    assert viewer.position.text() == "1 of 3" and viewer.caption.text() == "wide.png"
    assert viewer.view.has_photo()
    shown = viewer.view.mapFromScene(viewer.view.sceneRect()).boundingRect()
    assert shown.width() <= viewer.view.viewport().width() + 1  # the whole photo fits
    assert viewer.view.zoom < 1 and viewer.view.fitted

    fitted = viewer.view.zoom
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert abs(viewer.view.zoom - fitted * 1.25) < 1e-6 and not viewer.view.fitted
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert abs(viewer.view.zoom - fitted) < 1e-6
    _wheel(viewer, 2)
    assert abs(viewer.view.zoom - fitted * 1.25**2) < 1e-6
    qtbot.keyClick(viewer, Qt.Key.Key_0)
    assert viewer.view.fitted and abs(viewer.view.zoom - fitted) < 1e-6

    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.position.text() == "2 of 3" and viewer.caption.text() == "tall.png"
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.caption.text() == "small.png"
    assert viewer.view.zoom == 1.0  # a small photo is not blown up
    qtbot.keyClick(viewer, Qt.Key.Key_Right)  # the last one: stays
    assert viewer.position.text() == "3 of 3" and not viewer.next_button.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.caption.text() == "tall.png"

    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        assert not viewer.system_button.isDefault()
        qtbot.mouseClick(viewer.system_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    tall = box.files()[1]
    assert [url.toLocalFile() for url in catcher.urls] == [str(box.service.path_for(tall))]

    with qtbot.waitSignal(viewer.finished):
        qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_enter_on_a_photo_in_the_files_area_opens_it_and_a_missing_one_says_so(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    _record_id, box = _practice_with_photos(window, services, qtbot, tmp_path)
    small = box.files()[2]
    box.service.path_for(small).unlink()  # as when a sync brought the link but not yet the bytes
    _focus(qtbot, window, box.grid)
    box.grid.setCurrentRow(1)
    qtbot.keyClick(box.grid, Qt.Key.Key_Return)
    viewer = _viewer(qtbot)
    assert viewer.caption.text() == "tall.png"
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert not viewer.view.isVisible() and viewer.message.isVisible()
    assert viewer.message.text() == "small.png: Not downloaded yet"
    assert not viewer.system_button.isEnabled()
    viewer.close()


def test_a_thumbnail_in_the_detail_pane_opens_the_viewer(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    record_id, _box = _practice_with_photos(window, services, qtbot, tmp_path)
    panel = window.panels["practices"]
    said = answer_next_dialog("Save")  # photos added in the editor are unsaved work until saved
    panel.cancel_editing()
    qtbot.waitUntil(lambda: bool(said) and not panel.has_unsaved_changes())
    panel.select(record_id)
    detail = panel.detail
    assert "tall.png" in detail.toPlainText()
    _focus(qtbot, window, detail)
    qtbot.keyClick(detail, Qt.Key.Key_Tab)  # to the first thumbnail's link
    qtbot.keyClick(detail, Qt.Key.Key_Tab)  # to the second
    qtbot.keyClick(detail, Qt.Key.Key_Return)
    viewer = _viewer(qtbot)
    assert viewer.caption.text() == "tall.png" and viewer.view.has_photo()
    viewer.close()
