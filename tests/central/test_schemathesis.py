"""Fuzz every operation of the central server's OpenAPI description against a real server.

Schemathesis reads /openapi.json from a server listening on 127.0.0.1 and sends requests made
from it, valid and invalid ones, once as an enrolled device and once without a token. Whatever it
sends, the server must never fail (5xx), and every error must be the protocol's JSON error body.
The file endpoints (tus uploads, downloads) must also answer only what the description says:
documented statuses, headers and content types. For them the device's cases sometimes name a
real upload, a real stored file or valid upload metadata, so the fuzzer gets past the 404s and
400s into the code behind. Gzip and oversized bodies are covered by test_robustness.py.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION
from relay_central.db import Database
from relay_central.settings import load_settings
from tests.central.conftest import ENGINES
from tests.central.harness import Central, Device, RunningServer
from tests.central.postgres import PostgresCluster
from tests.central.uploads import create_upload, link, metadata, upload

# Operations anyone may call; every other one needs a device token.
OPEN_OPERATIONS = frozenset(
    {"GET /healthz", "GET /api/v1/server", "OPTIONS /api/v1/attachments/uploads"}
)
# Bounds that keep the whole module well under a minute on two cores, both engines included.
MAX_EXAMPLES = int(os.environ.get("RELAY_FUZZ_EXAMPLES", "75"))
# The operations whose answers must also match their description in every respect.
FILE_OPERATIONS = "/api/v1/attachments"
# tus chunks: raw bytes, a few KB (the real uploads the cases name are 1,000 bytes long).
schemathesis.openapi.media_type("application/offset+octet-stream", st.binary(max_size=4096))
# No deadline per example: one that a busy machine slows past it says nothing about the server
# (its speed is benchmarks/hostile.py's to measure). A request that hangs still fails, at this.
REQUEST_TIMEOUT_S = 30


@dataclass
class FuzzTarget:
    """A running server, the headers of one kind of caller, and the statuses it was answered."""

    url: str
    headers: dict[str, str]
    authenticated: bool
    answered: Counter[tuple[str, int]] = field(default_factory=Counter)
    # Real things a case may name instead of what the fuzzer made up (a device's only).
    upload_ids: list[str] = field(default_factory=list)
    stored_sha256: str | None = None


@pytest.fixture(scope="module", params=ENGINES)
def fuzzed_central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    folder: Path = tmp_path_factory.mktemp("fuzzed-central")
    if request.param == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        url = cluster.create_database()
    else:
        url = f"sqlite+pysqlite:///{folder / 'central.sqlite3'}"
    server_settings = load_settings(database_url=url, data_dir=folder / "data")
    central = Central(RunningServer(server_settings).start(), Database(url))
    yield central
    central.server.stop()
    central.database.dispose()


@pytest.fixture(scope="module", params=["enrolled_device", "anonymous"])
def caller(request: pytest.FixtureRequest, fuzzed_central: Central) -> FuzzTarget:
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    authenticated = request.param == "enrolled_device"
    if not authenticated:
        return FuzzTarget(fuzzed_central.url, headers, authenticated)
    device = fuzzed_central.device(["western_europe", "sub_saharan_africa"])
    headers["Authorization"] = f"Bearer {device.token}"
    target = FuzzTarget(fuzzed_central.url, headers, authenticated)
    target.upload_ids = [_open_upload(device, 1000) for _ in range(3)]
    target.stored_sha256 = upload(device, os.urandom(5000))
    link(device, target.stored_sha256)
    return target


def _open_upload(device: Device, size: int) -> str:
    created = create_upload(device, os.urandom(size))
    assert created.status_code == 201, created.text
    return str(created.headers["Location"]).rsplit("/", 1)[1]


def _with_real_things(case: schemathesis.Case, caller: FuzzTarget, pick: int) -> None:
    """Make ``case`` name one of the caller's real uploads, its stored file, or valid metadata."""
    path = case.path_parameters or {}
    if "upload_id" in path:
        path["upload_id"] = caller.upload_ids[pick % len(caller.upload_ids)]
    elif "sha256" in path and caller.stored_sha256 is not None:
        path["sha256"] = caller.stored_sha256
    elif case.operation.label == "POST /api/v1/attachments/uploads" and case.headers is not None:
        case.headers["Upload-Metadata"] = metadata(sha256=os.urandom(32).hex(),
                                                   media_type="image/jpeg")


def error_body_is_protocol_json(
    ctx: object, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """4xx/5xx answers carry `{"error": code, "message": text}` (HEAD answers carry no body)."""
    if response.status_code < 400 or case.method.upper() == "HEAD":
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} answered with {content_type!r}: {response.content[:200]!r}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    return True


def fuzz_operation(operation: APIOperation, mode: GenerationMode, caller: FuzzTarget) -> None:
    checks: list[Callable[..., bool | None]] = [not_a_server_error, error_body_is_protocol_json]
    if operation.path.startswith(FILE_OPERATIONS):
        checks += [status_code_conformance, content_type_conformance,
                   response_headers_conformance, response_schema_conformance]

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,  # no example database in the work tree: each run explores afresh
    )
    @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(0, 5))
    def send(case: schemathesis.Case, pick: int) -> None:
        if caller.authenticated and pick % 2 and operation.path.startswith(FILE_OPERATIONS):
            _with_real_things(case, caller, pick)
        response = case.call(headers=caller.headers, timeout=REQUEST_TIMEOUT_S)
        caller.answered[(operation.label, response.status_code)] += 1
        case.validate_response(response, checks=checks)
        if not caller.authenticated and operation.label not in OPEN_OPERATIONS:
            assert response.status_code >= 400, f"answered {response.status_code} without a token"

    send()


def test_no_operation_fails_or_answers_a_bare_error(caller: FuzzTarget) -> None:
    served = schemathesis.openapi.from_url(f"{caller.url}/openapi.json")
    operations = [result.ok() for result in served.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"POST /api/v1/sync/push", "GET /api/v1/sync/pull", "POST /api/v1/enroll"} <= labels
    for operation in operations:
        fuzz_operation(operation, GenerationMode.POSITIVE, caller)
        # Invalid input needs something that can be invalid: a body, a query parameter or a
        # header (a path parameter without constraints is any string: it has no invalid value).
        if operation.body or len(operation.query) > 0 or len(operation.headers) > 0:
            fuzz_operation(operation, GenerationMode.NEGATIVE, caller)
    if caller.authenticated:
        # The token opened the doors: the fuzzer reached the sync endpoints themselves.
        for label, status in (
            ("GET /api/v1/sync/meta", 200), ("GET /api/v1/sync/pull", 200),
            ("POST /api/v1/sync/push", 200), ("POST /api/v1/sync/records", 200),
            # ... and the file endpoints' own work, past their checks.
            ("POST /api/v1/attachments/uploads", 201), ("GET /api/v1/attachments/{sha256}", 200),
            ("HEAD /api/v1/attachments/uploads/{upload_id}", 200),
        ):
            assert caller.answered[(label, status)] > 0, (label, caller.answered)
