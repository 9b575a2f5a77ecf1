"""Answers that are not the server's: each is named for what it is, and none is retried in vain.

A real HTTP server on 127.0.0.1 plays a captive portal (a login page with 200, a 302 to it, a 511),
a server that answers 500, a gateway that keeps answering 503, and a proxy in front of the real
central server that cuts its push answer short (framed, so the link itself delivered it whole).
Each test counts the requests the fake server received: an answer that cannot get better by
asking again is asked once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from sqlalchemy import select

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.store.models import PendingChange
from relay_app.sync.client import SyncClient
from relay_app.sync.connect import files_dir
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.errors import SyncError
from relay_app.sync.identity import enrolled_token
from relay_app.sync.wire import API_PREFIX
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.local_http import Answer, LocalHttpServer, Reply, Request, forwarding
from tests.sync.records import partner

META = f"{API_PREFIX}/sync/meta"
PUSH = f"{API_PREFIX}/sync/push"
LOGIN_PAGE = (b"<!DOCTYPE html><html><head><title>Welcome to Airport Wi-Fi</title></head>"
              b"<body><form action='/login'>Accept the terms to go online</form></body></html>")
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _portal_page(_request: Request) -> Reply:
    return Reply(200, LOGIN_PAGE, HTML)


def _portal_redirect(request: Request) -> Reply:
    if request.path.startswith("/login"):
        return Reply(200, LOGIN_PAGE, HTML)
    return Reply(302, b"", {"Location": "/login?continue=" + request.path})


def _portal_511(_request: Request) -> Reply:
    return Reply(511, LOGIN_PAGE, HTML)


def _portal_without_content_type(_request: Request) -> Reply:
    return Reply(200, b"\n\n" + LOGIN_PAGE)


def _server_error(_request: Request) -> Reply:
    body = json.dumps({"error": "internal_error", "message": "The server failed; try again later."})
    return Reply(500, body.encode(), {"Content-Type": "application/json"})


def _engine(relay: Relay, url: str, *, attempts: int = 20) -> SyncEngine:
    """The relay's enrolment, reached at ``url``; fast retries so that a retried call shows."""
    token = enrolled_token(relay.services.database, relay.data_dir)
    client = SyncClient(url, token, retries=0)
    return SyncEngine(relay.services.database, client, files_dir=files_dir(relay.data_dir),
                      retries=RetrySchedule(attempts=attempts, first_wait=0.01, longest_wait=0.05))


def _pending(relay: Relay) -> list[tuple[str, int]]:
    with relay.services.database.read() as session:
        return [(entry.record_id, entry.seq) for entry in session.scalars(select(PendingChange))]


@pytest.mark.parametrize(
    "portal", [_portal_page, _portal_redirect, _portal_511, _portal_without_content_type]
)
def test_a_captive_portal_is_named_and_asked_once(
    make_relay: Callable[..., Relay], portal: Answer
) -> None:
    """Before: the login page read as a cut answer, retried for about 45 s, then "The server could
    not be reached (connection lost)"; a redirect was followed to the login page first."""
    relay = make_relay()
    relay.services.records("partners").create(partner(1))
    before = _pending(relay)

    with LocalHttpServer(portal) as wifi, pytest.raises(SyncError) as failed:
        _engine(relay, wifi.url).sync()

    assert failed.value.code == "captive_portal"
    assert "sign in to the Wi-Fi" in str(failed.value) and "could not be reached" not in str(failed.value)
    assert wifi.paths() == [META]  # not retried, and the redirect not followed
    assert _pending(relay) == before


def test_a_server_error_is_worded_as_one_and_not_retried(make_relay: Callable[..., Relay]) -> None:
    """Before: a 500 was retried like a lost connection and reported as "could not be reached"."""
    relay = make_relay()
    with LocalHttpServer(_server_error) as broken, pytest.raises(SyncError) as failed:
        _engine(relay, broken.url).sync()

    assert failed.value.code == "server_failed" and failed.value.status == 500
    assert "The server failed (HTTP 500)" in str(failed.value)
    assert "could not be reached" not in str(failed.value)
    assert broken.paths() == [META]


