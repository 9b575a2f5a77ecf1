"""Which EXIF tags a scaled photo keeps, read from real JPEG files made with Pillow.

Tried: a camera photo with GPS, dates, a maker, a serial number and Orientation 6; a photo
without EXIF; a file whose EXIF is cut short; and the splice into a JPEG that starts with a
JFIF header, read back by Pillow and by the editor's own GPS reader.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import ExifTags, Image

from relay_app.services.photo_tags import kept_tags, with_tags
from relay_app.services.record_files import GpsPosition, exif_gps
from tests.photos import TAKEN, camera_photo

SERIAL = ExifTags.Base.BodySerialNumber


def _plain_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(buffer, "JPEG")  # Pillow writes a JFIF header
    return buffer.getvalue()


def test_position_and_date_are_kept_and_the_rest_left_out(tmp_path: Path) -> None:
    photo = camera_photo(tmp_path / "plot.jpg")
    with Image.open(photo) as image:
        exif = image.getexif()
    exif.get_ifd(ExifTags.IFD.Exif)[SERIAL] = "SN-0042"
    with Image.open(photo) as image:
        image.save(tmp_path / "serial.jpg", exif=exif)

    payload = kept_tags(tmp_path / "serial.jpg")
    assert payload is not None
    jpeg = with_tags(_plain_jpeg(), payload)

    assert jpeg[2:4] == b"\xff\xe0"  # JFIF still first
    assert exif_gps(jpeg) == GpsPosition(12.37, -1.52)
    with Image.open(io.BytesIO(jpeg)) as image:
        image.load()  # the image data is intact after the splice
        stored = image.getexif()
    assert stored[ExifTags.Base.Orientation] == 1
    assert stored.get_ifd(ExifTags.IFD.Exif) == {ExifTags.Base.DateTimeOriginal: TAKEN}
    assert ExifTags.Base.Make not in stored


def test_a_photo_without_position_or_date_gets_no_tags(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(_plain_jpeg())
    assert kept_tags(plain) is None


def test_broken_tags_are_dropped_not_the_photo(tmp_path: Path) -> None:
    data = camera_photo(tmp_path / "plot.jpg").read_bytes()
    start = data.index(b"Exif\x00\x00")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(data[: start + 6] + b"XX" + data[start + 8 :])  # no byte order mark
    assert kept_tags(broken) is None
    assert kept_tags(tmp_path / "missing.jpg") is None
