"""Name badges without Qt: what a badge says, where it sits on a label sheet, and its QR payload.

The QR payload is what a USB scanner types into the desk's search box. Scanners pretend to be a US
keyboard: they send the key positions of a US layout, and the computer's own layout decides which
characters arrive. So the payload uses only characters whose key is the same on the layouts found
at our forums (US/UK QWERTY, French and Belgian AZERTY, German and Swiss QWERTZ, Spanish, Italian
and Portuguese QWERTY):

* no digits: AZERTY types ``&é"'(-è_çà`` on the unshifted number row;
* no A, Q, Z, W (swapped on AZERTY), no M (moves on AZERTY), no Y (swapped with Z on QWERTZ);
* no punctuation at all (it moves on nearly every layout).

That leaves 20 letters, ``BADGE_ALPHABET``. A payload is the prefix ``RL`` and 12 of those letters:
the first 48 bits of the registration's id (its first 12 hexadecimal digits) in base 20. Fourteen
upper-case letters are QR alphanumeric mode and fit a version 1 code (21 x 21 modules) at error
correction level Q, which any scanner reads from a badge. Nothing is stored: the payload is computed
from the id, and read back by a range query on the id's unique index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select

from relay_app import codelists
from relay_app.config import Paths
from relay_app.private_files import create_private_file, private_file
from relay_app.services.badge_layouts import (  # noqa: F401  (re-exported for the UI and CLI)
    DEFAULT_LAYOUT,
    SHEET_LAYOUTS,
    BadgeAreas,
    Rect,
    SheetLayout,
    badge_areas,
    layout_titles,
)
from relay_app.services.duplicates import resolve_merged_in
from relay_app.services.errors import NotFound
from relay_app.services.records import RecordService, RecordView
from relay_app.store.database import Database
from relay_app.store.models import Registration
from relay_app.store.types import utc_now

BADGE_ALPHABET = "BCDEFGHIJKLNOPRSTUVX"
BADGE_PREFIX = "RL"
CODE_LENGTH = 12  # letters after the prefix: 20**12 > 2**48
ID_HEX_DIGITS = 12  # the id's first 12 hex digits (48 bits) are random in a version 4 UUID
PAYLOAD_PATTERN = re.compile(f"{BADGE_PREFIX}[{BADGE_ALPHABET}]{{{CODE_LENGTH}}}")
QR_ERROR_LEVEL = "q"
PRINT_LOG_FILE = "badge_prints.jsonl"


# -- payload -------------------------------------------------------------------------------------


def badge_payload(registration_id: str) -> str:
    """The text of the registration's QR code, e.g. ``RLCPXFGBNOTSEK``."""
    hex_digits = registration_id.replace("-", "")[:ID_HEX_DIGITS]
    number = int(hex_digits, 16)
    letters: list[str] = []
    for _position in range(CODE_LENGTH):
        number, digit = divmod(number, len(BADGE_ALPHABET))
        letters.append(BADGE_ALPHABET[digit])
    return BADGE_PREFIX + "".join(reversed(letters))


def normalised_scan(text: str) -> str:
    """What a scanner typed, as a payload would be written: a caps-locked keyboard types lower case."""
    return text.strip().upper()


def is_badge_payload(text: str) -> bool:
    return PAYLOAD_PATTERN.fullmatch(normalised_scan(text)) is not None


def id_prefix_of(payload: str) -> str | None:
    """The start of the registration id a payload stands for (``"1a2b3c4d-5e6f"``), or None."""
    payload = normalised_scan(payload)
    if PAYLOAD_PATTERN.fullmatch(payload) is None:
        return None
    number = 0
    for letter in payload[len(BADGE_PREFIX):]:
        number = number * len(BADGE_ALPHABET) + BADGE_ALPHABET.index(letter)
    if number >= 16**ID_HEX_DIGITS:
        return None  # letters no badge carries
    hex_digits = f"{number:0{ID_HEX_DIGITS}x}"
    return f"{hex_digits[:8]}-{hex_digits[8:]}"