def test_a_server_that_stays_unavailable_is_retried_then_named(make_relay: Callable[..., Relay]) -> None:
    """503 may pass (a restart, a full queue): it is retried, then reported as the server's state,
    not as a network that could not reach it."""
    relay = make_relay()

    def unavailable(_request: Request) -> Reply:
        return Reply(503, b"<html><body>503 Service Temporarily Unavailable</body></html>", HTML)

    with LocalHttpServer(unavailable) as gateway, pytest.raises(SyncError) as failed:
        _engine(relay, gateway.url, attempts=3).sync()

    assert failed.value.code == "server_unavailable"
    assert "busy or unavailable (HTTP 503)" in str(failed.value)
    assert "could not be reached" not in str(failed.value)
    assert gateway.paths() == [META] * 3


def test_a_cut_answer_is_named_not_retried_and_the_next_run_settles_it(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """The proxy passes the push to the real server (which applies it) and answers the first half
    of its JSON, with a length that matches: the link delivered all it was given. Before, this was
    retried as a cut connection and ended as "could not be reached"."""
    relay = make_relay()
    ids = [relay.services.records("partners").create(partner(number)).id for number in range(3)]
    before = _pending(relay)

    def cut_push(request: Request, reply: Reply) -> Reply:
        if request.path == PUSH:
            return Reply(reply.status, reply.body[: len(reply.body) // 2], reply.headers)
        return reply

    with LocalHttpServer(forwarding(central.url, cut_push)) as proxy, pytest.raises(SyncError) as failed:
        _engine(relay, proxy.url).sync()

    assert failed.value.code == "damaged_answer"
    assert "cut off or damaged" in str(failed.value) and "your changes are kept" in str(failed.value)
    assert proxy.paths().count(PUSH) == 1
    assert _pending(relay) == before

    summary = relay.sync()
    assert summary.in_sync and summary.pushed == 3 and _pending(relay) == []
    assert {view.id for view in relay.services.records("partners").list()} == set(ids)


def _poster(relay: Relay, size: int) -> None:
    """A partner with a poster of ``size`` random bytes, linked as a person links it."""
    owner = relay.services.records("partners").create(partner(1)).id
    files = RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)), None)
    files.link("partners", owner, "poster", files.store.put_bytes(os.urandom(size)), "image/jpeg")


def _unavailable(_request: Request) -> Reply:
    return Reply(503, b"<html><body>503 Service Temporarily Unavailable</body></html>", HTML)


@pytest.mark.parametrize(
    ("files_answer", "code", "asked"),
    [(_portal_page, "captive_portal", 1), (_unavailable, "server_unavailable", 3)],
)
def test_files_meeting_a_portal_or_a_down_server_stop_the_run_once_not_once_per_file(
    central: Central, make_relay: Callable[..., Relay], files_answer: Answer, code: str, asked: int
) -> None:
    """Records pass; the two photos to download meet a login page (or a 503 that lasts). Before,
    each file took the failure for its own refusal: the next file asked again, and the run ended
    with no word of the portal."""
    writer, reader = make_relay("writer"), make_relay("reader")
    _poster(writer, 10_000)
    _poster(writer, 12_000)
    assert writer.sync().in_sync

    def answer(request: Request) -> Reply:
        if request.path.startswith(f"{API_PREFIX}/attachments/"):
            return files_answer(request)
        return forwarding(central.url)(request)

    with LocalHttpServer(answer) as link, pytest.raises(SyncError) as failed:
        _engine(reader, link.url, attempts=3).sync()

    assert failed.value.code == code
    assert sum(path.startswith(f"{API_PREFIX}/attachments/") for path in link.paths()) == asked
    kept = [path for path in files_dir(reader.data_dir).rglob("*") if path.is_file()]
    assert all(b"<html>" not in path.read_bytes() for path in kept)  # no login page kept as a photo
