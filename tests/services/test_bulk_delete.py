"""Deleting several records at once: one transaction, one undo, and who still refers to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.errors import NotFound
from relay_app.store.models import Attachment, PendingChange
from tests import factories


def _pending(services: Services) -> dict[str, str]:
    with services.database.read() as session:
        return {entry.record_id: entry.op for entry in session.scalars(select(PendingChange))}


def test_several_partners_go_in_one_write_and_come_back_in_one(services: Services) -> None:
    """Three partners deleted with one call; the result names them as they were; one restore."""
    partners = services.records("partners")
    made = [partners.create(factories.partner(name=name)) for name in ("Alpha", "Beta", "Gamma")]
    kept = partners.create(factories.partner(name="Delta"))
    ids = [record.id for record in made]

    deleted = partners.delete_many(ids)

    assert deleted.kind == "partners" and deleted.ids == ids
    assert [record.values["name"] for record in deleted.records] == ["Alpha", "Beta", "Gamma"]
    assert [record.id for record in partners.list()] == [kept.id]
    assert {record_id: op for record_id, op in _pending(services).items() if record_id in ids} == {
        record_id: "delete" for record_id in ids
    }

    restored = partners.restore_many(ids)
    assert [record.id for record in restored] == ids
    assert sorted(record.id for record in partners.list()) == sorted([*ids, kept.id])
    assert [partners.get(i).values for i in ids] == [record.values for record in made]
    assert set(_pending(services).values()) == {"upsert"}


def test_a_missing_id_deletes_nothing(services: Services) -> None:
    """One unknown id among real ones: NotFound, and the real ones are still there."""
    partners = services.records("partners")
    real = partners.create(factories.partner())
    with pytest.raises(NotFound):
        partners.delete_many([real.id, "0d5f7a2e-1111-4222-8333-444455556666"])
    assert [record.id for record in partners.list()] == [real.id]


def test_a_deleted_practice_takes_its_photo_links_and_gives_them_back(services: Services) -> None:
    """The file links of each deleted practice are removed with it and restored with it."""
    from relay_app.services.attachments import AttachmentStore
    from relay_app.services.record_files import RecordFileService

    practices = services.records("practices")
    first, second = (practices.create(factories.practice(title=t)) for t in ("One", "Two"))
    files = RecordFileService(
        services.database, AttachmentStore(services.paths.attachments), services.device_id
    )
    stored = files.store.put_bytes(b"photo bytes")
    for record in (first, second):
        files.link("practices", record.id, "photo", stored, "image/jpeg", filename="p.jpg")

    practices.delete_many([first.id, second.id])
    with services.database.read() as session:
        assert all(row.deleted for row in session.scalars(select(Attachment)))
    practices.restore_many([first.id, second.id])
    assert len(files.list("practices", first.id)) == len(files.list("practices", second.id)) == 1


def test_referrers_are_the_live_practices_naming_the_partners(services: Services) -> None:
    """Practices name a partner in ``partner_id``; deleted practices and other partners don't count."""
    partners, practices = services.records("partners"), services.records("practices")
    source = partners.create(factories.partner(name="Source"))
    other = partners.create(factories.partner(name="Other"))
    cover = practices.create(factories.practice(title="Cover crops", partner_id=source.id))
    mulch = practices.create(factories.practice(title="Mulching", partner_id=source.id))
    gone = practices.create(factories.practice(title="Gone", partner_id=source.id))
    practices.create(factories.practice(title="Elsewhere", partner_id=other.id))
    practices.create(factories.practice(title="Nobody's"))
    practices.delete(gone.id)

    found = partners.referrers([source.id])

    assert [(r.kind, r.field, r.id, r.summary, r.target_id) for r in found] == [
        ("practices", "partner_id", cover.id, "Cover crops", source.id),
        ("practices", "partner_id", mulch.id, "Mulching", source.id),
    ]
    assert partners.referrers([]) == []
    assert practices.referrers([cover.id]) == []  # nothing refers to practices


def test_registrations_refer_to_their_forum(services: Services) -> None:
    forum = services.records("forums").create(factories.forum())
    registration = services.records("registrations").create(factories.registration(forum.id))
    [found] = services.records("forums").referrers([forum.id])
    assert (found.kind, found.field, found.id) == ("registrations", "forum_id", registration.id)
