"""Valid record values for tests, one builder per record kind (override what a test is about)."""

from __future__ import annotations

from typing import Any


def partner(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Institut de recherche pour la séquestration du carbone",
        "acronym": "IRSC",
        "kind": "member",
        "college": "research_education",
        "country": "SN",
        "city": "Dakar",
        "latitude": 14.69,
        "longitude": -17.44,
        "website": "https://example.org",
        "email": "contact@example.org",
        "languages": ["fr", "en"],
        "activities": "Soil carbon monitoring in the Sahel.",
    }
    values.update(overrides)
    return values


def practice(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Agroforesterie à base de Faidherbia albida",
        "summary": "Trees in millet fields raise soil organic carbon.",
        "tutorial_steps": ["Protect natural regeneration", "Prune in the dry season"],
        "conceptual_basis": "field_experience",
        "land_use": "cropland",
        "category": "agroforestry",
        "climate_zone": "tropical_dry",
        "soil_group": "AR",
        "country": "SN",
        "area_ha": 120.5,
        "start_year": 2012,
        "soc_before_t_ha": 50.0,
        "soc_after_t_ha": 55.0,
        "soc_depth_cm": 30,
        "soc_years": 10,
    }
    values.update(overrides)
    return values


def forum(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Forum régional Afrique de l'Ouest",
        "region": "sub_saharan_africa",
        "country": "SN",
        "city": "Thiès",
        "venue": "Centre de conférences",
        "start_date": "2026-03-10",
        "end_date": "2026-03-12",
        "capacity": 150,
        "languages": ["fr"],
    }
    values.update(overrides)
    return values


def registration(forum_id: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "forum_id": forum_id,
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "organisation": "Fédération des producteurs",
        "college": "farmers_foresters_organisations",
        "country": "SN",
        "email": "awa@example.org",
        "role": "farmer",
        "consent": True,
    }
    values.update(overrides)
    return values
