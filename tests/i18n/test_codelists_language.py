"""Code lists in the reader's language: catalog labels for our lists, CLDR names sorted locally."""

from __future__ import annotations

import json

import pytest
from babel import Locale

from relay_app import codelists
from relay_app.i18n import set_language
from relay_app.resources import codelists_dir
from tests.i18n.catalogs import TRANSLATED, catalog_path, read_catalog

CLDR_LISTS = ("countries", "languages")


def _catalog_lists() -> list[str]:
    return [name for name in codelists.names() if name not in CLDR_LISTS]


def test_the_cldr_lists_are_the_ones_read_from_cldr():
    for name in CLDR_LISTS:
        data = json.loads((codelists_dir() / f"{name}.json").read_text(encoding="utf-8"))
        assert data.get("source", "").startswith("cldr_"), name


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_label_and_title_of_our_lists_is_shown_translated(language: str):
    catalog = read_catalog(catalog_path(language), language)
    set_language(language)
    for name in _catalog_lists():
        code_list = codelists.get(name)
        data = json.loads((codelists_dir() / f"{name}.json").read_text(encoding="utf-8"))
        title = catalog.get(data["title"])  # the file holds the English msgid
        assert title is not None and title.string, name
        assert code_list.title() == title.string
        for entry in code_list:
            message = catalog.get(entry.label)
            assert message is not None and message.string, (name, entry.code)
            assert code_list.label(entry.code) == message.string


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("name", CLDR_LISTS)
def test_cldr_names_are_in_the_language_and_sorted_by_it(language: str, name: str):
    set_language(language)
    choices = codelists.get(name).choices()
    labels = [label for _code, label in choices]
    assert labels == sorted(labels, key=codelists.sort_key)
    cldr = Locale.parse(language)
    names = cldr.territories if name == "countries" else cldr.languages
    for code, label in choices:
        assert label.casefold() == names[code].casefold(), (code, label)


def test_the_same_countries_sort_differently_in_each_language():
    positions = {}
    for language in ("en", "fr", "es"):
        set_language(language)
        codes = [code for code, _label in codelists.get("countries").choices()]
        positions[language] = codes.index("DE")  # Germany, Allemagne, Alemania
    assert positions["es"] < positions["fr"] < positions["en"]


def test_country_names_in_french_and_spanish():
    set_language("fr")
    assert codelists.get("countries").label("DE") == "Allemagne"
    assert codelists.get("languages").label("es") == "Espagnol"
    set_language("es")
    assert codelists.get("countries").label("SN") == "Senegal"
    assert codelists.get("languages").label("fr") == "Francés"
