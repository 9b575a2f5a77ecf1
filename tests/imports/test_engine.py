"""The engine on real files: read, map, coerce labels, validate the whole file, write one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from relay_app.imports import Duplicates, check, open_import, write, write_rejects
from relay_app.imports.reading import read_sheet
from relay_app.services import Services
from relay_app.services.records import RecordService
from tests.imports.files import write_csv, write_ods, write_xlsx

FRENCH_HEADERS = [
    "Nom", "Sigle", "Membre ou partenaire", "Collège", "Pays", "Ville", "Téléphone", "Remarques"
]


def _values(service: RecordService) -> dict[str, dict]:
    return {view.values["name"]: view.values for view in service.list()}


def test_a_french_excel_csv_in_cp1252_with_labels_imports(partners: RecordService, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partenaires.csv",
        [
            FRENCH_HEADERS,
            ["Coopérative des éleveurs", "CDE", "Membre", "Société civile et ONG", "Sénégal", "Thiès",
             "0612345678", "à rappeler"],
            ["Réseau Sahel", "", "Partenaire", "Recherche et formation", "Burkina Faso", "", "", ""],
        ],
        encoding="cp1252", delimiter=";",
    )
    opened = open_import(partners, path)
    assert [c.header for c in opened.mapping.ignored()] == ["Remarques"]
    preview = check(partners, opened)
    assert (preview.valid_count, preview.invalid_count) == (2, 0)
    outcome = write(partners, preview)
    assert outcome.created == 2 and outcome.batch_id
    stored = _values(partners)
    cooperative = stored["Coopérative des éleveurs"]
    assert (cooperative["kind"], cooperative["college"], cooperative["country"]) == (
        "member", "civil_society_ngos", "SN"
    )
    assert cooperative["region"] == "sub_saharan_africa"  # filled from the country
    assert cooperative["phone"] == "0612345678"
    assert stored["Réseau Sahel"]["country"] == "BF"


def test_an_xlsx_with_english_labels_imports(partners: RecordService, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "partners.xlsx",
        [["Name", "Member or partner", "College", "Country", "Latitude", "Longitude", "Languages", "Phone"],
         ["Soil Lab", "Member", "Research and education", "Senegal", 14.69, -17.44, "French; English",
          221771234567]],
    )
    outcome = write(partners, check(partners, open_import(partners, path)))
    assert outcome.created == 1
    lab = _values(partners)["Soil Lab"]
    assert (lab["country"], lab["college"], lab["languages"]) == ("SN", "research_education", ["fr", "en"])
    assert (lab["latitude"], lab["longitude"], lab["phone"]) == (14.69, -17.44, "221771234567")


def test_an_ods_with_spanish_headers_imports(partners: RecordService, tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "socios.ods",
        [["Nombre", "Miembro o socio", "Colegio", "País", "Latitud", "Longitud"],
         ["Terra Andina", "Socio", "Investigación y educación", "Perú", -13.53, -71.97]],
    )
    opened = open_import(partners, path)
    preview = check(partners, opened)
    assert preview.errors == [], preview.errors
    write(partners, preview)
    andina = _values(partners)["Terra Andina"]
    assert (andina["kind"], andina["country"]) == ("partner", "PE")
    assert andina["region"] == "latin_america_caribbean"


def test_a_utf8_bom_csv_with_decimal_commas(partners: RecordService, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partners.csv",
        [["name", "kind", "college", "country", "latitude", "longitude"],
         ["Sols vivants", "member", "research_education", "FR", "48,85", "2,35"]],
        encoding="utf-8-sig", delimiter=";",
    )
    write(partners, check(partners, open_import(partners, path)))
    stored = _values(partners)["Sols vivants"]
    assert (stored["latitude"], stored["longitude"]) == (48.85, 2.35)


BAD = {17: ("email", "nobody-at-example"), 503: ("college", "astronauts"), 998: ("name", "")}


def _thousand(path: Path) -> Path:
    rows = [["name", "kind", "college", "country", "email"]]
    for index in range(1000):
        row = {"name": f"Partenaire {index}", "kind": "member", "college": "Recherche et formation",
               "country": "Sénégal", "email": f"p{index}@example.org"}
        if index + 2 in BAD:
            field, bad = BAD[index + 2]
            row[field] = bad
        rows.append(list(row.values()))
    return write_csv(path, rows, encoding="cp1252", delimiter=";")


def test_three_bad_rows_out_of_a_thousand_all_or_nothing(partners: RecordService, tmp_path: Path) -> None:
    preview = check(partners, open_import(partners, _thousand(tmp_path / "p.csv")))
    assert (preview.valid_count, preview.invalid_count) == (997, 3)
    assert [(e.row, e.field) for e in preview.errors] == [(row, field) for row, (field, _v) in BAD.items()]
    outcome = write(partners, preview)
    assert outcome.written == 0 and outcome.batch_id is None
    assert partners.count() == 0


def test_three_bad_rows_out_of_a_thousand_valid_only_and_the_rejects_file(
    partners: RecordService, tmp_path: Path
) -> None:
    preview = check(partners, open_import(partners, _thousand(tmp_path / "p.csv")))
    outcome = write(partners, preview, valid_only=True)
    assert (outcome.created, outcome.invalid) == (997, 3)
    assert partners.count() == 997

    rejects = tmp_path / "rejects.xlsx"
    assert write_rejects(preview, rejects) == 3
    sheet = read_sheet(rejects)
    assert sheet.headers[-1] == "Errors"
    assert [row.values["name"] for row in sheet.rows] == ["Partenaire 15", "Partenaire 501", None]
    assert "email" in sheet.rows[0].values["Errors"] and "astronauts" in sheet.rows[1].values["Errors"]

    fixed = [list(sheet.headers[:-1])]
    for row, name in zip(sheet.rows, ["Partenaire 15", "Partenaire 501", "Partenaire 996"], strict=True):
        values = dict(row.values, name=name)
        values["email"] = values["email"] if "@" in (values["email"] or "") else "p15@example.org"
        values["college"] = "research_education"
        fixed.append([values[h] for h in sheet.headers[:-1]])
    again = check(partners, open_import(partners, write_xlsx(tmp_path / "fixed.xlsx", fixed)))
    assert again.invalid_count == 0 and again.duplicates == {}
    assert write(partners, again).created == 3
    assert partners.count() == 1000


def _small(tmp_path: Path, city: str = "Thiès") -> Path:
    return write_csv(
        tmp_path / f"small-{city}.csv",
        [["Nom", "Membre ou partenaire", "Collège", "Pays", "Ville", "Site web"],
         ["Coopérative des éleveurs", "Membre", "Société civile et ONG", "SN", city, "https://coop.example.org"],
         ["Reseau Sahel ", "Partenaire", "Recherche et formation", "BF", city, ""],
         ["Nouveau venu", "Partenaire", "Recherche et formation", "ML", city, ""]],
        encoding="cp1252", delimiter=";",
    )


@pytest.fixture
def imported(partners: RecordService, tmp_path: Path) -> RecordService:
    write(partners, check(partners, open_import(partners, _small(tmp_path))))
    assert partners.count() == 3
    return partners


def _again(partners: RecordService, tmp_path: Path):  # type: ignore[no-untyped-def]
    return check(partners, open_import(partners, _small(tmp_path, city="Kaolack")))


def test_a_reimport_finds_each_row_again_and_holds_them_back_by_default(
    imported: RecordService, tmp_path: Path
) -> None:
    preview = _again(imported, tmp_path)
    assert sorted(m.reason for m in preview.duplicates.values()) == ["name", "name", "website"]
    outcome = write(imported, preview)
    assert (outcome.created, len(outcome.held_back)) == (0, 3)
    assert imported.count() == 3


@pytest.mark.parametrize(
    ("policy", "count", "cities"),
    [(Duplicates.SKIP, 3, {"Thiès"}), (Duplicates.UPDATE, 3, {"Kaolack"}),
     (Duplicates.CREATE, 6, {"Thiès", "Kaolack"})],
)
def test_a_reimport_with_each_policy(
    imported: RecordService, tmp_path: Path, policy: Duplicates, count: int, cities: set[str]
) -> None:
    outcome = write(imported, _again(imported, tmp_path), duplicates=policy)
    assert imported.count() == count
    assert {view.values["city"] for view in imported.list()} == cities
    assert outcome.skipped == (3 if policy is Duplicates.SKIP else 0)
    assert outcome.updated == (3 if policy is Duplicates.UPDATE else 0)


def test_a_close_name_is_a_duplicate_and_decisions_go_row_by_row(
    imported: RecordService, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "close.csv",
        [["Nom", "Membre ou partenaire", "Collège", "Pays"],
         ["Cooperative des eleveur", "Membre", "Société civile et ONG", "SN"],
         ["Nouveau venu", "Partenaire", "Recherche et formation", "ML"]],
    )
    preview = check(imported, open_import(imported, path))
    close, same = preview.duplicates[2], preview.duplicates[3]
    assert close.reason == "similar_name" and 90 <= close.score < 100
    assert close.existing == "Coopérative des éleveurs" and same.reason == "name"
    outcome = write(imported, preview, decisions={2: Duplicates.CREATE, 3: Duplicates.SKIP})
    assert (outcome.created, outcome.skipped) == (1, 1)
    assert imported.count() == 4


def test_an_import_is_undone_as_a_whole_and_the_deletes_sync(
    services: Services, imported: RecordService, tmp_path: Path
) -> None:
    from relay_app.imports import list_batches, undo_batch

    [batch] = list_batches(services.database)
    assert (batch.kind, batch.created, batch.file_name) == ("partners", 3, "small-Thiès.csv")
    kept = imported.create({"name": "Saisi à la main", "kind": "member", "college": "research_education",
                            "country": "FR"})
    result = undo_batch(services.database, imported, batch.id)
    assert result.deleted == 3
    assert [view.id for view in imported.list()] == [kept.id]
    assert list_batches(services.database)[0].undone_at is not None


def test_an_undo_is_refused_when_a_record_was_edited_since(
    services: Services, imported: RecordService, tmp_path: Path
) -> None:
    from relay_app.imports import UndoRefused, list_batches, undo_batch

    [batch] = list_batches(services.database)
    edited = next(v for v in imported.list() if v.values["name"] == "Nouveau venu")
    imported.update(edited.id, {"city": "Bamako"})
    with pytest.raises(UndoRefused, match="Nouveau venu"):
        undo_batch(services.database, imported, batch.id)
    assert imported.count() == 3


def test_imported_records_sync_and_are_searchable_like_typed_ones(
    services: Services, partners: RecordService, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from relay_app.store.models import PendingChange

    write(partners, check(partners, open_import(partners, _thousand(tmp_path / "p.csv"))), valid_only=True)
    with services.database.read() as session:
        entries = session.scalars(select(PendingChange)).all()
    assert len(entries) == 997 and {entry.op for entry in entries} == {"upsert"}
    assert len({entry.seq for entry in entries}) == 997
    assert "country" in entries[0].fields and "region" in entries[0].fields
    [found] = partners.list(search="Partenaire 42")[:1]
    assert found.values["name"] == "Partenaire 42" and found.dirty_fields


def test_an_id_given_twice_in_a_file_is_an_error_on_its_second_row(
    partners: RecordService, tmp_path: Path
) -> None:
    same = "7d1c1a38-3a55-4d4c-9d38-8a2e4f0f3b11"
    path = write_csv(
        tmp_path / "ids.csv",
        [["id", "name", "kind", "college", "country"],
         [same, "Un", "member", "research_education", "FR"],
         [same, "Deux", "member", "research_education", "FR"]],
    )
    preview = check(partners, open_import(partners, path))
    assert [(e.row, e.field, e.code) for e in preview.errors] == [(3, "id", "duplicate_id")]
    assert write(partners, preview, valid_only=True).created == 1
    assert partners.get(same).values["name"] == "Un"


def test_a_participant_list_names_its_forum_and_answers_in_french(
    services: Services, tmp_path: Path
) -> None:
    from tests import factories

    forums, registrations = services.records("forums"), services.records("registrations")
    forum = forums.create(factories.forum(name="Forum régional Afrique de l'Ouest"))
    path = write_xlsx(
        tmp_path / "participants.xlsx",
        [["Forum", "Prénom", "Nom", "Pays", "Courriel", "Rôle", "Besoin d’une aide au voyage",
          "Consentement au traitement des données personnelles"],
         ["Forum regional Afrique de l'Ouest", "Awa", "Ndiaye", "Sénégal", "awa@example.org",
          "Agriculteur", "oui", "Oui"],
         ["Forum régional Afrique de l'Ouest", "Émile", "Durand", "France", "", "Chercheur", "non", "non"],
         ["Forum du Sahel", "Ines", "Diallo", "Mali", "", "Chercheur", "", "oui"]],
    )
    preview = check(registrations, open_import(registrations, path))
    assert [(e.row, e.field, e.code) for e in preview.errors] == [
        (3, "consent", "must_be_true"), (4, "forum_id", "invalid_reference")
    ]
    write(registrations, preview, valid_only=True)
    [awa] = registrations.list()
    assert (awa.values["forum_id"], awa.values["country"], awa.values["role"]) == (forum.id, "SN", "farmer")
    assert (awa.values["travel_support"], awa.values["consent"]) == (True, True)
