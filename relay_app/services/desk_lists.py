"""The desk's lists, without Qt: participants, an attendance sheet, counts, travel-support requests.

Every cell is what a person reads: labels in the chosen language instead of codes, local times
instead of UTC. CSV and XLSX are written here; the PDF is drawn by ``relay_app.ui.badges``. Lists
that hold personal data are noted in ``personal_exports.log`` (JSON lines, private to the owner)
once written, so the data folder knows every copy of personal data that left it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from relay_app import codelists
from relay_app.config import Paths
from relay_app.formatting import format_datetime
from relay_app.i18n import N_, _
from relay_app.private_files import create_private_file, private_file
from relay_app.services.records import RecordService, RecordView
from relay_app.store.types import utc_now
from relay_app.transfer import FileFormat, write_table

PERSONAL_EXPORTS_LOG = "personal_exports.log"


class DeskList(StrEnum):
    PARTICIPANTS = "participants"
    ATTENDANCE = "attendance"
    COUNTS = "counts"
    TRAVEL_SUPPORT = "travel-support"

    @property
    def title(self) -> str:
        return _(_TITLES[self])

    @property
    def personal(self) -> bool:
        return self is not DeskList.COUNTS


_TITLES = {
    DeskList.PARTICIPANTS: N_("Participants"),
    DeskList.ATTENDANCE: N_("Attendance sheet"),
    DeskList.COUNTS: N_("Participants by country, college and role"),
    DeskList.TRAVEL_SUPPORT: N_("Travel-support requests"),
}


class ListFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ListTable:
    """A list as printed: a title, column headers and rows of text, all in the chosen language."""

    kind: DeskList
    title: str
    forum: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    tick_column: bool = False  # the attendance sheet's empty box to tick, last

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


def _code(list_name: str, code: Any) -> str:
    return codelists.get(list_name).label(str(code)) if code else ""


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _arrival(values: dict[str, Any]) -> str:
    moment = values.get("checked_in_at")
    return "" if moment is None else format_datetime(moment, "short")


def _sorted(people: list[RecordView]) -> list[RecordView]:
    return sorted(people, key=lambda person: (codelists.sort_key(_text(person.values, "last_name")),
                                              codelists.sort_key(_text(person.values, "first_name"))))


def build_list(
    registrations: RecordService, forums: RecordService, forum_id: str, kind: DeskList
) -> ListTable:
    forum = forums.get(forum_id).summary
    people = _sorted(registrations.list(filters={"forum_id": forum_id}))
    standing = [person for person in people if person.values.get("status") in (None, "registered")]
    if kind is DeskList.PARTICIPANTS:
        headers = (_("Last name"), _("First name"), _("Organisation"), _("College"), _("Country"),
                   _("Role"), _("Email"), _("Phone"), _("Status"), _("Needs travel support"),
                   _("Checked in at"))
        rows = [
            (_text(v, "last_name"), _text(v, "first_name"), _text(v, "organisation"),
             _code("colleges", v.get("college")), _code("countries", v.get("country")),
             _code("roles", v.get("role")), _text(v, "email"), _text(v, "phone"),
             _code("registration_statuses", v.get("status") or "registered"),
             _yes_no(v.get("travel_support")), _arrival(v))
            for v in (person.values for person in people)
        ]
        return ListTable(kind, kind.title, forum, headers, tuple(rows))
    if kind is DeskList.ATTENDANCE:
        headers = (_("Last name"), _("First name"), _("Organisation"), _("Country"), _("Checked in at"),
                   _("Present"))
        rows = [
            (_text(v, "last_name"), _text(v, "first_name"), _text(v, "organisation"),
             _code("countries", v.get("country")), _arrival(v), "")
            for v in (person.values for person in standing)
        ]
        return ListTable(kind, kind.title, forum, headers, tuple(rows), tick_column=True)
    if kind is DeskList.TRAVEL_SUPPORT:
        asking = [person for person in people
                  if person.values.get("travel_support") and person.values.get("status") != "cancelled"]
        headers = (_("Last name"), _("First name"), _("Organisation"), _("Country"), _("Email"),
                   _("Phone"), _("Status"))
        rows = [
            (_text(v, "last_name"), _text(v, "first_name"), _text(v, "organisation"),
             _code("countries", v.get("country")), _text(v, "email"), _text(v, "phone"),
             _code("registration_statuses", v.get("status") or "registered"))
            for v in (person.values for person in asking)
        ]
        return ListTable(kind, kind.title, forum, headers, tuple(rows))
    return _counts(forum, standing)


def _counts(forum: str, standing: list[RecordView]) -> ListTable:
    """Standing registrations (and those checked in) per country, college and role."""
    headers = (_("Counted by"), _("Value"), _("Registered"), _("Checked in"))
    rows: list[tuple[str, ...]] = []
    for field, list_name, label in (
        ("country", "countries", _("Country")),
        ("college", "colleges", _("College")),
        ("role", "roles", _("Role")),
    ):
        registered: Counter[str] = Counter()
        arrived: Counter[str] = Counter()
        for person in standing:
            value = _code(list_name, person.values.get(field)) or _("(not given)")
            registered[value] += 1
            arrived[value] += person.values.get("checked_in_at") is not None
        for value in sorted(registered, key=codelists.sort_key):
            rows.append((label, value, str(registered[value]), str(arrived[value])))
    return ListTable(DeskList.COUNTS, DeskList.COUNTS.title, forum, headers, tuple(rows))


def write_list_table(table: ListTable, path: Path, fmt: ListFormat) -> int:
    """CSV or XLSX (the PDF is drawn by the UI layer); returns the rows written."""
    file_format = FileFormat.CSV if fmt is ListFormat.CSV else FileFormat.XLSX
    return write_table(path, file_format, list(table.headers), table.as_dicts())


def note_personal_export(paths: Paths, table: ListTable, path: Path, forum_id: str) -> None:
    """One JSON line in the data folder's private log of personal data that left it."""
    log = paths.data_dir / PERSONAL_EXPORTS_LOG
    create_private_file(log)
    private_file(log)
    entry = {
        "at": utc_now().isoformat(),
        "list": table.kind.value,
        "forum_id": forum_id,
        "rows": len(table.rows),
        "file": os.fspath(path.resolve()),
    }
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
