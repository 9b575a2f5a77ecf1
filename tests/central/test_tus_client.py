"""A stock tus client from PyPI (tuspy) uploads to the server, checksums on, and resumes after a cut."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError, TusUploadFailed
from tusclient.storage.filestorage import FileStorage
from tusclient.uploader import Uploader

from tests.central.harness import Central, Device
from tests.central.uploads import download, link

CHUNK = 64 * 1024


class CuttingLink:
    """A TCP relay to the server that can drop its connection after so many bytes sent up."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.cut_after: int | None = None
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket) -> None:
        sent = 0
        try:
            while data := client.recv(16 * 1024):
                if self.cut_after is not None and sent + len(data) > self.cut_after:
                    server.sendall(data[: self.cut_after - sent])
                    self.cut_after = None  # one cut, then the link works again
                    break
                server.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for end in (client, server):
            # shutdown, not just close: the other thread's recv keeps a closed socket open.
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def _down(self, server: socket.socket, client: socket.socket) -> None:
        try:
            while data := server.recv(16 * 1024):
                client.sendall(data)
        except OSError:
            pass


@pytest.fixture
def cutting_link(central: Central) -> Iterator[CuttingLink]:
    relay = CuttingLink(central.server.port)
    yield relay
    relay.close()


def _uploader(device: Device, url: str, path: Path, storage: FileStorage, sha256: str) -> Uploader:
    """What an app built on tuspy makes, each time it (re)starts: URLs kept in ``storage``."""
    client = TusClient(f"{url}/api/v1/attachments/uploads", headers=device.headers())
    return client.uploader(
        str(path),
        chunk_size=CHUNK,
        metadata={"sha256": sha256, "filetype": "image/jpeg"},
        upload_checksum=True,
        store_url=True,
        url_storage=storage,
    )


def test_tuspy_uploads_with_sha1_checksums_and_resumes_after_a_cut(
    central: Central, cutting_link: CuttingLink, tmp_path: Path
) -> None:
    """Tried: tuspy (Upload-Checksum: sha1) sends two chunks, the link drops in the third, the
    app restarts and resumes from the server's offset; the stored bytes are the file's."""
    assert Uploader.CHECKSUM_ALGORITHM_PAIR[0] == "sha1"
    device = central.device(["western_europe"])
    content = os.urandom(5 * CHUNK + 1234)
    sha = hashlib.sha256(content).hexdigest()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(content)
    storage = FileStorage(str(tmp_path / "tus-urls.json"))
    url = f"http://127.0.0.1:{cutting_link.port}"

    first = _uploader(device, url, photo, storage, sha)
    first.upload(stop_at=2 * CHUNK)
    assert first.offset == 2 * CHUNK
    cutting_link.cut_after = CHUNK // 2  # within the next PATCH: headers and part of the chunk
    with pytest.raises((TusUploadFailed, TusCommunicationError)):
        first.upload()
    storage.close()

    storage = FileStorage(str(tmp_path / "tus-urls.json"))
    resumed = _uploader(device, url, photo, storage, sha)
    # The cut chunk could not be checked against its checksum, so none of it was kept.
    assert resumed.url == first.url and resumed.offset == 2 * CHUNK
    resumed.upload()
    storage.close()

    assert resumed.offset == len(content)
    link(device, sha)
    assert download(device, sha).content == content
