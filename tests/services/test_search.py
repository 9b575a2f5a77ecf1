"""Full-text search: accents folded both ways, prefixes as you type, tombstones hidden."""

from __future__ import annotations

import pytest

from relay_app.services import Services
from tests import factories


@pytest.fixture
def practices(services: Services):  # type: ignore[no-untyped-def]
    records = services.records("practices")
    accented = records.create(factories.practice(title="Séquestration du carbone par l'agroforesterie"))
    plain = records.create(factories.practice(title="Carbon sequestration with cover crops"))
    other = records.create(factories.practice(title="Terrasses en pierre sèche", summary="Érosion"))
    return records, accented, plain, other


def _ids(records, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {record.id for record in records.list(search=text)}


def test_unaccented_query_finds_accented_text_and_back(practices) -> None:  # type: ignore[no-untyped-def]
    records, accented, plain, _other = practices
    assert _ids(records, "sequestration") == {accented.id, plain.id}
    assert _ids(records, "séquestration") == {accented.id, plain.id}
    assert _ids(records, "SEQUESTRATION") == {accented.id, plain.id}
    assert _ids(records, "erosion") == {practices[3].id}


def test_prefix_and_all_words_must_match(practices) -> None:  # type: ignore[no-untyped-def]
    records, accented, plain, _other = practices
    assert _ids(records, "séq") == {accented.id, plain.id}
    assert _ids(records, "seq cover") == {plain.id}
    assert records.count(search="seq") == 2


def test_operators_and_punctuation_are_not_syntax(practices) -> None:  # type: ignore[no-untyped-def]
    records, *_ = practices
    assert _ids(records, '"') == set()
    assert _ids(records, "NEAR(") == set()
    assert _ids(records, "carbon AND") == set()  # "and" is a word here, and no record has it after carbon
    # Not an OR operator: "or" is a prefix every word must match ("organic" in both summaries).
    assert _ids(records, "carbon OR") == {practices[1].id, practices[2].id}


def test_search_follows_edits_and_deletes(practices) -> None:  # type: ignore[no-untyped-def]
    records, accented, plain, _other = practices
    records.update(plain.id, {"title": "Couverts végétaux"})
    assert _ids(records, "sequestration") == {accented.id}
    assert _ids(records, "vegetaux") == {plain.id}
    records.delete(accented.id)
    assert _ids(records, "sequestration") == set()


def test_registrations_found_by_three_letters(services: Services) -> None:
    forum = services.records("forums").create(factories.forum())
    registrations = services.records("registrations")
    awa = registrations.create(factories.registration(forum.id, first_name="Awa", last_name="Ndiaye"))
    registrations.create(factories.registration(forum.id, first_name="Moussa", last_name="Diop"))
    assert [record.id for record in registrations.list(search="ndi")] == [awa.id]
