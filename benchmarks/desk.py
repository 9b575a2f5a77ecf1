"""The forum desk on the day: 5,000 registrations in one forum, timed as a person waits (run by hand).

    .venv/bin/python benchmarks/desk.py [--registrations 5000] [--keystrokes 200] [--check-ins 100]
                                        [--badges 500] [--data-dir DIR]

A real SQLite store in a fresh temporary data dir (or --data-dir), filled with ``import_rows``;
the real ``CheckInDesk`` widget on the offscreen platform. Prints p50/p95 of:

- keystroke to result list: one key typed into the search box with QTest, until the desk's model
  holds the matching rows (the desk searches on every key, without a debounce);
- check-in to head-count: Enter in the search box with a person selected, until the counter label
  shows the new count (the check-in runs on the database thread, as in the app);
- and the wall time of 500 badges written as PDF by the handler of ``relay-app desk badges``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from latencies import describe  # benchmarks/latencies.py, beside this script
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from relay_app.config import Paths, resolve_paths
from relay_app.services import Services, open_services
from relay_app.transfer import SourceRow

FIRST_NAMES = (
    "Awa", "Moussa", "Fatou", "Ibrahima", "Aminata", "Jean", "Hélène", "Émile", "Marie", "Pierre",
    "Lucía", "José", "Carmen", "Diego", "Rosa", "Priya", "Arjun", "Wanjiru", "Otieno", "Ana",
    "João", "Beatriz", "Kofi", "Ama", "Yaw", "Sofía", "Mateo", "Inès", "Karim", "Leïla",
    "Oumar", "Mariam", "Bakary", "Salimata", "Thomas", "Camille", "Nadia", "Youssef", "Aïcha", "Paul",
)
LAST_NAMES = (
    "Ndiaye", "Diop", "Traoré", "Keïta", "Coulibaly", "Ouédraogo", "Sawadogo", "Diallo", "Dupont",
    "Martin", "Durand", "Lefèvre", "García", "Quispe", "Mamani", "Huamán", "Sharma", "Patel",
    "Kamau", "Odhiambo", "Silva", "Santos", "Oliveira", "Mensah", "Asante", "Boateng", "Fernández",
    "Rojas", "Benali", "Haddad", "Touré", "Cissé", "Kaboré", "Zongo", "Moreau", "Girard", "Njoroge",
    "Mwangi", "Ferreira", "Costa", "Okafor", "Adeyemi", "Sow", "Ba", "Fall", "Sarr", "Faye", "Gueye",
)
ORGANISATIONS = (
    "Fédération des producteurs", "CIRAD", "INERA", "ISRA", "Université Cheikh Anta Diop",
    "Coopérative agricole", "ONG Terre Vivante", "KALRO", "EMBRAPA", "INIA", "Agroforestry Centre",
    "Réseau des femmes rurales", "Ministère de l'Agriculture", "Sahel Eco", "Soil Alliance",
)
COUNTRIES = ("SN", "ML", "BF", "CI", "GH", "KE", "FR", "PE", "BR", "IN", "MA", "NE")
ROLES = ("farmer", "forester", "researcher", "policy_maker", "ngo_staff", "private_sector", "student")
COLLEGES = (
    "research_education", "farmers_foresters_organisations", "civil_society_ngos", "private_companies",
)


def make_forum(services: Services, name: str, capacity: int) -> str:
    """A forum running today (the desk chooses it first); one of that name already there is reused."""
    for existing in services.records("forums").list():
        if existing.values.get("name") == name:
            return existing.id
    today = date.today()
    return services.records("forums").create({
        "name": name, "region": "sub_saharan_africa", "country": "SN", "city": "Thiès",
        "venue": "Centre de conférences", "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=2)).isoformat(), "capacity": capacity, "languages": ["fr"],
    }).id


def fill(services: Services, forum_id: str, count: int, rng: random.Random) -> None:
    if services.records("registrations").list(filters={"forum_id": forum_id}):
        return  # a data dir given again: its registrations (and check-ins) are kept
    started = time.perf_counter()
    rows = []
    for number in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append(SourceRow(number + 2, {
            "forum_id": forum_id, "first_name": first, "last_name": last,
            "organisation": rng.choice(ORGANISATIONS), "country": rng.choice(COUNTRIES),
            "college": rng.choice(COLLEGES), "role": rng.choice(ROLES),
            "email": f"{first}.{last}.{number}@example.org".casefold().replace(" ", ""),
            "phone": f"+221 77 {number:03d} {rng.randrange(100):02d} {rng.randrange(100):02d}",
            "consent": True,
        }))
    report = services.import_rows("registrations", rows)
    if report.errors:
        sys.exit(f"could not build the data set: {report.errors[:3]}")
    print(f"created {report.created:,} registrations in {time.perf_counter() - started:.1f} s")


def wait_until(app: QApplication, condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            sys.exit("timed out waiting for the desk")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Key by key; QTest only knows ASCII keys, so accented letters go as text events."""
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def time_keystrokes(app: QApplication, desk, rng: random.Random, wanted: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Type the first 2-5 letters of names and organisations, one key at a time."""
    words = [*FIRST_NAMES, *LAST_NAMES, "cirad", "cooperative", "federation", "univ"]
    latencies: list[float] = []
    while len(latencies) < wanted:
        word = rng.choice(words)
        desk.search.clear()
        QCoreApplication.processEvents()
        for letter in word[: rng.randint(2, 5)]:
            began = time.perf_counter()
            type_text(desk.search, letter)
            wait_until(app, lambda: desk.model.rowCount() > 0)
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies[:wanted]


def time_check_ins(app: QApplication, desk, services: Services, forum_id: str, wanted: int,  # type: ignore[no-untyped-def]
                   rng: random.Random) -> list[float]:
    """Find a person not yet in by their name, select them, press Enter; until the counter changes."""
    people = [person for person in services.check_ins.attendees(forum_id) if not person.checked_in]
    latencies: list[float] = []
    for person in rng.sample(people, wanted):
        desk.search.clear()
        type_text(desk.search, person.name)
        if not desk.select(person.id):
            sys.exit(f"{person.name} not found by the search")
        before = desk.counter.text()
        began = time.perf_counter()
        QTest.keyClick(desk.search, Qt.Key.Key_Return)
        wait_until(app, lambda before=before: desk.counter.text() != before)
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def time_badges(paths: Paths, forum_id: str, folder: Path) -> float:
    """The handler of ``relay-app desk badges FORUM -o FILE``, called in this process."""
    from relay_app.cli.desk_documents import print_badges

    target = folder / "badges.pdf"
    arguments = argparse.Namespace(forum=forum_id, output=str(target), layout="a4-2x5-86x55",
                                   reprint=True, new_only=False)
    began = time.perf_counter()
    print_badges(arguments, paths)
    seconds = time.perf_counter() - began
    print(f"badge PDF: {target.stat().st_size / 1e6:.1f} MB")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=5_000)
    parser.add_argument("--keystrokes", type=int, default=200)
    parser.add_argument("--check-ins", type=int, default=100)
    parser.add_argument("--badges", type=int, default=500)
    parser.add_argument("--data-dir")
    arguments = parser.parse_args()
    data_dir = Path(arguments.data_dir or tempfile.mkdtemp(prefix="relay-desk-bench-"))
    rng = random.Random(20261130)
    app = QApplication([])
    from relay_app.services.drafts import DraftStore
    from relay_app.ui.changes import DataChanges
    from relay_app.ui.checkin.desk import CheckInDesk

    paths = resolve_paths(data_dir)
    with open_services(paths) as services:
        forum_id = make_forum(services, "Forum régional Afrique de l'Ouest", arguments.registrations + 100)
        fill(services, forum_id, arguments.registrations, rng)
        badge_forum = make_forum(services, "Atelier badges", arguments.badges + 10)
        fill(services, badge_forum, arguments.badges, rng)

        started = time.perf_counter()
        desk = CheckInDesk(services, DraftStore(paths.drafts), DataChanges())
        desk.resize(1200, 800)
        desk.show()
        if desk.forum_id() != forum_id:
            desk.forum.choose(forum_id)
        wait_until(app, lambda: desk.model.rowCount() == arguments.registrations)
        print(f"desk opened with {desk.model.rowCount():,} participants in "
              f"{(time.perf_counter() - started) * 1000:.0f} ms; counter: {desk.counter.text()}")

        keystrokes = time_keystrokes(app, desk, rng, arguments.keystrokes)
        print(f"keystroke to result list: {describe(keystrokes)}")
        check_ins = time_check_ins(app, desk, services, forum_id, arguments.check_ins, rng)
        print(f"check-in to head-count:   {describe(check_ins)}; counter: {desk.counter.text()}")
        seconds = time_badges(paths, badge_forum, data_dir)
        print(f"{arguments.badges} badges as PDF:       {seconds:.2f} s")
        desk.close()


if __name__ == "__main__":
    main()
