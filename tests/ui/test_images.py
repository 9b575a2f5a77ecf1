"""Photos: scaled down past 2048 px, kept as they are below, stored once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

from relay_app.config import Paths
from relay_app.services.attachments import AttachmentStore
from relay_app.ui.images import MAX_SIDE, prepared_image, store_image


def _photo(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#6d4c41"))
    assert image.save(str(path), "JPEG", 90)
    return path


def test_large_photo_is_scaled_to_2048_px(tmp_path: Path, qapp: object) -> None:
    source = _photo(tmp_path / "field.jpg", 4000, 3000)
    prepared = prepared_image(source)
    assert prepared is not None
    data, media_type = prepared
    scaled = QImage.fromData(data)
    assert (scaled.width(), scaled.height()) == (MAX_SIDE, 1536)
    assert media_type == "image/jpeg"


def test_small_photo_is_kept_byte_for_byte_and_stored_once(
    tmp_path: Path, paths: Paths, qapp: object
) -> None:
    source = _photo(tmp_path / "logo.jpg", 300, 200)
    store = AttachmentStore(paths.attachments)
    first = store_image(store, source)
    copy = tmp_path / "logo-copy.jpg"
    copy.write_bytes(source.read_bytes())
    second = store_image(store, copy)
    assert first is not None and second is not None
    assert first[0].path.read_bytes() == source.read_bytes()
    assert second[0].already_stored and second[0].sha256 == first[0].sha256


def test_a_file_that_is_no_image_is_refused(tmp_path: Path, qapp: object) -> None:
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo", encoding="utf-8")
    assert prepared_image(text) is None
