"""Push bodies as large as real ones get: the yardstick for the server's size limits.

A "realistic full batch" is 1,000 creations (the most a batch may hold) of one kind, each record
filled the way a thorough relay fills it: every field set, long texts several paragraphs long,
accented prose with its punctuation. Practices are the largest records; docs/sync-protocol.md
("Size limits") gives the figures these bodies measure.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from relay_app import codelists

_WORDS = (
    "le sol vivant stocke du carbone grâce aux couverts végétaux, à la rotation des cultures et "
    "au compost ; les haies bocagères protègent les parcelles. Soil organic carbon rises when "
    "fields stay covered, residues are returned, grazing is rotated and tillage is reduced. "
    "Les agriculteurs mesurent l'évolution avant et après, sur trente centimètres de profondeur."
).split()


def prose(rng: random.Random, length: int) -> str:
    """Text of exactly `length` characters, with the punctuation real notes carry."""
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].strip().ljust(length, ".")


def practice(rng: random.Random) -> dict[str, Any]:
    return {
        "title": prose(rng, 80),
        "summary": prose(rng, 600),
        "description": prose(rng, 3000),
        "tutorial_steps": [prose(rng, 250) for _ in range(8)],
        "land_use": codelists.get("land_uses").codes()[0],
        "category": codelists.get("practice_categories").codes()[0],
        "climate_zone": codelists.get("climate_zones").codes()[0],
        "soil_group": codelists.get("soil_groups").codes()[0],
        "country": "FR",
        "latitude": 43.6119,
        "longitude": 3.8772,
        "area_ha": 12.5,
        "start_year": 2015,
        "soc_before_t_ha": 41.2,
        "soc_after_t_ha": 47.9,
        "soc_depth_cm": 30,
        "soc_years": 6,
        "soc_method": prose(rng, 150),
        "costs": prose(rng, 600),
        "co_benefits": prose(rng, 600),
        "references": prose(rng, 600),
    }


def partner(rng: random.Random) -> dict[str, Any]:
    return {
        "name": prose(rng, 80),
        "acronym": "INRAE",
        "kind": "member",
        "college": "research_education",
        "country": "FR",
        "city": "Montpellier",
        "address": prose(rng, 150),
        "latitude": 43.6119,
        "longitude": 3.8772,
        "website": "https://www.example.org/partenaires/institut-de-recherche",
        "email": "contact@example.org",
        "phone": "+33 4 67 00 00 00",
        "languages": ["fr", "en", "es"],
        "activities": prose(rng, 800),
        "interests": prose(rng, 800),
        "description": prose(rng, 1500),
    }


def registration(rng: random.Random) -> dict[str, Any]:
    return {
        "forum_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "first_name": "Awa",
        "last_name": "Diop",
        "organisation": prose(rng, 80),
        "college": "research_education",
        "country": "SN",
        "email": "awa.diop@example.org",
        "phone": "+221 77 000 00 00",
        "role": "farmer",
        "consent": True,
    }


_MAKERS = {"practices": practice, "partners": partner, "registrations": registration}


def realistic_changes(kind: str, count: int, *, seed: int = 2026) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    make = _MAKERS[kind]
    return [
        {
            "seq": seq,
            "kind": kind,
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "op": "upsert",
            "base_version": None,
            "fields": make(rng),
        }
        for seq in range(1, count + 1)
    ]


def realistic_batch(kind: str, count: int, *, batch_id: str, seed: int = 2026) -> bytes:
    """The JSON body as the app sends it (pydantic writes UTF-8, not \\u escapes)."""
    body = {"batch_id": batch_id, "changes": realistic_changes(kind, count, seed=seed)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
