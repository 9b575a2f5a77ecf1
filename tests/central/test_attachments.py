"""Attachments: which files the server lacks, resumable tus uploads, and Range downloads."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from collections.abc import Callable
from dataclasses import replace

import requests

from tests.central.harness import Central, Device
from tests.central.uploads import link

TUS = {"Tus-Resumable": "1.0.0"}


def _metadata(**values: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}"
                    for key, value in values.items())


def _checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _create(device: Device, content: bytes, sha256: str | None = None) -> requests.Response:
    sha = sha256 or hashlib.sha256(content).hexdigest()
    return device.http.post(
        f"{device.url}/api/v1/attachments/uploads",
        headers=device.headers(**TUS, **{
            "Upload-Length": str(len(content)),
            "Upload-Metadata": _metadata(sha256=sha, media_type="image/jpeg"),
        }),
        timeout=10,
    )


def _offset(device: Device, location: str) -> int:
    answer = device.http.head(f"{device.url}{location}", headers=device.headers(**TUS), timeout=10)
    assert answer.status_code == 200, answer.status_code
    assert answer.headers["Cache-Control"] == "no-store"
    return int(answer.headers["Upload-Offset"])


def _patch(device: Device, location: str, offset: int, data: bytes,
           checksum: str | None = None) -> requests.Response:
    headers = device.headers(**TUS, **{
        "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream",
    })
    if checksum is not None:
        headers["Upload-Checksum"] = checksum
    return device.http.patch(f"{device.url}{location}", data=data, headers=headers, timeout=30)


def _cut_off_patch(device: Device, location: str, offset: int, declared: int, sent: bytes,
                   checksum: str | None = None) -> None:
    """A PATCH whose connection drops after ``sent``, as on a failing mobile link."""
    lines = [
        f"PATCH {location} HTTP/1.1",
        f"Host: 127.0.0.1:{device.url.rsplit(':', 1)[1]}",
        f"Authorization: Bearer {device.token}",
        "Relay-Protocol: 1",
        "Tus-Resumable: 1.0.0",
        f"Upload-Offset: {offset}",
        "Content-Type: application/offset+octet-stream",
        f"Content-Length: {declared}",
    ]
    if checksum:
        lines.append(f"Upload-Checksum: {checksum}")
    host, port = device.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + sent)
        time.sleep(0.2)


def _wait_for_offset(device: Device, location: str, expected: int) -> int:
    deadline = time.monotonic() + 10
    while (found := _offset(device, location)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_missing_names_only_the_files_the_server_lacks(central: Central) -> None:
    device = central.device(["western_europe"])
    content = os.urandom(1000)
    held = hashlib.sha256(content).hexdigest()
    location = _create(device, content).headers["Location"]
    assert _patch(device, location, 0, content, _checksum(content)).status_code == 204
    lacking = hashlib.sha256(b"another photo").hexdigest()
    answer = device.post("/api/v1/attachments/missing", {"hashes": [held, lacking, lacking]})
    assert answer.status_code == 200
    assert answer.json() == {"missing": [lacking]}
    bad = device.post("/api/v1/attachments/missing", {"hashes": ["not-a-hash"]})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"


def test_upload_cut_off_resumes_from_the_servers_offset_across_restarts(
    central: Central, start_central: Callable[..., Central]
) -> None:
    device = central.device(["western_europe"])
    content = os.urandom(300_000)
    sha = hashlib.sha256(content).hexdigest()
    created = _create(device, content)
    assert created.status_code == 201
    assert created.headers["Tus-Resumable"] == "1.0.0"
    location = created.headers["Location"]
    assert _offset(device, location) == 0

    first = content[:100_000]
    answer = _patch(device, location, 0, first, _checksum(first))
    assert answer.status_code == 204 and answer.headers["Upload-Offset"] == "100000"

    # The link drops in the middle of the next chunk: what arrived is kept (no checksum sent).
    _cut_off_patch(device, location, 100_000, 150_000, content[100_000:160_000])
    assert _wait_for_offset(device, location, 160_000) == 160_000

    # A chunk with a checksum that is cut off cannot be verified: none of it is kept.
    chunk = content[160_000:250_000]
    _cut_off_patch(device, location, 160_000, len(chunk), chunk[:40_000], _checksum(chunk))
    time.sleep(0.3)
    assert _offset(device, location) == 160_000

    # The server restarts; the client, restarted too, asks where to go on.
    central.server.stop()
    again = start_central()
    resumed = replace(device, url=again.url, http=requests.Session())
    offset = _offset(resumed, location)
    assert offset == 160_000
    stale = _patch(resumed, location, 0, content[:10])
    assert stale.status_code == 409 and stale.headers["Upload-Offset"] == "160000"
    rest = content[offset:]
    done = _patch(resumed, location, offset, rest, _checksum(rest))
    assert done.status_code == 204 and done.headers["Upload-Offset"] == str(len(content))

    link(resumed, sha)  # files are served to relays that read a link naming them
    download = resumed.get(f"/api/v1/attachments/{sha}")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == "image/jpeg"
    # The same file again: the server says it has it, nothing is uploaded twice.
    assert _create(resumed, content).status_code == 409


def test_chunk_with_a_wrong_checksum_is_refused_and_not_kept(central: Central) -> None:
    device = central.device(["western_europe"])
    content = os.urandom(50_000)
    location = _create(device, content).headers["Location"]
    answer = _patch(device, location, 0, content[:20_000], _checksum(b"something else"))
    assert answer.status_code == 460
    assert answer.json()["error"] == "checksum_mismatch"
    assert _offset(device, location) == 0
    unsupported = _patch(device, location, 0, content[:10], "md5 AAAA")
    assert unsupported.status_code == 400


def test_file_that_does_not_match_its_declared_sha256_is_not_stored(central: Central) -> None:
    device = central.device(["western_europe"])
    content = os.urandom(10_000)
    claimed = hashlib.sha256(b"the photo the client meant").hexdigest()
    location = _create(device, content, sha256=claimed).headers["Location"]
    answer = _patch(device, location, 0, content, _checksum(content))
    assert answer.status_code == 460
    assert answer.json()["error"] == "file_checksum_mismatch"
    assert device.get(f"/api/v1/attachments/{claimed}").status_code == 404
    missing = device.post("/api/v1/attachments/missing", {"hashes": [claimed]}).json()
    assert missing == {"missing": [claimed]}


def test_uploads_belong_to_their_device(central: Central) -> None:
    owner, other = central.device(["western_europe"]), central.device(["western_europe"])
    content = os.urandom(100)
    location = _create(owner, content).headers["Location"]
    head = other.http.head(f"{other.url}{location}", headers=other.headers(**TUS), timeout=10)
    assert head.status_code == 404
    # The owner, having lost the upload's address, finds the same upload again by its hash.
    assert _create(owner, content).headers["Location"] == location


def test_range_download(central: Central) -> None:
    device = central.device(["western_europe"])
    content = os.urandom(64_000)
    sha = hashlib.sha256(content).hexdigest()
    location = _create(device, content).headers["Location"]
    assert _patch(device, location, 0, content, _checksum(content)).status_code == 204
    link(device, sha)

    part = device.get(f"/api/v1/attachments/{sha}", headers={"Range": "bytes=1000-1999",
                                                             "Accept-Encoding": "gzip"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(content)}"
    assert "Content-Encoding" not in part.headers
    assert part.content == content[1000:2000]
    tail = device.get(f"/api/v1/attachments/{sha}", headers={"Range": "bytes=60000-"})
    assert tail.status_code == 206 and tail.content == content[60_000:]
    beyond = device.get(f"/api/v1/attachments/{sha}", headers={"Range": "bytes=90000-"})
    assert beyond.status_code == 416


def test_tus_discovery(central: Central) -> None:
    answer = requests.options(f"{central.url}/api/v1/attachments/uploads", timeout=10)
    assert answer.status_code == 204
    assert answer.headers["Tus-Version"] == "1.0.0"
    assert "checksum" in answer.headers["Tus-Extension"]
    assert answer.headers["Tus-Checksum-Algorithm"] == "sha1,sha256"
