"""The sync protocol: the request and response bodies shared by the client and the central server.

This is the only module the two sides share. docs/sync-protocol.md explains the rules behind each
model; a change here that an older peer cannot read needs a new protocol version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

PROTOCOL_VERSION: Final = 3
# Protocol 2 adds the "attachments" kind (a file's link to its record syncs like a record) and
# pull items without values for versions the asking device wrote itself (see PullItem).
ATTACHMENTS_SINCE: Final = 2
# Protocol 3 adds the "checkins" kind: a forum desk's scans, an append-only log whose records are
# never edited once made, so merging two desks' logs is their union, never a conflict.
CHECKINS_SINCE: Final = 3
PROTOCOL_HEADER: Final = "Relay-Protocol"
API_PREFIX: Final = "/api/v1"
# Lists in requests are bounded here, in the schema, so that an over-long one is refused by its
# length before any of its items is looked at (see docs/sync-protocol.md, "Size limits").
MAX_BATCH_CHANGES: Final = 1000
MAX_MISSING_HASHES: Final = 1000
MAX_RECORD_KEYS: Final = 500
# A rejected change lists at most this many problems (the others are counted, not listed).
MAX_REJECTED_ERRORS: Final = 10

RecordKind = Literal[
    "partners", "practices", "forums", "registrations", "attachments", "checkins"
]
RECORD_KINDS: Final[tuple[str, ...]] = (
    "partners", "practices", "forums", "registrations", "attachments", "checkins"
)
# Kinds whose records are written once and never changed or deleted afterwards.
APPEND_ONLY_KINDS: Final = frozenset({"checkins"})
ChangeOp = Literal["upsert", "delete"]

# The pseudo-field a conflict names when one side deleted the record and the other edited it.
DELETED_FIELD: Final = "_deleted"

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
RecordId = Annotated[str, Field(min_length=1, max_length=64)]
FieldValues = dict[str, JsonValue]


class WireModel(BaseModel):
    """Unknown keys are ignored so that a peer may add optional keys within the same version."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- errors -----------------------------------------------------------------------------------


class ErrorBody(WireModel):
    """Every 4xx/5xx answer: a stable ``error`` code for programs and a ``message`` for people."""

    error: str
    message: str


class ProtocolRange(WireModel):
    min: int
    max: int


class ProtocolError(ErrorBody):
    """HTTP 426: the client's protocol is outside what the server supports."""

    supported: ProtocolRange
    client: int | None = None


# --- idle check -------------------------------------------------------------------------------


class ServerLimits(WireModel):
    max_body_bytes: int
    max_batch_changes: int
    max_pull_limit: int
    max_upload_bytes: int
    max_chunk_bytes: int
    # Request size and push volume (optional: absent from older servers, ignored by older apps).
    max_decompressed_bytes: int | None = None
    max_json_values: int | None = None
    max_missing_hashes: int | None = None
    max_push_changes_per_day: int | None = None
    max_push_bytes_per_day: int | None = None
    # Per device (optional: older servers do not say): unfinished uploads, their declared bytes
    # together, and the bytes stored in the last 24 hours plus those declared in flight.
    max_open_uploads: int | None = None
    max_open_upload_bytes: int | None = None
    max_daily_upload_bytes: int | None = None


class MetaResponse(WireModel):
    """``device_last_seq``: the highest change number the server has answered for the asking
    device (0 when it remembers none). A device whose own counter is lower was restored from an
    older copy: it moves its counter past this number before pushing, or its next changes would
    be taken for replays of changes the server already answered.
    """

    protocol: ProtocolRange
    server_time: datetime
    latest_cursor: str
    limits: ServerLimits
    device_last_seq: Annotated[int, Field(ge=0)] = 0
    # The server's lasting identity (see ServerIdentity); None from servers older than it.
    server_id: str | None = None


class ServerIdentity(WireModel):
    """``GET /api/v1/server``, asked without a token: who the server at this address is.

    A device's token belongs to the server with this id, whatever address reaches it, so a client
    asks before sending its token to an address it has not used before.
    """

    server_id: Annotated[str, Field(min_length=1, max_length=64)]


# --- enrolment --------------------------------------------------------------------------------


