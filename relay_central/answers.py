"""A push answer's account of a rejected change, bounded.

A rejection repeats what the device sent: an unknown field's name (twice, in `field` and in the
message), a refused choice's value. The answer is also stored for replays until retention ends.
Left as they come, a small request of many long unknown names would be answered, and stored, many
times over its own size. So a rejection lists at most MAX_REJECTED_ERRORS problems (counting the
others in `more_errors`) and each text it repeats is cut to a length no real field name or
message reaches.
"""

from __future__ import annotations

from relay_app.sync.wire import MAX_REJECTED_ERRORS, ChangeResult, FieldErrorBody, Rejected

# Field names of the forms are a few dozen characters, their messages a sentence or two.
MAX_FIELD_CHARS = 64
MAX_CODE_CHARS = 64
MAX_MESSAGE_CHARS = 240
_CUT = "…"


def bounded_answer(result: ChangeResult) -> ChangeResult:
    if not isinstance(result, Rejected) or not _oversized(result):
        return result
    kept = result.errors[:MAX_REJECTED_ERRORS]
    return Rejected(
        seq=result.seq,
        kind=result.kind,
        id=result.id,
        errors=[
            FieldErrorBody(
                field=_shortened(error.field, MAX_FIELD_CHARS),
                code=_shortened(error.code, MAX_CODE_CHARS),
                message=_shortened(error.message, MAX_MESSAGE_CHARS),
            )
            for error in kept
        ],
        more_errors=result.more_errors + len(result.errors) - len(kept),
    )


def _oversized(result: Rejected) -> bool:
    return len(result.errors) > MAX_REJECTED_ERRORS or any(
        len(error.field) > MAX_FIELD_CHARS
        or len(error.code) > MAX_CODE_CHARS
        or len(error.message) > MAX_MESSAGE_CHARS
        for error in result.errors
    )


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(_CUT)] + _CUT