def registration_for_scan(database: Database, text: str) -> str | None:
    """The live registration a scanned badge stands for, or None.

    A badge of a registration merged into another one checks in the one that was kept; a badge of
    a deleted registration, or a payload two registrations share, stands for nobody.
    """
    prefix = id_prefix_of(text)
    if prefix is None:
        return None
    ranges = [
        (Registration.id >= start) & (Registration.id < start + "~")
        for start in {prefix, prefix.upper()}  # ids typed in upper case by an import
    ]
    with database.read() as session:
        found = session.execute(
            select(Registration.id, Registration.deleted).where(or_(*ranges)).limit(3)
        ).all()
        if len(found) != 1:
            return None
        registration_id, deleted = found[0]
        kept = resolve_merged_in(session, registration_id)
        if kept == registration_id and deleted:
            return None
        alive = session.scalar(
            select(Registration.id).where(Registration.id == kept, Registration.deleted.is_(False))
        )
    return alive


def qr_version(payload: str) -> int:
    """The QR version segno picks for ``payload`` (1 is the smallest, 21 x 21 modules)."""
    import segno

    return int(segno.make_qr(payload, error=QR_ERROR_LEVEL, boost_error=False).version)


def qr_modules(payload: str) -> list[list[bool]]:
    """The dark (True) and light modules of the payload's QR code, without the quiet zone."""
    import segno

    code = segno.make_qr(payload, error=QR_ERROR_LEVEL, boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]


# -- what a badge says ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    registration_id: str
    name: str
    organisation: str
    country: str
    role: str
    forum: str
    payload: str


def _label(list_name: str, code: str | None) -> str:
    if not code:
        return ""
    try:
        return codelists.get(list_name).label(code)
    except KeyError:
        return code


def badge_of(registration: RecordView, forum_name: str) -> Badge:
    values = registration.values
    return Badge(
        registration_id=registration.id,
        name=registration.summary,
        organisation=str(values.get("organisation") or ""),
        country=_label("countries", values.get("country")),
        role=_label("roles", values.get("role")),
        forum=forum_name,
        payload=badge_payload(registration.id),
    )


def forum_badges(
    registrations: RecordService, forums: RecordService, forum_id: str
) -> list[Badge]:
    """A badge for each participant of the forum whose registration stands (not cancelled, not
    waitlisted), by last then first name."""
    try:
        forum_name = forums.get(forum_id).summary
    except NotFound:
        raise NotFound("forums", forum_id) from None
    people = registrations.list(filters={"forum_id": forum_id, "status": "registered"})
    people.sort(key=lambda person: (codelists.sort_key(str(person.values.get("last_name") or "")),
                                    codelists.sort_key(str(person.values.get("first_name") or ""))))
    return [badge_of(person, forum_name) for person in people]


# -- the print log ---------------------------------------------------------------------------------


class BadgePrintLog:
    """Which badges this device printed (a JSON line each): printing one again asks first."""

    def __init__(self, paths: Paths) -> None:
        self.path = paths.data_dir / PRINT_LOG_FILE

    def printed(self, registration_ids: Iterable[str]) -> dict[str, datetime]:
        """The first print time of each of ``registration_ids`` printed before."""
        wanted = set(registration_ids)
        found: dict[str, datetime] = {}
        for entry in self._entries():
            registration_id = entry.get("registration_id")
            if registration_id in wanted and registration_id not in found:
                try:
                    found[registration_id] = datetime.fromisoformat(entry["printed_at"])
                except (KeyError, TypeError, ValueError):
                    continue
        return found

    def note(self, registration_ids: Sequence[str], target: Path | None = None) -> None:
        now = utc_now().isoformat()
        create_private_file(self.path)
        private_file(self.path)
        with self.path.open("a", encoding="utf-8") as handle:
            for registration_id in registration_ids:
                entry = {"registration_id": registration_id, "printed_at": now,
                         "file": None if target is None else target.name}
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _entries(self) -> Iterable[dict[str, str]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a crash: the others still count
            if isinstance(entry, dict):
                entries.append(entry)
        return entries
