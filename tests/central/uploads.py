"""Uploading files to a test server the way a relay does: tus requests, and a link to a record."""

from __future__ import annotations

import base64
import hashlib

import requests

from tests.central.harness import Device, attachment, new_id, partner

TUS = {"Tus-Resumable": "1.0.0"}
UPLOADS = "/api/v1/attachments/uploads"


def metadata(**values: str) -> str:
    """An Upload-Metadata header: `key base64(value)` pairs."""
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}"
                    for key, value in values.items())


def checksum(data: bytes, algorithm: str = "sha256") -> str:
    """An Upload-Checksum header for ``data``."""
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm} {base64.b64encode(digest).decode()}"


def create_upload(
    device: Device,
    content: bytes,
    *,
    media_type: str = "image/jpeg",
    length: str | None = None,
    sha256: str | None = None,
) -> requests.Response:
    sha = sha256 or hashlib.sha256(content).hexdigest()
    return device.http.post(
        f"{device.url}{UPLOADS}",
        headers=device.headers(**TUS, **{
            "Upload-Length": length if length is not None else str(len(content)),
            "Upload-Metadata": metadata(sha256=sha, media_type=media_type),
        }),
        timeout=10,
    )


def patch_chunk(device: Device, location: str, offset: int | str, data: bytes,
                upload_checksum: str | None = None) -> requests.Response:
    headers = device.headers(**TUS, **{
        "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream",
    })
    if upload_checksum is not None:
        headers["Upload-Checksum"] = upload_checksum
    return device.http.patch(f"{device.url}{location}", data=data, headers=headers, timeout=30)


def upload(device: Device, content: bytes, media_type: str = "image/jpeg") -> str:
    """Upload ``content`` whole; its sha256."""
    created = create_upload(device, content, media_type=media_type)
    assert created.status_code == 201, created.text
    answer = patch_chunk(device, created.headers["Location"], 0, content, checksum(content))
    assert answer.status_code == 204, answer.text
    return hashlib.sha256(content).hexdigest()


def link(device: Device, sha256: str, region: str = "western_europe", country: str = "FR") -> str:
    """A new partner of ``region`` with a logo link naming ``sha256``; the link's id."""
    owner, link_id = new_id(), new_id()
    answers = device.push(
        device.change("partners", owner, partner(region, country)),
        device.change("attachments", link_id, attachment(owner, sha256=sha256)),
    )
    assert [answer["status"] for answer in answers] == ["applied", "applied"], answers
    return link_id


def download(device: Device, sha256: str, **headers: str) -> requests.Response:
    return device.get(f"/api/v1/attachments/{sha256}", headers=headers)