class EnrollRequest(WireModel):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    device_id: Annotated[str, Field(min_length=1, max_length=64)]
    device_name: Annotated[str, Field(min_length=1, max_length=200)]


class RelayInfo(WireModel):
    name: str
    email: str
    regions: list[str]


class EnrollResponse(WireModel):
    token: str
    device_id: str
    relay: RelayInfo
    server_id: str | None = None  # the id the token belongs to (None from older servers)


# --- push -------------------------------------------------------------------------------------


class Change(WireModel):
    """One coalesced local change of one record.

    ``seq`` increases with every change a device makes and identifies the change for replays.
    ``base_version`` is the server version the device last saw (None for a record it created).
    ``fields`` holds only the fields changed since that version; a delete carries none.
    """

    seq: Annotated[int, Field(ge=1)]
    kind: RecordKind
    id: RecordId
    op: ChangeOp
    base_version: Annotated[int, Field(ge=1)] | None = None
    fields: FieldValues = Field(default_factory=dict)


class PushRequest(WireModel):
    batch_id: Annotated[str, Field(min_length=1, max_length=64)]
    changes: Annotated[list[Change], Field(max_length=MAX_BATCH_CHANGES)]


class FieldConflict(WireModel):
    field: str
    server_value: JsonValue
    client_value: JsonValue
    base_value: JsonValue


class FieldErrorBody(WireModel):
    field: str
    code: str
    message: str


class _ChangeAnswer(WireModel):
    seq: int
    kind: RecordKind
    id: str


class Applied(_ChangeAnswer):
    status: Literal["applied"] = "applied"
    version: int


class Merged(_ChangeAnswer):
    """Applied, and the server's copy had other fields changed since the base: their values."""

    status: Literal["merged"] = "merged"
    version: int
    merged_fields: FieldValues


class Conflicted(_ChangeAnswer):
    """The non-conflicting fields were applied; for each conflicting one the server value stands."""

    status: Literal["conflict"] = "conflict"
    version: int
    conflicts: list[FieldConflict]


class Rejected(_ChangeAnswer):
    """``errors`` lists at most MAX_REJECTED_ERRORS problems; ``more_errors`` counts the others
    (optional: 0 from older servers)."""

    status: Literal["rejected"] = "rejected"
    errors: list[FieldErrorBody]
    more_errors: Annotated[int, Field(ge=0)] = 0


ChangeResult = Annotated[Applied | Merged | Conflicted | Rejected, Field(discriminator="status")]


class PushResponse(WireModel):
    batch_id: str
    results: list[ChangeResult]
    server_time: datetime


# --- pull -------------------------------------------------------------------------------------


class PullItem(WireModel):
    """The latest version of one record.

    ``values`` is None (protocol 2) when the asking device wrote this very version and was told
    everything needed to hold it in its push answer: its own change coming back. A device whose
    copy is older (a receipt it lost, a restored backup) asks for the values with ``records``.
    """

    kind: RecordKind
    id: str
    version: int
    deleted: bool
    values: FieldValues | None
    change_seq: int
    # The asking relay may no longer read this record (a registration whose forum moved to another
    # region): it removes its copy and pushes nothing for it. Sent with ``deleted`` true and empty
    # ``values``, so that an app that ignores this key marks its copy deleted instead.
    out_of_scope: bool = False


class RecordKey(WireModel):
    kind: RecordKind
    id: RecordId


class RecordsRequest(WireModel):
    """Protocol 2: the full latest versions of these records (``POST sync/records``)."""

    keys: Annotated[list[RecordKey], Field(max_length=MAX_RECORD_KEYS)]


class RecordsResponse(WireModel):
    """Every asked record the device may read and the server holds; the others are left out."""

    items: list[PullItem]


class PullResponse(WireModel):
    """One page of the server's change feed.

    ``resync`` true means the cursor is older than what the server keeps (or from another
    server): ``items`` is empty and ``next_cursor`` starts a full snapshot.
    """

    items: list[PullItem]
    next_cursor: str
    has_more: bool
    resync: bool = False


# --- attachments ------------------------------------------------------------------------------


class MissingRequest(WireModel):
    hashes: Annotated[list[Sha256Hex], Field(max_length=MAX_MISSING_HASHES)]


class MissingResponse(WireModel):
    missing: list[str]
