"""The EXIF tags a downscaled photo keeps: where and when it was taken, and that it is upright.

A scaled copy is encoded afresh and would carry no EXIF at all, so a relay (or another device,
which only ever receives the scaled copy) could no longer tell where or when a plot was
photographed. ``kept_tags`` reads the original's tags with Pillow and keeps only what matters:
the whole GPS block, the date and time taken (with its offset and sub-seconds) and the file's
date. Everything else is left out on purpose: maker notes and serial numbers say nothing about
the plot, and the embedded thumbnail would still show the camera's rotation. The pixels of the
scaled copy are already turned upright, so Orientation is written as 1 ("as stored").

``with_tags`` puts the tags into a JPEG as its EXIF APP1 segment without re-encoding it.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

from PIL import ExifTags, Image, UnidentifiedImageError

log = logging.getLogger(__name__)

UPRIGHT = 1
_KEPT_MAIN = (ExifTags.Base.DateTime,)
_KEPT_EXIF = (
    ExifTags.Base.DateTimeOriginal,
    ExifTags.Base.DateTimeDigitized,
    ExifTags.Base.OffsetTime,
    ExifTags.Base.OffsetTimeOriginal,
    ExifTags.Base.OffsetTimeDigitized,
    ExifTags.Base.SubsecTime,
    ExifTags.Base.SubsecTimeOriginal,
    ExifTags.Base.SubsecTimeDigitized,
)
_MAX_SEGMENT = 0xFFFF - 2  # an APP1 segment's length field counts itself


def kept_tags(source: Path) -> bytes | None:
    """The ``Exif\\0\\0`` payload of the tags worth keeping from ``source``; None when it has
    no position and no date (or no EXIF Pillow can read)."""
    try:
        with Image.open(source) as image:
            original = image.getexif()
            gps = dict(original.get_ifd(ExifTags.IFD.GPSInfo))
            taken = original.get_ifd(ExifTags.IFD.Exif)
            kept = Image.Exif()
            kept[ExifTags.Base.Orientation] = UPRIGHT
            kept.update({tag: original[tag] for tag in _KEPT_MAIN if tag in original})
            dates = {tag: taken[tag] for tag in _KEPT_EXIF if tag in taken}
            if not gps and not dates and len(kept) == 1:
                return None
            if dates:
                kept.get_ifd(ExifTags.IFD.Exif).update(dates)
            if gps:
                kept.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
            payload = kept.tobytes()
    except (OSError, UnidentifiedImageError, ValueError, struct.error, TypeError, KeyError) as error:
        # A photo with broken tags is still a photo: it is stored without them.
        log.info("EXIF of %s not kept: %s", source.name, error)
        return None
    if len(payload) > _MAX_SEGMENT:
        return None
    return payload


def with_tags(jpeg: bytes, payload: bytes) -> bytes:
    """``jpeg`` with ``payload`` as its EXIF segment, after the JFIF header when there is one."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    at = 2
    if jpeg[2:4] == b"\xff\xe0":  # JFIF wants to come first; EXIF readers look past it
        (length,) = struct.unpack(">H", jpeg[4:6])
        at = 4 + length
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:at] + segment + jpeg[at:]
