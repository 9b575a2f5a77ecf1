"""Valid records to create on a relay (the values a person would type)."""

from __future__ import annotations

from typing import Any


def partner(number: int, **changes: Any) -> dict[str, Any]:
    values = {
        "name": f"Coopérative agricole n°{number}",
        "kind": "member",
        "college": "research_education",
        "country": "FR",
        "region": "western_europe",
        "city": "Montpellier",
    }
    return {**values, **changes}


def forum(**changes: Any) -> dict[str, Any]:
    values = {
        "name": "Forum of the 4 per 1000 Initiative",
        "region": "western_europe",
        "city": "Montpellier",
        "start_date": "2026-06-01",
        "end_date": "2026-06-03",
        "capacity": 120,
    }
    return {**values, **changes}


def registration(forum_id: str, **changes: Any) -> dict[str, Any]:
    values = {
        "forum_id": forum_id,
        "first_name": "Awa",
        "last_name": "Diop",
        "role": "farmer",
        "consent": True,
    }
    return {**values, **changes}
