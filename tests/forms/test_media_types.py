"""A file link's media type: a bare `type/subtype` that is safe in an HTTP header, or an error."""

from __future__ import annotations

import pytest

from relay_app.forms import form_for
from relay_app.forms.media_types import servable_media_type

LINK = {
    "owner_kind": "partners",
    "owner_id": "3f1c2a4e-0000-4000-8000-000000000001",
    "role": "logo",
    "sha256": "ab" * 32,
    "size": 2048,
}


@pytest.mark.parametrize(
    "media_type", ["image/jpeg", "image/svg+xml", "application/vnd.oasis.opendocument.text"]
)
def test_media_types_of_real_files_are_accepted(media_type: str) -> None:
    assert form_for("attachments").validate({**LINK, "media_type": media_type}).errors == []


@pytest.mark.parametrize(
    "media_type",
    ["text/html\r\nSet-Cookie: a=b", "image/jpég", "image/png; charset=utf-8", "image",
     "image/", "/png", "image/p\x85ng", "image/" + "p" * 95],
)
def test_unsafe_media_types_are_refused_on_the_media_type_field(media_type: str) -> None:
    """Tried: header injection, non-ASCII, parameters, missing halves, too long."""
    errors = form_for("attachments").validate({**LINK, "media_type": media_type}).errors
    assert [(error.field, error.code) for error in errors] in (
        [("media_type", "invalid_type")],
        [("media_type", "too_long")],
    )


def test_a_stored_unsafe_media_type_is_served_as_the_neutral_default() -> None:
    assert servable_media_type("image/png") == "image/png"
    assert servable_media_type("text/html\r\nX-Evil: 1") == "application/octet-stream"
    assert servable_media_type("") == "application/octet-stream"
