"""Photos made ready for storage: large ones scaled down so they sync over a poor link.

A scaled photo is turned upright and keeps the position and date its camera wrote
(``services.photo_tags``); a photo small enough is stored byte for byte, tags and all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from relay_app.services.attachments import AttachmentStore, StoredFile
from relay_app.services.photo_tags import kept_tags, with_tags

MAX_SIDE = 2048


def prepared_image(source: Path, max_side: int = MAX_SIDE) -> tuple[bytes, str] | None:
    """(bytes, media type) of ``source``, scaled so neither side exceeds ``max_side``.

    A photo already small enough is kept byte for byte (same hash, so it dedupes with copies
    of itself). None when Qt cannot read the file as an image.
    """
    reader = QImageReader(str(source))
    reader.setAutoTransform(True)  # honour the camera's EXIF rotation before measuring
    size = reader.size()
    fmt = bytes(reader.format().data()).decode()
    if not size.isValid() or not fmt:
        return None
    if max(size.width(), size.height()) <= max_side:
        return source.read_bytes(), f"image/{'jpeg' if fmt == 'jpg' else fmt}"
    image: QImage = reader.read()
    if image.isNull():
        return None
    scaled = image.scaled(
        max_side,
        max_side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    keep_png = fmt == "png" and image.hasAlphaChannel()  # a logo's transparency survives
    scaled.save(buffer, "PNG" if keep_png else "JPEG", -1 if keep_png else 85)
    data: QByteArray = buffer.data()
    if keep_png:
        return bytes(data.data()), "image/png"
    # Qt writes no EXIF: the position and date the camera wrote go back in, the rotation it
    # asked for is already in the pixels.
    tags = kept_tags(source)
    jpeg = bytes(data.data())
    return (with_tags(jpeg, tags) if tags is not None else jpeg), "image/jpeg"


def store_image(store: AttachmentStore, source: Path) -> tuple[StoredFile, str] | None:
    """Scale (if needed) and store a photo; returns the stored file and its media type."""
    prepared = prepared_image(source)
    if prepared is None:
        return None
    data, media_type = prepared
    return store.put_bytes(data), media_type
