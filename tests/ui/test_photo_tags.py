"""A large camera photo added through the shown editor keeps its place and date, upright.

Tried: a real 5000×4000 JPEG made with Pillow, with GPS 12.37, -1.52, a DateTimeOriginal and
Orientation 6 (the camera was turned), added to a practice's photos and to a partner's poster.
The stored, downscaled file keeps GPS and date, has the rotation applied to its pixels and its
orientation tag reset to 1, and the editor offers the photo's position for the empty
coordinates; clicking Yes fills them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.services.record_files import GpsPosition, exif_gps
from relay_app.ui.editor.files import RecordFilesBox
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from relay_app.ui.settings import DEFAULT_MAX_IMAGE_SIDE
from tests import factories
from tests.photos import DATE_TAKEN, EXIF, ORIENTATION, TAKEN, camera_photo
from tests.ui.conftest import answer_next_dialog


def _editing(window: MainWindow, services: Services, kind: str) -> RecordEditor:
    builder = factories.practice if kind == "practices" else factories.partner
    record = services.records(kind).create(builder(latitude=None, longitude=None))
    panel = window.panels[kind]
    window.show_view(kind)
    panel.editor.start_edit(services.records(kind).get(record.id))
    panel.right.setCurrentWidget(panel.editor)
    return panel.editor


@pytest.mark.parametrize(("kind", "role"), [("practices", "photo"), ("partners", "poster")])
def test_a_large_photo_keeps_its_position_and_date_upright_and_offers_its_position(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path, kind: str, role: str
) -> None:
    editor = _editing(window, services, kind)
    box: RecordFilesBox = editor.file_boxes[role]
    photo = camera_photo(tmp_path / "plot.jpg")

    asked = answer_next_dialog("Yes")
    with qtbot.waitSignal(box.files_changed, timeout=30000):
        assert box.add_files([photo]) is not None
    qtbot.waitUntil(lambda: bool(asked))

    [file] = box.files()
    stored = box.service.path_for(file).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (DEFAULT_MAX_IMAGE_SIDE * 4000 // 5000, DEFAULT_MAX_IMAGE_SIDE)  # upright
        assert image.getpixel((image.width // 2, 10))[0] > 150  # the red half on top
        assert image.getpixel((image.width // 2, image.height - 10))[2] > 150
        exif = image.getexif()
        assert exif.get(ORIENTATION, 1) == 1
        assert exif.get_ifd(EXIF)[DATE_TAKEN] == TAKEN
    assert exif_gps(stored) == GpsPosition(12.37, -1.52)

    assert "12.37" in asked[0] and "-1.52" in asked[0]
    assert editor.field_input("latitude").raw() == 12.37
    assert editor.field_input("longitude").raw() == -1.52
