"""Camera photos made for tests with Pillow: real JPEGs with the EXIF a phone writes."""

from __future__ import annotations

from pathlib import Path

from PIL import ExifTags, Image

TAKEN = "2025:11:03 09:41:27"
GPS, EXIF = ExifTags.IFD.GPSInfo, ExifTags.IFD.Exif
ORIENTATION, DATE_TAKEN = ExifTags.Base.Orientation, ExifTags.Base.DateTimeOriginal
RED, BLUE = (200, 30, 30), (30, 30, 200)


def camera_photo(path: Path) -> Path:
    """5000×4000, red on the left and blue on the right as stored; Orientation 6 says the
    camera was turned clockwise, so upright the red half is on top."""
    image = Image.new("RGB", (5000, 4000), BLUE)
    image.paste(RED, (0, 0, 2500, 4000))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[ExifTags.Base.Make] = "FieldCam"
    exif.get_ifd(EXIF)[DATE_TAKEN] = TAKEN
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (12.0, 22.0, 12.0)  # 12.37
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (1.0, 31.0, 12.0)  # -1.52
    image.save(path, "JPEG", quality=90, exif=exif)
    return path
