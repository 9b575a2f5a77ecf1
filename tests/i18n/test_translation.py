"""The catalogs load in the app and apply each language's plural rule."""

from __future__ import annotations

import pytest

from relay_app.i18n import (
    N_,
    _,
    ngettext,
    on_language_changed,
    remove_language_listener,
    set_language,
)

RECORDS = ("{count} record", "{count} records")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Saved."), ("fr", "Enregistré."), ("es", "Guardado.")],
)
def test_a_known_message_in_each_language(language: str, expected: str):
    set_language(language)
    assert _("Saved.") == expected


@pytest.mark.parametrize(
    ("language", "zero", "one", "two"),
    [
        ("en", "0 records", "1 record", "2 records"),
        ("fr", "0 fiche", "1 fiche", "2 fiches"),  # French counts zero as singular
        ("es", "0 registros", "1 registro", "2 registros"),
    ],
)
def test_plural_rules(language: str, zero: str, one: str, two: str):
    set_language(language)
    shown = [ngettext(*RECORDS, count).format(count=count) for count in (0, 1, 2)]
    assert shown == [zero, one, two]


def test_marked_labels_are_translated_where_shown():
    label = N_("Start year")
    assert label == "Start year"
    set_language("es")
    assert _(label) == "Año de inicio"


def test_listeners_hear_each_switch_once():
    heard: list[str] = []
    on_language_changed(heard.append)
    try:
        set_language("fr")
        set_language("fr")
        set_language("es")
    finally:
        remove_language_listener(heard.append)
    assert heard == ["fr", "es"]
