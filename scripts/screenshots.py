"""Render the main views offscreen to docs/screenshots/*.png, over a small sample data set.

.venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--language en] [--size 1280x800]

Besides the views: the first-run welcome, the keyboard shortcuts sheet (F1) and About, each alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.factories, the sample records

from PySide6.QtWidgets import QApplication, QDialog, QMainWindow  # noqa: E402

from relay_app.config import resolve_paths  # noqa: E402
from relay_app.i18n import set_language  # noqa: E402
from relay_app.services import Services, open_services  # noqa: E402
from relay_app.store.backups import take_backup  # noqa: E402
from tests import factories  # noqa: E402


def sample_data(services: Services) -> None:
    partners = services.records("partners")
    partners.create(factories.partner())
    partners.create(
        factories.partner(
            name="Asociación de Productores Andinos",
            acronym="APA",
            country="PE",
            city="Cusco",
            college="farmers_foresters_organisations",
            kind="partner",
            latitude=-13.53,
            longitude=-71.97,
            email="apa@example.org",
            languages=["es"],
        )
    )
    partners.create(
        factories.partner(
            name="Soil Health Trust",
            acronym="SHT",
            country="KE",
            city="Nairobi",
            college="civil_society_ngos",
            latitude=-1.29,
            longitude=36.82,
            languages=["en", "sw"],
        )
    )
    practices = services.records("practices")
    practices.create(factories.practice())
    practices.create(
        factories.practice(
            title="Cover crops in vineyards",
            country="FR",
            land_use="cropland",
            category="improved_ground_cover",
            climate_zone="warm_temperate_dry",
            soc_before_t_ha=42,
            soc_after_t_ha=44.1,
            soc_years=6,
            soc_depth_cm=30,
            start_year=2016,
        )
    )
    forum = services.records("forums").create(factories.forum())
    registrations = services.records("registrations")
    registrations.create(factories.registration(forum.id))
    registrations.create(
        factories.registration(
            forum.id,
            first_name="Moussa",
            last_name="Diop",
            role="researcher",
            email="m.diop@example.org",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--language", default="en")
    parser.add_argument("--size", default="1280x800", help="the window's width x height")
    arguments = parser.parse_args()
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    from relay_app.ui.language import install_qt_translations, language_signal

    language_signal()  # as run_app does: Qt's own texts (key names) follow the language too
    set_language(arguments.language)
    install_qt_translations()
    from relay_app.ui.main_window import MainWindow  # after QApplication: icons need it

    with (
        tempfile.TemporaryDirectory(prefix="relay-shots-") as data_dir,
        open_services(resolve_paths(data_dir)) as services,
    ):
        sample_data(services)
        take_backup(services.database.path, "manual")  # one to list in Settings
        window = MainWindow(services)
        width, height = (int(side) for side in arguments.size.split("x"))
        window.resize(width, height)
        window.show()
        shots: list[tuple[str, str, bool]] = [
            ("partners", "partners", False),
            ("practices", "practices", False),
            ("forums", "forums", False),
            ("sync", "sync", False),
            ("settings", "settings", False),
            ("practices", "practice-editor", True),
            ("partners", "partner-editor", True),
        ]
        for view, name, edit in shots:
            window.show_view(view)
            panel = window.current_panel()
            if panel is not None:
                panel.apply_query()
                panel.move_selection(1)
                if edit:
                    panel.edit_selected()
            app.processEvents()
            target = out / f"{name}.png"
            window.grab().save(str(target))
            print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
            if panel is not None and edit:
                panel.editor.discard()
                panel.cancel_editing()
        window.show_view("forums")
        window.forums_page.setCurrentWidget(window.forums_page.desk)
        window.forums_page.desk.refresh()
        window.forums_page.desk.check_in_selected()
        settle = time.monotonic() + 1.0  # the check-in is written on the database thread
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.02)
        target = out / "check-in-desk.png"
        window.grab().save(str(target))
        print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
        dialogs(app, window, services, out)
        window.close()


def dialogs(app: QApplication, window: QMainWindow, services: Services, out: Path) -> None:
    """The welcome, the shortcuts sheet and About, each grabbed alone at its own size."""
    from relay_app.ui.about import AboutDialog
    from relay_app.ui.help import ShortcutsSheet
    from relay_app.ui.welcome import WelcomeDialog

    shown: list[tuple[str, QDialog]] = [
        ("welcome", WelcomeDialog(window)),
        ("shortcuts", ShortcutsSheet(window)),
        ("about", AboutDialog(services, window)),
    ]
    for name, dialog in shown:
        dialog.show()
        app.processEvents()
        target = out / f"{name}.png"
        dialog.grab().save(str(target))
        print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
        dialog.close()


if __name__ == "__main__":
    main()
