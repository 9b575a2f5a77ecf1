"""The sync endpoints: meta, enrol, push, pull and (protocol 2) records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import func, select

from relay_app.i18n import _
from relay_app.sync.wire import (
    API_PREFIX,
    MAX_BATCH_CHANGES,
    MAX_MISSING_HASHES,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    MetaResponse,
    ProtocolError,
    ProtocolRange,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordsRequest,
    RecordsResponse,
    ServerIdentity,
    ServerLimits,
)
from relay_central.attempts import AttemptLimiter
from relay_central.auth import Actor, current_actor
from relay_central.cursor import encode_cursor
from relay_central.db import Database, server_identity, server_state
from relay_central.enrolment import enroll
from relay_central.errors import ApiError
from relay_central.models import AppliedChange, utc_now
from relay_central.protocol import accept_protocol, require_protocol
from relay_central.pull import pull_page
from relay_central.push import apply_batch
from relay_central.records import fetch_records
from relay_central.routing import ThreadParsedJsonRoute
from relay_central.settings import Settings

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody},
    401: {"model": ErrorBody},
    413: {"model": ErrorBody},
    426: {"model": ProtocolError},
}

sync_router = APIRouter(
    prefix=f"{API_PREFIX}/sync",
    dependencies=[Depends(require_protocol)],
    responses=_ERRORS,
    route_class=ThreadParsedJsonRoute,
)
enrol_router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(accept_protocol)])

CurrentActor = Annotated[Actor, Depends(current_actor)]
# The request's protocol version (the router's own check, answered once per request).
ClientProtocol = Annotated[int, Depends(require_protocol)]


def _database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def json_response(model: BaseModel, status: int = 200) -> Response:
    """Serialise once, without FastAPI validating the model a second time."""
    return Response(model.model_dump_json(), status, media_type="application/json")


@sync_router.get("/meta", response_model=MetaResponse)
def meta(request: Request, actor: CurrentActor) -> Response:
    settings = _settings(request)
    with _database(request).reading() as session:
        state = server_state(session)
        latest = encode_cursor(state.server_id, state.last_change_seq)
        identity = server_identity(session)
        device_last_seq = session.scalar(
            select(func.max(AppliedChange.seq)).where(AppliedChange.device == actor.device_pk)
        )
    return json_response(
        MetaResponse(
            device_last_seq=device_last_seq or 0,
            protocol=ProtocolRange(min=settings.protocol_min, max=settings.protocol_max),
            server_time=utc_now(),
            latest_cursor=latest,
            limits=ServerLimits(
                max_body_bytes=settings.max_body_bytes,
                max_batch_changes=min(settings.max_batch_changes, MAX_BATCH_CHANGES),
                max_pull_limit=settings.max_pull_limit,
                max_upload_bytes=settings.max_upload_bytes,
                max_chunk_bytes=settings.max_chunk_bytes,
                # request size and push volume
                max_decompressed_bytes=settings.max_decompressed_bytes,
                max_json_values=settings.max_json_values,
                max_missing_hashes=MAX_MISSING_HASHES,
                max_push_changes_per_day=settings.max_push_changes_per_day,
                max_push_bytes_per_day=settings.max_push_bytes_per_day,
                # uploads per device
                max_open_uploads=settings.max_open_uploads,
                max_open_upload_bytes=settings.max_open_upload_bytes,
                max_daily_upload_bytes=settings.max_daily_upload_bytes,
            ),
            server_id=identity,
        )
    )


@sync_router.post("/push", response_model=PushResponse)
def push(body: PushRequest, request: Request, actor: CurrentActor) -> Response:
    return json_response(apply_batch(_database(request), _settings(request), actor, body))


@sync_router.get("/pull", response_model=PullResponse)
def pull(
    request: Request,
    actor: CurrentActor,
    protocol: ClientProtocol,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    settings = _settings(request)
    size = min(limit or settings.default_pull_limit, settings.max_pull_limit)
    return json_response(pull_page(_database(request), actor, cursor, size, protocol))


@sync_router.post(
    "/records", response_model=RecordsResponse, responses={422: {"model": ErrorBody}}
)
def records(
    body: RecordsRequest, request: Request, actor: CurrentActor, protocol: ClientProtocol
) -> Response:
    """The full latest versions of the records asked for, among those the device may read."""
    return json_response(fetch_records(_database(request), actor, body.keys, protocol))


@enrol_router.get("/server", response_model=ServerIdentity)
def identify(request: Request) -> Response:
    """Who this server is, asked without a token (a client checks before sending its token)."""
    with _database(request).reading() as session:
        return json_response(ServerIdentity(server_id=server_identity(session)))


@enrol_router.post(
    "/enroll",
    response_model=EnrollResponse,
    status_code=201,
    responses={403: {"model": ErrorBody}, 409: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def enroll_device(body: EnrollRequest, request: Request) -> Response:
    attempts: AttemptLimiter = request.app.state.enrolment_attempts
    # The peer's address, or the one a trusted proxy forwarded (uvicorn's proxy headers).
    address = request.client.host if request.client else "unknown"
    wait = attempts.wait_seconds(address)
    if wait:
        raise ApiError(
            429,
            "too_many_attempts",
            _("Too many failed enrolment attempts from this address; try again in {seconds} "
              "seconds.").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    try:
        answer = enroll(_database(request), body)
    except ApiError:
        attempts.failed(address)
        raise
    return json_response(answer, 201)
