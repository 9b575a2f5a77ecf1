"""Who may download a stored file, and an administrator deleting one."""

from __future__ import annotations

import hashlib
import os

import pytest

from relay_central.admin import AdminError, delete_file
from relay_central.blobs import blob_path, upload_path
from relay_central.cli import main
from tests.central.harness import Central
from tests.central.uploads import create_upload, download, link, upload


def test_a_file_no_readable_link_names_is_not_served(central: Central) -> None:
    """Tried: downloading by hash alone (no link), then with a live link, then after its delete."""
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    content = os.urandom(2000)
    sha = upload(europe, content)

    # Knowing (or guessing) a hash is not enough, not even for the device that uploaded it.
    for device in (africa, europe):
        answer = download(device, sha)
        assert answer.status_code == 404, answer.status_code
        assert answer.json()["error"] == "not_found"

    link_id = link(europe, sha)
    assert download(africa, sha).content == content

    europe.push_one("attachments", link_id, op="delete", base_version=1)
    assert download(africa, sha).status_code == 404


def test_downloads_follow_what_pulls_show(central: Central) -> None:
    """Tried: a file linked to another region's partner (links are read by every relay, as in
    pulls), and the same file asked for by an app speaking protocol 1 (it never sees links)."""
    africa = central.device(["sub_saharan_africa"])
    europe = central.device(["western_europe"])
    content = os.urandom(2000)
    sha = upload(africa, content)
    link_id = link(africa, sha, "sub_saharan_africa", "SN")

    items, _cursor = europe.pull_all()
    assert link_id in {item["id"] for item in items if item["kind"] == "attachments"}
    assert download(europe, sha).content == content

    older_app = europe.speaking(1)
    assert download(older_app, sha).status_code == 404
    items, _cursor = older_app.pull_all()
    assert link_id not in {item["id"] for item in items}


def test_an_administrator_deletes_a_stored_file(central: Central) -> None:
    """Tried: `delete_file` (hash in capitals) on a file two relays linked, then again."""
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    content = os.urandom(3000)
    sha = upload(europe, content)
    links = {link(europe, sha), link(africa, sha, "sub_saharan_africa", "SN")}
    _items, cursor = africa.pull_all()

    deleted = delete_file(central.database, central.settings, sha.upper())

    assert (deleted.stored, deleted.links) == (True, 2)
    assert not blob_path(central.settings, sha).exists()
    assert download(europe, sha).status_code == 404
    missing = europe.post("/api/v1/attachments/missing", {"hashes": [sha]}).json()
    assert missing == {"missing": [sha]}
    # The links stop offering the file: every relay pulls them as deleted.
    items, _cursor = africa.pull_all(cursor)
    assert {(item["id"], item["deleted"], item["version"]) for item in items} == {
        (link_id, True, 2) for link_id in links
    }
    with pytest.raises(AdminError):
        delete_file(central.database, central.settings, sha)


def test_delete_file_drops_uploads_in_progress(central: Central) -> None:
    """Tried: deleting a hash the server only has a half-finished upload of."""
    device = central.device(["western_europe"])
    content = os.urandom(3000)
    created = create_upload(device, content)
    upload_id = created.headers["Location"].rsplit("/", 1)[1]
    sha = upload(device, os.urandom(10))  # another file, untouched
    link(device, sha)

    deleted = delete_file(central.database, central.settings, hashlib.sha256(content).hexdigest())

    assert (deleted.stored, deleted.links, deleted.uploads) == (False, 0, 1)
    assert not upload_path(central.settings, upload_id).exists()
    assert download(device, sha).status_code == 200


def test_delete_file_command(central: Central, capsys: pytest.CaptureFixture[str]) -> None:
    """Tried: `relay-central delete-file` with a stored file, a wrong hash and an unknown one."""
    device = central.device(["western_europe"])
    sha = upload(device, os.urandom(500))
    link(device, sha)
    common = ["--db", central.settings.database_url, "--data-dir", str(central.settings.data_dir)]

    assert main(["delete-file", sha, *common]) == 0
    out = capsys.readouterr().out
    assert sha in out and "1 link" in out
    assert download(device, sha).status_code == 404

    assert main(["delete-file", "not-a-hash", *common]) == 1
    assert "SHA-256" in capsys.readouterr().err
    assert main(["delete-file", "ab" * 32, *common]) == 1
    assert "ab" * 32 in capsys.readouterr().err
