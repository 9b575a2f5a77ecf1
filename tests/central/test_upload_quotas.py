"""What one device may upload: unfinished uploads and bytes per day are bounded; expired ones go."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update

from relay_central.blobs import upload_path
from relay_central.models import Upload, utc_now
from relay_central.prune import prune
from relay_central.settings import MIB
from tests.central.harness import Central, Device
from tests.central.uploads import TUS, create_upload, upload

LARGEST_FILE = 200 * MIB


def _open(device: Device, size: int) -> int:
    """Declare an upload of ``size`` random bytes (none sent); the status answered."""
    answer = create_upload(device, b"", length=str(size), sha256=os.urandom(32).hex())
    if answer.status_code != 201:
        assert answer.status_code == 413, answer.text
        assert answer.headers["Tus-Resumable"] == "1.0.0"
    return answer.status_code


def _refusal(device: Device, size: int) -> dict[str, str]:
    answer = create_upload(device, b"", length=str(size), sha256=os.urandom(32).hex())
    assert answer.status_code == 413, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_device_cannot_open_a_hundred_of_the_largest_uploads(central: Central) -> None:
    """Tried (the finding): 100 uploads of 200 MB declared in a row by one device."""
    device = central.device(["western_europe"])

    statuses = [_open(device, LARGEST_FILE) for _ in range(100)]

    accepted = statuses.count(201)
    assert accepted * LARGEST_FILE <= central.settings.max_open_upload_bytes
    assert accepted == 5 and statuses[accepted:] == [413] * (100 - accepted)
    refusal = _refusal(device, LARGEST_FILE)
    assert refusal["error"] == "upload_quota" and refusal["limit"] == "max_open_upload_bytes"
    # The bound is per device: another one still uploads.
    assert _open(central.device(["western_europe"]), LARGEST_FILE) == 201


def test_unfinished_uploads_are_bounded_in_number(start_central: Callable[..., Central]) -> None:
    """Tried: a fourth unfinished upload with three allowed; resuming, abandoning, finishing."""
    central = start_central(max_open_uploads=3)
    device = central.device(["western_europe"])
    contents = [os.urandom(100) for _ in range(3)]
    locations = [create_upload(device, content).headers["Location"] for content in contents]

    refusal = _refusal(device, 10)
    assert refusal["error"] == "upload_quota" and refusal["limit"] == "max_open_uploads"
    # Asking again for an upload already open finds it: nothing new is opened.
    assert create_upload(device, contents[0]).headers["Location"] == locations[0]
    # An abandoned upload frees its place, and so does a finished one.
    abandoned = device.http.delete(f"{device.url}{locations[0]}", headers=device.headers(**TUS))
    assert abandoned.status_code == 204
    assert _open(device, 10) == 201
    assert _open(device, 10) == 413
    upload(device, contents[1])
    assert _open(device, 10) == 201


def test_bytes_stored_per_day_are_bounded(start_central: Callable[..., Central]) -> None:
    """Tried: files stored and uploads opened past the daily bound of the device."""
    central = start_central(max_daily_upload_bytes=1500)
    device = central.device(["western_europe"])
    upload(device, os.urandom(1000))

    refusal = _refusal(device, 600)
    assert refusal["error"] == "upload_quota" and refusal["limit"] == "max_daily_upload_bytes"
    assert _open(device, 400) == 201
    assert _open(device, 101) == 413  # what is in flight counts as well


def test_expired_uploads_stop_counting_and_are_forgotten(
    start_central: Callable[..., Central],
) -> None:
    """Tried: an upload left untouched past its expiry, then a new upload and a prune."""
    central = start_central(max_open_uploads=1, upload_expiry_days=7)
    device = central.device(["western_europe"])
    created = create_upload(device, os.urandom(100))
    assert "Upload-Expires" in created.headers
    location = created.headers["Location"]
    upload_id = location.rsplit("/", 1)[1]
    assert _open(device, 10) == 413
    with central.database.writing() as session:
        session.execute(update(Upload).values(updated_at=utc_now() - timedelta(days=8)))

    head = device.http.head(f"{device.url}{location}", headers=device.headers(**TUS), timeout=10)
    assert head.status_code == 404
    assert _open(device, 10) == 201
    assert not upload_path(central.settings, upload_id).exists()

    # An expired upload of a device that never comes back goes at the next prune.
    with central.database.writing() as session:
        session.execute(update(Upload).values(updated_at=utc_now() - timedelta(days=8)))
    report = prune(central.database, central.settings)
    assert report.uploads == 1
    with central.database.reading() as session:
        assert session.scalars(select(Upload)).all() == []


def test_meta_reports_the_upload_bounds(start_central: Callable[..., Central]) -> None:
    central = start_central(max_open_uploads=7, max_open_upload_bytes=5000,
                            max_daily_upload_bytes=9000)
    device = central.device(["western_europe"])

    limits = device.get("/api/v1/sync/meta").json()["limits"]

    assert (limits["max_open_uploads"], limits["max_open_upload_bytes"],
            limits["max_daily_upload_bytes"]) == (7, 5000, 9000)
