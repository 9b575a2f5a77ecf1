"""Complete, valid records of each kind, written the way imports and the UI send them."""

from __future__ import annotations

from typing import Any

FORUM_ID = "2f1c7a52-8d4e-4c0b-9a61-3b2de0f4c911"
PARTNER_ID = "9b0e3f6a-41c2-4e57-8d1a-6f7c2b9e0d34"


def good_record(kind: str) -> dict[str, Any]:
    """A fresh dict each call, so a test may change it freely."""
    records: dict[str, dict[str, Any]] = {
        "partners": {
            "name": "Institut national de recherche pour l'agriculture",
            "acronym": "INRAE",
            "kind": "member",
            "college": "research_education",
            "country": "FR",
            "region": "western_europe",
            "city": "Paris",
            "address": "147 rue de l'Université\r\n75007 Paris",
            "latitude": "48.8566",
            "longitude": 2.3522,
            "website": "https://www.inrae.fr/en",
            "email": "contact@inrae.fr",
            "phone": "+33 (0)1 42 75 90 00",
            "languages": "fr; en",
            "activities": "Soil carbon monitoring networks.",
            "interests": "Agroforestry; cover crops.",
            "description": "Public research institute.",
            "status": "active",
        },
        "practices": {
            "title": "Mulching with crop residues",
            "summary": "Residues are left on the field after harvest.",
            "description": "Millet stalks are spread between rows before the rains.",
            "tutorial_steps": ["Leave the stalks after harvest", "Spread them evenly"],
            "conceptual_basis": "field_experience",
            "land_use": "cropland",
            "category": "improved_ground_cover",
            "climate_zone": "tropical_dry",
            "soil_group": "LX",
            "country": "SN",
            "region": None,
            "latitude": 14.7167,
            "longitude": "-17.4677",
            "area_ha": "12.5",
            "start_year": "2015",
            "soc_before_t_ha": 30,
            "soc_after_t_ha": "31.2",
            "soc_depth_cm": 30,
            "soc_years": "5",
            "soc_method": "Dry combustion of 0-30 cm cores",
            "costs": "Labour: two days per hectare.",
            "co_benefits": "Less erosion, more soil moisture.",
            "references": "Field notes, 2015-2020.",
            "partner_id": PARTNER_ID,
        },
        "forums": {
            "name": "West Africa regional forum",
            "region": "sub_saharan_africa",
            "country": "SN",
            "city": "Dakar",
            "venue": "Centre international de conférences",
            "start_date": "2024-11-12",
            "end_date": "2024-11-14",
            "capacity": "250",
            "languages": ["fr", "en", "wo"],
            "description": "Three days of field visits and workshops.",
        },
        "registrations": {
            "forum_id": FORUM_ID,
            "first_name": "Aminata",
            "last_name": "Diallo",
            "organisation": "Fédération des producteurs",
            "college": "farmers_foresters_organisations",
            "country": "SN",
            "email": "aminata.diallo@example.org",
            "phone": "+221 77 123 45 67",
            "role": "farmer",
            "travel_support": "oui",
            "consent": "yes",
            "status": "registered",
            "checked_in_at": None,
            "checked_in_by": None,
        },
    }
    return records[kind]
