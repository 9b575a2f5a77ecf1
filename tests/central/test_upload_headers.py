"""Hostile media types and tus headers: refused with JSON 4xx, and stored files served safely."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import update

from relay_central.models import Attachment
from tests.central.harness import Central, attachment, new_id, partner
from tests.central.uploads import (
    TUS,
    UPLOADS,
    checksum,
    create_upload,
    download,
    link,
    patch_chunk,
    upload,
)

UNSAFE_MEDIA_TYPES = [
    "text/html\r\nSet-Cookie: session=stolen",
    "image/jpeg\n",
    "image/jpég",
    "图片/png",
    "image/png; charset=utf-8",
    "text/html\x85",
    "image",
]
# Header values arrive as Latin-1: its superscript digits are the ones `str.isdigit` accepts.
NOT_ASCII_DIGITS = ["²", "1³", "9" * 5000, "9" * 19, "-1", "+5", "0x10", ""]


@pytest.mark.parametrize("media_type", UNSAFE_MEDIA_TYPES)
def test_an_upload_declaring_an_unsafe_media_type_is_refused(central: Central, media_type: str) -> None:
    """Tried: tus creation with CR/LF (header injection), non-Latin-1 and parameterised types."""
    device = central.device(["western_europe"])
    content = os.urandom(100)

    answer = create_upload(device, content, media_type=media_type)

    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "bad_metadata"
    # Nothing was stored under the hash: the same file with a proper type goes through.
    sha = upload(device, content, media_type="image/png")
    link(device, sha)
    assert download(device, sha).headers["content-type"] == "image/png"


@pytest.mark.parametrize("media_type", ["text/html\r\nSet-Cookie: a=b", "image/jpég", "image"])
def test_a_link_declaring_an_unsafe_media_type_is_rejected_at_push(
    central: Central, media_type: str
) -> None:
    """Tried: a file link pushed with the media types a tus creation refuses."""
    device = central.device(["western_europe"])
    owner = new_id()
    device.push_one("partners", owner, partner())

    answer = device.push_one("attachments", new_id(), attachment(owner, media_type=media_type))

    assert answer["status"] == "rejected", answer
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [
        ("media_type", "invalid_type")
    ]


def test_a_media_type_stored_before_the_rule_is_served_safely(central: Central) -> None:
    """Tried: unsafe media types written straight into the table (as an older server stored
    them), then downloaded: never a 500, never the stored type in the header."""
    device = central.device(["western_europe"])
    for stored in ("text/html\r\nSet-Cookie: session=stolen", "image/jpég", "text/html"):
        content = os.urandom(500)
        sha = upload(device, content)
        link(device, sha)
        with central.database.writing() as session:
            session.execute(
                update(Attachment).where(Attachment.sha256 == sha).values(media_type=stored)
            )

        answer = download(device, sha)

        assert answer.status_code == 200, answer.text
        assert answer.content == content
        expected = "text/html" if stored == "text/html" else "application/octet-stream"
        assert answer.headers["content-type"].split(";")[0] == expected
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-disposition"] == "attachment"
        assert "set-cookie" not in answer.headers


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_upload_length_and_offset_take_ascii_digits_only(central: Central, value: str) -> None:
    """Tried: superscript digits, 5,000 and 19 digits, signs, hex and nothing."""
    device = central.device(["western_europe"])
    content = os.urandom(100)

    created = create_upload(device, content, length=value)
    assert created.status_code == 400, created.text
    assert created.json()["error"] == "bad_header"

    location = create_upload(device, content).headers["Location"]
    patched = patch_chunk(device, location, value, content)
    assert patched.status_code == 400, patched.text
    assert patched.json()["error"] == "bad_header"


def test_ranges_that_cannot_be_served_answer_json(central: Central) -> None:
    """Tried: a range past the end (416), and ranges that do not parse (400)."""
    device = central.device(["western_europe"])
    content = os.urandom(1000)
    sha = upload(device, content)
    link(device, sha)

    beyond = download(device, sha, Range="bytes=5000-")
    assert beyond.status_code == 416
    assert beyond.json()["error"] == "range_not_satisfiable"
    assert beyond.headers["content-range"] == "bytes */1000"
    for malformed in ("bytes=9-2", "items=0-5", "bytes"):
        answer = download(device, sha, Range=malformed)
        assert answer.status_code == 400, (malformed, answer.text)
        assert answer.json()["error"] == "bad_range"
    # A range the file holds is still served as before.
    part = download(device, sha, Range="bytes=10-19")
    assert part.status_code == 206 and part.content == content[10:20]


def test_sha1_chunk_checksums_are_checked_like_sha256(central: Central) -> None:
    """Tried: the tus checksum extension's required algorithm (sha1), right and wrong."""
    device = central.device(["western_europe"])
    options = device.http.options(f"{device.url}{UPLOADS}", timeout=10)
    assert set(options.headers["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}
    content = os.urandom(20_000)
    location = create_upload(device, content).headers["Location"]

    wrong = patch_chunk(device, location, 0, content[:5000], checksum(b"other bytes", "sha1"))
    assert wrong.status_code == 460
    assert wrong.json()["error"] == "checksum_mismatch"
    unknown = patch_chunk(device, location, 0, content[:5000], checksum(content[:5000], "md5"))
    assert unknown.status_code == 400 and unknown.json()["error"] == "checksum_algorithm"

    first = patch_chunk(device, location, 0, content[:5000], checksum(content[:5000], "sha1"))
    assert first.status_code == 204 and first.headers["Upload-Offset"] == "5000"
    rest = patch_chunk(device, location, 5000, content[5000:], checksum(content[5000:]))
    assert rest.status_code == 204
    head = device.http.head(f"{device.url}{location}", headers=device.headers(**TUS), timeout=10)
    assert head.status_code == 404  # finished: the upload became a stored file
