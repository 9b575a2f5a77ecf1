"""A revoked laptop erases the participants' personal data at its next contact with the server.

Real parts: a central server on 127.0.0.1, two enrolled data dirs, the server's own ``revoke``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from relay_app.imports import Duplicates, check, list_batches, open_import, write
from relay_app.services.drafts import DraftStore, new_draft_key
from relay_app.store.backups import list_backups, take_backup
from relay_app.store.models import CheckIn, ImportBatchUpdate, PendingChange, Registration
from relay_app.sync.errors import DeviceWiped
from relay_app.sync.identity import enrolled_token
from relay_app.sync.wipe import last_wipe
from relay_central.admin import revoke_device
from tests.central.harness import Central
from tests.imports.files import write_csv
from tests.sync.conftest import Relay
from tests.sync.records import forum, partner, registration

SECRETS = ("Mariama", "Kouyaté", "mariama.kouyate@example.org")


def _count(relay: Relay, model: type) -> int:
    with relay.services.database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _files_holding(folder: Path, needles: tuple[str, ...]) -> list[str]:
    """Every file under ``folder`` whose bytes hold one of ``needles`` (UTF-8 or UTF-16)."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                if needle.encode() in data or needle.encode("utf-16-le") in data:
                    found.append(f"{path.relative_to(folder)}: {needle}")
    return found


def _device_id(relay: Relay) -> str:
    from relay_app.services.outbox import device_identity

    with relay.services.database.read() as session:
        return device_identity(session).device_id


def test_a_revoked_laptop_erases_participants_and_token_and_keeps_the_directory(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: laptop A holds a forum, Mariama's registration (synced) and her check-in, a partner
    with an unsent edit, a draft of a new registration, backups; the coordinator revokes A. At
    A's next sync: DeviceWiped with what was erased; no file of A's data folder holds her name or
    email any more; partners and forums stay, the partner's unsent change too; no token is left.
    Laptop B, not revoked, keeps everything."""
    a, b = make_relay("a"), make_relay("b")
    forum_id = a.services.records("forums").create(forum(capacity=10)).id
    person = a.services.records("registrations").create(
        registration(forum_id, first_name=SECRETS[0], last_name=SECRETS[1], email=SECRETS[2])
    )
    partner_id = a.services.records("partners").create(partner(1, name="Coopérative de Kaolack")).id
    a.services.check_ins.check_in(person.id, by="Laptop A")
    assert a.sync().in_sync and b.sync().in_sync
    a.services.records("partners").update(partner_id, {"city": "Kaolack"})  # not sent yet
    DraftStore(a.data_dir / "drafts").save(
        new_draft_key("registrations"), "registrations", None,
        {"first_name": SECRETS[0], "email": SECRETS[2]},
    )
    take_backup(a.services.database.path, "manual")
    assert _files_holding(a.data_dir, SECRETS)  # the check below can find what it looks for

    revoke_device(central.database, _device_id(a))
    with pytest.raises(DeviceWiped) as wiped:
        a.sync()
    assert "(registrations: 1, check-ins: 1)" in str(wiped.value)
    assert "Partners, practices and forums are kept" in str(wiped.value)

    assert _count(a, Registration) == _count(a, CheckIn) == 0
    assert a.services.records("forums").get(forum_id).id == forum_id
    assert a.services.records("partners").get(partner_id).values["city"] == "Kaolack"
    with a.services.database.read() as session:
        kinds = set(session.scalars(select(PendingChange.kind)))
    assert kinds == {"partners"}  # the directory's unsent change waits for a new enrolment
    assert a.token is None and enrolled_token(a.services.database, a.data_dir) is None
    assert _files_holding(a.data_dir, SECRETS) == []
    assert [backup.reason for backup in list_backups(a.data_dir / "backups")] == ["wipe"]
    report = last_wipe(a.services.database)
    assert report is not None and (report.registrations, report.checkins) == (1, 1)
    assert a.services.records("registrations").list(search="Mariama") == []

    # The other laptop was not revoked: it keeps Mariama and syncs on.
    assert b.sync().in_sync
    assert b.services.records("registrations").get(person.id).values["email"] == SECRETS[2]


def test_the_command_line_says_what_a_revoked_laptop_erased_and_exits_1(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`relay-app sync` on a revoked laptop: one line saying what was erased, exit 1; a second
    `sync` says the device is not enrolled (the token is gone), and nothing is erased twice."""
    from relay_app.cli.main import main
    from relay_app.config import resolve_paths
    from relay_app.services import open_services
    from tests.sync.conftest import REGIONS

    data_dir = tmp_path / "laptop"
    assert main(["--data-dir", str(data_dir), "enroll", "--server", central.url, "--code",
                 central.relay(REGIONS), "--name", "Field laptop"]) == 0
    with open_services(resolve_paths(data_dir)) as services:
        forum_id = services.records("forums").create(forum(capacity=3)).id
        services.records("registrations").create(
            registration(forum_id, first_name=SECRETS[0], last_name=SECRETS[1], email=SECRETS[2]))
        with services.database.read() as session:
            from relay_app.services.outbox import device_identity

            device_id = device_identity(session).device_id
    revoke_device(central.database, device_id)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The coordinator revoked this computer's access to the server.")
    assert "(registrations: 1, check-ins: 0)" in err
    assert _files_holding(data_dir, SECRETS) == []
    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    assert "not enrolled" in capsys.readouterr().err


def test_a_wipe_erases_the_values_an_import_of_participants_replaced(
    central: Central, make_relay: Callable[..., Relay], tmp_path: Path
) -> None:
    """Tried: Mariama registered and synced; a spreadsheet of participants updates her (matched by
    email), so the import keeps her old organisation for its undo. Revoked, the laptop erases the
    import with her: no file of the data folder holds her old or new details; a partners' import
    is kept, undo and all."""
    relay = make_relay()
    forum_id = relay.services.records("forums").create(forum(capacity=10)).id
    old_organisation = "Groupement des femmes de Kaolack"
    relay.services.records("registrations").create(registration(
        forum_id, first_name=SECRETS[0], last_name=SECRETS[1], email=SECRETS[2],
        organisation=old_organisation,
    ))
    assert relay.sync().in_sync
    participants = relay.services.records("registrations")
    sheet = write_csv(tmp_path / "participants.csv", [
        ["forum_id", "first_name", "last_name", "email", "organisation", "role", "consent"],
        [forum_id, SECRETS[0], SECRETS[1], SECRETS[2], "Union de Kaolack", "farmer", "yes"],
    ])
    updated = write(participants, check(participants, open_import(participants, sheet)),
                    duplicates=Duplicates.UPDATE)
    assert updated.updated == 1
    partners = relay.services.records("partners")
    directory = write(partners, check(partners, open_import(partners, write_csv(
        tmp_path / "partners.csv", [["Name", "Member or partner", "College", "Country"],
                                    ["Réseau Sahel", "Partner", "Research and education", "BF"]],
    ))))
    assert directory.created == 1
    assert _count(relay, ImportBatchUpdate) == 1
    assert _files_holding(relay.data_dir, (old_organisation,))  # the check below can find it

    revoke_device(central.database, _device_id(relay))
    with pytest.raises(DeviceWiped):
        relay.sync()

    assert _files_holding(relay.data_dir, (*SECRETS, old_organisation)) == []
    assert _count(relay, ImportBatchUpdate) == 0
    assert [batch.id for batch in list_batches(relay.services.database)] == [directory.batch_id]
