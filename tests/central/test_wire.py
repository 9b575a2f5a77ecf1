"""The shared wire schema: what the client will parse from the server's answers."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from relay_app.sync.wire import (
    Applied,
    ChangeResult,
    Conflicted,
    PushRequest,
    Rejected,
)

RESULT = TypeAdapter(ChangeResult)


def test_results_are_told_apart_by_status() -> None:
    conflict = RESULT.validate_python({
        "status": "conflict", "seq": 3, "kind": "forums", "id": "a", "version": 4,
        "conflicts": [{"field": "city", "server_value": "A", "client_value": "B",
                       "base_value": None}],
    })
    assert isinstance(conflict, Conflicted) and conflict.conflicts[0].base_value is None
    applied = RESULT.validate_json(b'{"status":"applied","seq":1,"kind":"partners","id":"x",'
                                   b'"version":1,"added_later":true}')
    assert applied == Applied(seq=1, kind="partners", id="x", version=1)
    with pytest.raises(ValidationError):
        RESULT.validate_python({"status": "rejected", "seq": 1, "kind": "partners", "id": "x"})
    assert RESULT.validate_python(
        Rejected(seq=1, kind="forums", id="x", errors=[]).model_dump(mode="json")
    ).status == "rejected"


def test_a_change_needs_a_positive_seq_a_known_kind_and_op() -> None:
    body = {"batch_id": "b", "changes": [{"seq": 1, "kind": "forums", "id": "x", "op": "upsert",
                                          "fields": {"capacity": 3, "languages": ["fr"]}}]}
    request = PushRequest.model_validate(body)
    assert request.changes[0].base_version is None
    for broken in ({"seq": 0}, {"kind": "cats"}, {"op": "merge"}, {"base_version": 0}):
        with pytest.raises(ValidationError):
            PushRequest.model_validate({**body, "changes": [{**body["changes"][0], **broken}]})
