"""Photos and files in the editors: added on the worker, scaled, deduplicated, removed, undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.files import THUMBNAIL, RecordFilesBox
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from relay_app.ui.settings import DEFAULT_MAX_IMAGE_SIDE, UiSettings
from tests import factories
from tests.services.test_record_files import DAKAR, with_exif
from tests.ui.conftest import answer_next_dialog


def _image(path: Path, width: int, height: int, fmt: str = "JPEG") -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#33691e"))
    assert image.save(str(path), fmt)
    return path


def _editing(window: MainWindow, services: Services, kind: str, **values: object) -> RecordEditor:
    builder = factories.practice if kind == "practices" else factories.partner
    record = services.records(kind).create(builder(**values))
    panel = window.panels[kind]
    window.show_view(kind)
    panel.editor.start_edit(services.records(kind).get(record.id))
    panel.right.setCurrentWidget(panel.editor)
    return panel.editor


def _add(qtbot: QtBot, box: RecordFilesBox, *paths: Path) -> None:
    with qtbot.waitSignal(box.files_changed):
        assert box.add_files(list(paths)) is not None


def _stored_files(services: Services) -> list[Path]:
    return sorted(services.paths.attachments.iterdir())


def test_a_large_photo_is_stored_scaled_to_the_configured_size(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    assert UiSettings(services.paths).max_image_side == DEFAULT_MAX_IMAGE_SIDE == 2048
    settings = UiSettings(services.paths)
    settings.max_image_side = 1000
    settings.sync()
    box = _editing(window, services, "practices").file_boxes["photo"]
    _add(qtbot, box, _image(tmp_path / "field.jpg", 3000, 2000))
    [file] = box.files()
    stored = QImage(str(box.service.path_for(file)))
    assert (stored.width(), stored.height()) == (1000, 666)
    assert file.media_type == "image/jpeg" and file.filename == "field.jpg"
    assert file.size == box.service.path_for(file).stat().st_size


def test_the_same_photo_twice_is_listed_twice_but_stored_once(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    box = _editing(window, services, "practices").file_boxes["photo"]
    photo = _image(tmp_path / "mulch.jpg", 400, 300)
    _add(qtbot, box, photo)
    _add(qtbot, box, photo)
    assert box.grid.count() == 2
    assert len({file.id for file in box.files()}) == 2
    assert len(_stored_files(services)) == 1
    assert _stored_files(services)[0].read_bytes() == photo.read_bytes()  # small: kept as is


def test_remove_then_undo(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    box = _editing(window, services, "practices").file_boxes["photo"]
    _add(qtbot, box, _image(tmp_path / "a.jpg", 200, 100), _image(tmp_path / "b.png", 100, 200, "PNG"))
    assert [file.filename for file in box.files()] == ["a.jpg", "b.png"]
    box.grid.item(0).setSelected(True)
    assert box.remove_button.isEnabled()
    with qtbot.waitSignal(box.files_changed):
        qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert [file.filename for file in box.files()] == ["b.png"]
    assert box.undo_button.isVisible() and "1 file removed" in box.message.text()
    assert len(_stored_files(services)) == 2  # content kept for the undo
    with qtbot.waitSignal(box.files_changed):
        qtbot.mouseClick(box.undo_button, Qt.MouseButton.LeftButton)
    assert [file.filename for file in box.files()] == ["a.jpg", "b.png"]
    assert not box.undo_button.isVisible()


def test_a_file_that_is_no_image_is_refused_with_a_message(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    box = _editing(window, services, "practices").file_boxes["photo"]
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a photo", encoding="utf-8")
    _add(qtbot, box, notes)
    assert box.files() == []
    assert "notes.jpg" in box.message.text()


def test_the_photo_position_is_offered_and_applied_when_accepted(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    editor = _editing(window, services, "practices", latitude=None, longitude=None)
    box = editor.file_boxes["photo"]
    plain = _image(tmp_path / "plain.jpg", 300, 200)
    geotagged = tmp_path / "geotagged.jpg"
    geotagged.write_bytes(with_exif(plain.read_bytes(), DAKAR))
    asked = answer_next_dialog("Yes")
    with qtbot.waitSignal(box.location_found):
        box.add_files([geotagged])
    assert asked and "14.69" in asked[0] and "-17.44" in asked[0]
    assert editor.field_input("latitude").raw() == 14.69
    assert editor.field_input("longitude").raw() == -17.44
    assert editor.is_dirty()  # the person still saves the record to keep the location
    # A location the person entered is never replaced, and nobody is asked.
    assert editor.offer_location(1.0, 2.0) is False
    assert editor.field_input("latitude").raw() == 14.69


def test_the_position_is_not_applied_when_declined(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    editor = _editing(window, services, "practices", latitude=None, longitude=None)
    answer_next_dialog("No")
    assert editor.offer_location(14.69, -17.44) is False
    assert editor.field_input("latitude").raw() in (None, "")


def test_partner_logo_is_a_thumbnail_and_a_new_logo_replaces_it(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    editor = _editing(window, services, "partners")
    assert set(editor.file_boxes) == {"logo", "poster"}
    logo_box = editor.file_boxes["logo"]
    _add(qtbot, logo_box, _image(tmp_path / "logo.png", 600, 300, "PNG"))
    item = logo_box.grid.item(0)
    pixmap = item.icon().pixmap(THUMBNAIL, THUMBNAIL)
    assert not pixmap.isNull() and max(pixmap.width(), pixmap.height()) <= THUMBNAIL
    assert item.text() == "logo.png"
    _add(qtbot, logo_box, _image(tmp_path / "new-logo.png", 300, 300, "PNG"))
    assert [file.filename for file in logo_box.files()] == ["new-logo.png"]
    assert editor.file_boxes["poster"].files() == []


def test_files_and_captions_survive_reopening_the_record(
    make_window: Callable[[], MainWindow], services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    editor = _editing(window, services, "practices")
    record_id = editor.record_id
    box = editor.file_boxes["photo"]
    _add(qtbot, box, _image(tmp_path / "before.jpg", 300, 200), _image(tmp_path / "after.jpg", 3000, 200))
    box.grid.item(1).setSelected(True)
    box.caption.setText("After two seasons of mulch")
    with qtbot.waitSignal(box.files_changed):
        box.caption.editingFinished.emit()
    editor.start_new()
    assert box.files() == [] and not box.add_button.isEnabled()

    reopened = make_window().panels["practices"].editor
    assert record_id is not None
    reopened.start_edit(services.records("practices").get(record_id))
    files = reopened.file_boxes["photo"].files()
    assert [file.filename for file in files] == ["before.jpg", "after.jpg"]
    assert files[1].caption == "After two seasons of mulch"
    assert reopened.file_boxes["photo"].grid.item(1).text() == "After two seasons of mulch"
    assert QImage(str(box.service.path_for(files[1]))).width() == DEFAULT_MAX_IMAGE_SIDE


def test_files_dropped_on_the_box_are_added(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    box = _editing(window, services, "practices").file_boxes["photo"]
    photo = _image(tmp_path / "dropped.jpg", 120, 80)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(
        QPointF(QPoint(10, 10)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers drop events only from a real drag, so the handler is called as Qt would.
    with qtbot.waitSignal(box.files_changed):
        box.dropEvent(drop)
    assert drop.isAccepted()
    assert [file.filename for file in box.files()] == ["dropped.jpg"]


def test_a_new_record_must_be_saved_before_files_are_added(window: MainWindow) -> None:
    editor = window.panels["practices"].editor
    editor.start_new()
    box = editor.file_boxes["photo"]
    assert not box.add_button.isEnabled()
    assert box.add_files([Path("anything.jpg")]) is None
    assert "Save the record first" in box.add_button.toolTip()
    assert window.panels["forums"].editor.file_boxes == {}


def test_file_widgets_have_accessible_names(window: MainWindow) -> None:
    for kind in ("partners", "practices"):
        for box in window.panels[kind].editor.file_boxes.values():
            for widget in [*box.focus_widgets(), box.undo_button]:
                assert widget.accessibleName(), (kind, box.role, widget)
            assert box.caption_label.buddy() is box.caption


def test_a_file_whose_bytes_are_not_here_shows_a_placeholder_and_opening_it_does_not_raise(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    # As after a sync that brought the link while the data saver kept the bytes on the server.
    editor = _editing(window, services, "practices")
    box = editor.file_boxes["photo"]
    here = _image(tmp_path / "here.jpg", 200, 100)
    _add(qtbot, box, here, _image(tmp_path / "away.png", 90, 90, "PNG"))
    _here, away = box.files()
    box.service.path_for(away).unlink()
    box.reload()

    assert [file.id for file in box.missing_files()] == [away.id]
    assert box.grid.item(0).toolTip() == "here.jpg"
    assert box.grid.item(1).toolTip() == "away.png: Not downloaded yet"
    assert box.grid.item(1).text() == "away.png"
    assert not box.grid.item(1).icon().pixmap(THUMBNAIL, THUMBNAIL).isNull()  # the placeholder
    assert box.missing_bar.isVisible()
    assert box.missing_bar.label.text() == "1 file is not downloaded yet."

    assert box.open_file(away.id) is False
    assert box.message.text() == "away.png: not downloaded yet. Download now to open it."
    # This device is not enrolled: no sync can start, and the bar says why.
    qtbot.mouseClick(box.missing_bar.download_button, Qt.MouseButton.LeftButton)
    assert "No download can start now" in box.missing_bar.label.text()
    assert not window.sync_page.runner.busy

    record_id = editor.record_id
    panel = window.panels["practices"]
    with qtbot.waitSignal(editor.saved):  # files added are kept with the record once saved
        assert editor.save()
    window.changes.records_changed.emit("practices")  # the record was made by the service
    assert record_id is not None and panel.select(record_id)
    shown = panel.detail.toPlainText()
    assert "here.jpg" in shown and "away.png" in shown
    assert shown.count("Not downloaded yet") == 1
    assert panel.detail.missing_bar.isVisible()
    assert panel.detail.missing_files() == [away]
