"""Code lists: content, labels in the current language, ordering, regions, and extraction."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from relay_app import codelists
from relay_app.i18n import _, set_language
from relay_app.i18n_extract import extract_codelists
from relay_app.resources import codelists_dir

SLUG = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

EXPECTED_CODES = {
    "partner_kinds": ("member", "partner"),
    "colleges": (
        "states_local_authorities", "international_organisations", "donors_foundations",
        "farmers_foresters_organisations", "research_education", "civil_society_ngos",
        "private_companies",
    ),
    "regions": (
        "northern_africa", "sub_saharan_africa", "latin_america_caribbean", "northern_america",
        "central_asia", "eastern_asia", "south_eastern_asia", "southern_asia", "western_asia",
        "eastern_europe", "northern_europe", "southern_europe", "western_europe",
        "australia_new_zealand", "melanesia", "micronesia", "polynesia",
    ),
    "climate_zones": (
        "tropical_montane", "tropical_wet", "tropical_moist", "tropical_dry",
        "warm_temperate_moist", "warm_temperate_dry", "cool_temperate_moist",
        "cool_temperate_dry", "boreal_moist", "boreal_dry", "polar_moist", "polar_dry",
    ),
    "soil_groups": (
        "HS", "AT", "TC", "CR", "LP", "SN", "VR", "SC", "GL", "AN", "PZ", "PT", "PL", "ST", "NT",
        "FR", "CH", "KS", "PH", "UM", "DU", "GY", "CL", "RT", "AC", "LX", "AL", "LV", "CM", "AR",
        "FL", "RG",
    ),
    "land_uses": (
        "cropland", "grazing_land", "forest_woodland", "mixed", "settlements_infrastructure",
        "waterways_wetlands", "unproductive_land",
    ),
    "practice_categories": (
        "natural_forest_management", "forest_plantation_management", "agroforestry",
        "windbreak_shelterbelt", "area_closure", "rotational_grazing",
        "pastoralism_grazing_management", "improved_ground_cover", "minimal_soil_disturbance",
        "integrated_soil_fertility", "rotational_systems", "cross_slope_measure",
        "integrated_pest_management", "improved_varieties_breeds", "water_harvesting",
        "irrigation_management", "drainage", "surface_water_management",
        "groundwater_management", "wetland_management", "disaster_risk_reduction",
        "energy_efficiency", "home_gardens", "beekeeping_fish_farming", "waste_management",
        "post_harvest_measures", "integrated_crop_livestock", "other",
    ),
    "conceptual_bases": ("field_experience", "scientific"),
    "roles": (
        "farmer", "forester", "researcher", "policy_maker", "civil_servant", "ngo_staff",
        "private_sector", "donor", "student", "journalist", "other",
    ),
    "registration_statuses": ("registered", "waitlisted", "cancelled"),
    "partner_statuses": ("active", "inactive"),
    "file_owners": ("partners", "practices"),
    "file_roles": ("logo", "poster", "photo"),
    "checkin_directions": ("entry", "exit", "cancel"),
}

M49 = {
    "northern_africa": "015", "sub_saharan_africa": "202", "latin_america_caribbean": "419",
    "northern_america": "021", "central_asia": "143", "eastern_asia": "030",
    "south_eastern_asia": "035", "southern_asia": "034", "western_asia": "145",
    "eastern_europe": "151", "northern_europe": "154", "southern_europe": "039",
    "western_europe": "155", "australia_new_zealand": "053", "melanesia": "054",
    "micronesia": "057", "polynesia": "061",
}


@pytest.fixture
def spanish() -> Iterator[None]:
    set_language("es")
    yield
    set_language("en")


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def test_names_lists_every_code_list() -> None:
    assert set(codelists.names()) == set(EXPECTED_CODES) | {"countries", "languages"}
    assert codelists.names() == sorted(codelists.names())


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_list_content_and_order(name: str) -> None:
    code_list = codelists.get(name)

    assert code_list.name == name
    assert code_list.codes() == EXPECTED_CODES[name]
    assert [code for code, _label in code_list.choices()] == list(EXPECTED_CODES[name])


def test_list_sizes_from_the_standards() -> None:
    assert len(codelists.get("soil_groups")) == 32
    assert len(codelists.get("climate_zones")) == 12
    assert len(codelists.get("colleges")) == 7
    assert len(codelists.get("regions")) == 17


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_codes_are_slugs_and_labels_present(name: str) -> None:
    code_list = codelists.get(name)
    for entry in code_list:
        if name == "soil_groups":
            assert re.fullmatch(r"[A-Z]{2}", entry.code)
        else:
            assert SLUG.fullmatch(entry.code), entry.code
        assert entry.label.strip() and entry.label == entry.label.strip()
    assert code_list.title().strip()


def test_labels_of_named_codes() -> None:
    assert codelists.get("soil_groups").label("LX") == "Lixisols"
    assert codelists.get("soil_groups").label("RT") == "Retisols"
    assert codelists.get("colleges").label("donors_foundations") == "Donors and foundations"
    assert codelists.get("land_uses").label("mixed") == (
        "Mixed (crops/grazing/trees), incl. agroforestry"
    )


def test_regions_carry_their_m49_codes() -> None:
    assert {entry.code: entry.extra["m49"] for entry in codelists.get("regions")} == M49


def test_every_country_has_a_valid_region() -> None:
    regions = set(codelists.get("regions").codes())
    countries = codelists.get("countries").codes()

    missing = [code for code in countries if codelists.region_of_country(code) is None]
    assert missing == []
    assert {codelists.region_of_country(code) for code in countries} == regions


def test_region_table_has_no_code_outside_the_country_list() -> None:
    table = json.loads((codelists_dir() / "country_regions.json").read_text(encoding="utf-8"))

    assert set(table["regions"]) == set(codelists.get("countries").codes())


@pytest.mark.parametrize(
    ("country", "region"),
    [("DZ", "northern_africa"), ("SN", "sub_saharan_africa"), ("PE", "latin_america_caribbean"),
     ("MX", "latin_america_caribbean"), ("CA", "northern_america"), ("KZ", "central_asia"),
     ("CN", "eastern_asia"), ("VN", "south_eastern_asia"), ("IN", "southern_asia"),
     ("TR", "western_asia"), ("PL", "eastern_europe"), ("GB", "northern_europe"),
     ("IT", "southern_europe"), ("FR", "western_europe"), ("NZ", "australia_new_zealand"),
     ("FJ", "melanesia"), ("FM", "micronesia"), ("WS", "polynesia"), ("RE", "sub_saharan_africa"),
     ("GL", "northern_america"), ("CY", "western_asia"), ("pe", "latin_america_caribbean")],
)
def test_region_of_country(country: str, region: str) -> None:
    assert codelists.region_of_country(country) == region


def test_region_of_unknown_country_is_none() -> None:
    assert codelists.region_of_country("EU") is None
    assert codelists.region_of_country("") is None


def test_countries_are_real_iso_countries() -> None:
    countries = codelists.get("countries")

    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in countries.codes())
    for code in ("EU", "EZ", "UN", "XA", "XB", "ZZ", "QO"):
        assert code not in countries
    for code in ("FR", "SN", "PE", "US", "CN", "TV", "XK"):
        assert code in countries
    assert 240 <= len(countries) <= 260


def test_languages_are_iso_639_1() -> None:
    languages = codelists.get("languages")

    assert all(re.fullmatch(r"[a-z]{2}", code) for code in languages.codes())
    for code in ("fr", "en", "es", "wo", "sw", "ar", "zh"):
        assert code in languages
    assert "fil" not in languages
    assert 180 <= len(languages) <= 190


def test_country_and_language_labels_come_from_cldr_in_english() -> None:
    assert codelists.get("countries").label("DE") == "Germany"
    assert codelists.get("languages").label("fr") == "French"


@pytest.mark.usefixtures("french")
def test_country_and_language_labels_follow_the_language() -> None:
    assert codelists.get("countries").label("DE") == "Allemagne"
    assert codelists.get("languages").label("de") == "Allemand"


def test_labels_follow_a_language_switch_back_and_forth() -> None:
    countries = codelists.get("countries")

    set_language("es")
    spanish = countries.label("DE")
    set_language("en")
    english = countries.label("DE")

    assert (spanish, english) == ("Alemania", "Germany")


@pytest.mark.usefixtures("french")
def test_gettext_labels_are_translated_when_shown() -> None:
    soil_groups = codelists.get("soil_groups")

    assert soil_groups.label("LX") == _("Lixisols")
    assert soil_groups.title() == _("Soil groups")


@pytest.mark.usefixtures("spanish")
def test_peru_in_spanish_sorts_between_paraguay_and_polonia() -> None:
    choices = codelists.get("countries").choices()
    labels = [label for _code, label in choices]

    assert codelists.get("countries").label("PE") == "Perú"
    assert ("PE", "Perú") in choices
    assert labels.index("Paraguay") < labels.index("Perú") < labels.index("Polonia")


@pytest.mark.usefixtures("french")
def test_accented_initials_sort_with_their_letter() -> None:
    labels = [label for _code, label in codelists.get("countries").choices()]

    assert labels.index("Espagne") < labels.index("États-Unis") < labels.index("Éthiopie")
    assert labels.index("Éthiopie") < labels.index("Fidji")


def test_sort_key_ignores_accents_and_case_first() -> None:
    names = ["Polonia", "perú", "Paraguay", "Perú", "Peru"]

    assert sorted(names, key=codelists.sort_key) == ["Paraguay", "Peru", "perú", "Perú", "Polonia"]


def test_find_matches_codes_regardless_of_case() -> None:
    assert codelists.get("countries").find("sn") == "SN"
    assert codelists.get("roles").find("Farmer") == "farmer"
    assert codelists.get("roles").find("chef") is None


def test_unknown_code_is_shown_as_is() -> None:
    assert codelists.get("roles").label("astronaut") == "astronaut"
    assert "astronaut" not in codelists.get("roles")
    assert 3 not in codelists.get("roles")


def test_unknown_list_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match=r"crops.*known lists.*soil_groups"):
        codelists.get("crops")


# --- extraction of the labels for translators ----------------------------------------------


def test_extractor_yields_title_and_every_label_with_its_line() -> None:
    path = codelists_dir() / "soil_groups.json"
    lines = path.read_text(encoding="utf-8").splitlines()

    with path.open("rb") as handle:
        extracted = list(extract_codelists(handle, [], [], {}))

    messages = [message for _line, _func, message, _comments in extracted]
    assert messages == ["Soil groups", *(entry.label for entry in codelists.get("soil_groups"))]
    for lineno, funcname, message, comments in extracted:
        assert funcname is None and comments == []
        assert json.dumps(message) in lines[lineno - 1]


def test_extractor_reads_a_new_file(tmp_path: Path) -> None:
    data = {"name": "crops", "title": "Crops", "codes": [
        {"code": "maize", "label": "Maize"}, {"code": "rice", "label": "Rice (paddy)"}]}
    text = json.dumps(data, indent=2)

    extracted = list(extract_codelists(io.BytesIO(text.encode()), [], [], {}))

    assert [(line, message) for line, _f, message, _c in extracted] == [
        (3, "Crops"), (7, "Maize"), (11, "Rice (paddy)")
    ]


def test_extract_from_dir_finds_every_code_list_label() -> None:
    method_map = [("**.json", "relay_app.i18n_extract:extract_codelists")]

    found = {message for _file, _line, message, _comments, _context
             in extract_from_dir(str(codelists_dir()), method_map=method_map)}

    for name in codelists.names():
        title = json.loads((codelists_dir() / f"{name}.json").read_text(encoding="utf-8"))["title"]
        assert title in found
        if name not in ("countries", "languages"):
            assert {entry.label for entry in codelists.get(name)} <= found
    assert "Afghanistan" not in found


def test_babel_cfg_mapping_through_extractors_section_reaches_the_extractor() -> None:
    config = io.StringIO(
        "[extractors]\n"
        "codelists = relay_app.i18n_extract:extract_codelists\n"
        "\n"
        "[codelists: resources/codelists/**.json]\n"
    )
    method_map, options_map = parse_mapping_cfg(config)
    root = codelists_dir().parents[1]

    found = {
        (Path(file).name, message)
        for file, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map=method_map, options_map=options_map
        )
    }

    assert ("soil_groups.json", "Lixisols") in found
    assert ("regions.json", "Latin America and the Caribbean") in found
