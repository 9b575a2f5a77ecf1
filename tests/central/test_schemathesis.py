"""Fuzz every operation of the central server's OpenAPI description against a real server.

Schemathesis reads /openapi.json from a server listening on 127.0.0.1 and sends requests made
from it, valid and invalid ones, once as an enrolled device and once without a token. Whatever it
sends, the server must never fail (5xx), and every error must be the protocol's JSON error body.
Gzip and oversized bodies are covered by test_robustness.py.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error

from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION
from relay_central.db import Database
from relay_central.settings import load_settings
from tests.central.conftest import ENGINES
from tests.central.harness import Central, RunningServer
from tests.central.postgres import PostgresCluster

# Operations anyone may call; every other one needs a device token.
OPEN_OPERATIONS = frozenset(
    {"GET /healthz", "GET /api/v1/server", "OPTIONS /api/v1/attachments/uploads"}
)
# Bounds that keep the whole module well under a minute on two cores, both engines included.
MAX_EXAMPLES = 75
DEADLINE_MS = 5000
REQUEST_TIMEOUT_S = 10


@dataclass
class FuzzTarget:
    """A running server, the headers of one kind of caller, and the statuses it was answered."""

    url: str
    headers: dict[str, str]
    authenticated: bool
    answered: Counter[tuple[str, int]] = field(default_factory=Counter)


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
    if authenticated:
        device = fuzzed_central.device(["western_europe", "sub_saharan_africa"])
        headers["Authorization"] = f"Bearer {device.token}"
    return FuzzTarget(fuzzed_central.url, headers, authenticated)


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
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=DEADLINE_MS,
        suppress_health_check=list(HealthCheck),
        database=None,  # no example database in the work tree: each run explores afresh
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: schemathesis.Case) -> None:
        response = case.call(headers=caller.headers, timeout=REQUEST_TIMEOUT_S)
        caller.answered[(operation.label, response.status_code)] += 1
        case.validate_response(response, checks=[not_a_server_error, error_body_is_protocol_json])
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
        # Invalid input needs something that can be invalid: a body or a query parameter (a path
        # parameter without constraints is any string, so it has no invalid value).
        if operation.body or len(operation.query) > 0:
            fuzz_operation(operation, GenerationMode.NEGATIVE, caller)
    if caller.authenticated:
        # The token opened the doors: the fuzzer reached the sync endpoints themselves.
        for label in ("GET /api/v1/sync/meta", "GET /api/v1/sync/pull", "POST /api/v1/sync/push",
                      "POST /api/v1/sync/records"):
            assert caller.answered[(label, 200)] > 0, (label, caller.answered)
