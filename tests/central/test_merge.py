"""The three-way merge on its own: which side's value stands, and what is a conflict."""

from __future__ import annotations

from relay_central.merge import FieldConflict, three_way_merge

BASE = {"name": "Forum", "city": "Dakar", "capacity": 100, "languages": ["fr"]}


def test_client_change_on_an_untouched_field_is_applied() -> None:
    outcome = three_way_merge(BASE, BASE, {"city": "Thiès"})
    assert outcome.values == {**BASE, "city": "Thiès"}
    assert outcome.applied == {"city": "Thiès"}
    assert outcome.conflicts == [] and outcome.server_changes == {}


def test_changes_to_different_fields_merge_silently() -> None:
    server = {**BASE, "capacity": 150}
    outcome = three_way_merge(BASE, server, {"city": "Thiès"})
    assert outcome.values == {**BASE, "capacity": 150, "city": "Thiès"}
    assert outcome.server_changes == {"capacity": 150}
    assert outcome.conflicts == []


def test_same_field_changed_differently_is_a_conflict_and_the_server_value_stands() -> None:
    server = {**BASE, "city": "Saint-Louis"}
    outcome = three_way_merge(BASE, server, {"city": "Thiès", "capacity": 90})
    assert outcome.values["city"] == "Saint-Louis"
    assert outcome.values["capacity"] == 90
    assert outcome.conflicts == [FieldConflict("city", "Saint-Louis", "Thiès", "Dakar")]
    assert outcome.changed


def test_same_change_on_both_sides_is_no_conflict() -> None:
    server = {**BASE, "city": "Thiès"}
    outcome = three_way_merge(BASE, server, {"city": "Thiès"})
    assert outcome.conflicts == [] and not outcome.changed
    assert outcome.values == server


def test_list_values_compare_by_content() -> None:
    server = {**BASE, "languages": ["fr", "wo"]}
    outcome = three_way_merge(BASE, server, {"languages": ["fr", "en"]})
    assert outcome.conflicts == [FieldConflict("languages", ["fr", "wo"], ["fr", "en"], ["fr"])]


def test_client_sending_its_base_value_does_not_undo_a_server_change() -> None:
    server = {**BASE, "city": "Saint-Louis"}
    outcome = three_way_merge(BASE, server, {"city": "Dakar"})
    assert outcome.values["city"] == "Saint-Louis"
    assert outcome.conflicts == []
    assert outcome.server_changes == {"city": "Saint-Louis"}


def test_without_a_known_base_every_difference_is_a_conflict() -> None:
    server = {**BASE, "city": "Saint-Louis"}
    outcome = three_way_merge(None, server, {"city": "Thiès", "name": "Forum"})
    assert outcome.conflicts == [FieldConflict("city", "Saint-Louis", "Thiès", None)]
    assert outcome.values == server and not outcome.changed


def test_new_field_set_by_client_against_empty_base() -> None:
    outcome = three_way_merge({}, {}, {"name": "New", "city": None})
    assert outcome.values == {"name": "New"}
    assert outcome.applied == {"name": "New"}
