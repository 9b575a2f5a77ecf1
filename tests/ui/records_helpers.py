"""Valid values per record kind, as a person would enter them in the editor."""

from __future__ import annotations

from typing import Any

from relay_app.services import Services
from tests import factories

# A text field per kind that a test can change, and one that search can find.
TEXT_FIELD = {
    "partners": "city",
    "practices": "summary",
    "forums": "venue",
    "registrations": "organisation",
}
TITLE_FIELD = {
    "partners": "name",
    "practices": "title",
    "forums": "name",
    "registrations": "last_name",
}


def values_for(services: Services, kind: str, **overrides: Any) -> dict[str, Any]:
    if kind == "registrations":
        forums = services.records("forums")
        existing = forums.list(limit=1)
        forum_id = existing[0].id if existing else forums.create(factories.forum()).id
        return factories.registration(forum_id, **overrides)
    builder = getattr(factories, kind[:-1])
    return builder(**overrides)
