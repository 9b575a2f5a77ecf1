"""Draft files: atomic writes, one draft per record, unreadable files skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from relay_app.config import Paths
from relay_app.services.drafts import DraftStore, new_draft_key


def test_save_load_and_discard(paths: Paths) -> None:
    store = DraftStore(paths.drafts)
    key = new_draft_key("partners")
    store.save(key, "partners", None, {"name": "Sahel Soils", "languages": ["fr"]})
    loaded = store.load(key)
    assert loaded is not None
    assert loaded.values == {"name": "Sahel Soils", "languages": ["fr"]}
    assert loaded.record_id is None
    assert [draft.key for draft in store.all()] == [key]
    store.discard(key)
    assert store.load(key) is None
    assert store.all() == []


def test_a_record_has_one_draft_and_new_records_each_their_own() -> None:
    assert new_draft_key("partners", "abc") == new_draft_key("partners", "abc")
    assert new_draft_key("partners") != new_draft_key("partners")


def test_overwrite_leaves_no_temporary_files(paths: Paths) -> None:
    store = DraftStore(paths.drafts)
    for name in ("First", "Second", "Third"):
        store.save("partners-x", "partners", "x", {"name": name})
    assert store.load("partners-x").values == {"name": "Third"}  # type: ignore[union-attr]
    assert sorted(p.name for p in paths.drafts.iterdir()) == ["partners-x.json"]


def test_unreadable_draft_is_skipped(paths: Paths) -> None:
    store = DraftStore(paths.drafts)
    store.save("forums-ok", "forums", None, {"name": "Forum"})
    (paths.drafts / "forums-broken.json").write_text("{not json", encoding="utf-8")
    assert [draft.key for draft in store.all()] == ["forums-ok"]


def test_keys_cannot_escape_the_folder(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    with pytest.raises(ValueError):
        store.save("../outside", "partners", None, {})
