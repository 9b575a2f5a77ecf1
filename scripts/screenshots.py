"""Render the main views offscreen to docs/screenshots/*.png, over a small sample data set.

.venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--language en] [--size 1200x760]
    [--scale 1.75]

``--scale`` sets QT_SCALE_FACTOR (as a person's display scaling would) before Qt starts, to see the
window as it is laid out on a high-density screen.

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

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget  # noqa: E402

from relay_app.config import resolve_paths  # noqa: E402
from relay_app.i18n import set_language  # noqa: E402
from relay_app.services import Services, open_services  # noqa: E402
from relay_app.services.attachments import AttachmentStore  # noqa: E402
from relay_app.services.record_files import RecordFileService  # noqa: E402
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


# Made-up partners around real towns, so the map shows clusters where partners are many.
MAP_TOWNS = (
    ("SN", "Dakar", 14.69, -17.45), ("SN", "Kaolack", 14.15, -16.07), ("BF", "Ouagadougou", 12.37, -1.53),
    ("ML", "Bamako", 12.64, -8.0), ("CI", "Bouaké", 7.69, -5.03), ("MA", "Meknès", 33.9, -5.55),
    ("KE", "Kisumu", -0.1, 34.76), ("ET", "Addis Ababa", 9.03, 38.74), ("FR", "Montpellier", 43.61, 3.88),
    ("FR", "Rennes", 48.11, -1.68), ("ES", "Córdoba", 37.89, -4.78), ("BR", "Goiânia", -16.68, -49.25),
    ("AR", "Rosario", -32.95, -60.65), ("MX", "Oaxaca", 17.07, -96.72), ("IN", "Pune", 18.52, 73.86),
    ("VN", "Cần Thơ", 10.05, 105.75), ("AU", "Wagga Wagga", -35.12, 147.37), ("US", "Ames", 42.03, -93.62),
)
COLLEGES = ("farmers_foresters_organisations", "research_education", "civil_society_ngos",
            "states_local_authorities", "private_companies", "donors_foundations")


def sample_map_partners(services: Services) -> None:
    """About a hundred partners around MAP_TOWNS, dense in West Africa as the Initiative's are."""
    import random

    rng = random.Random(4)
    partners = services.records("partners")
    for number in range(110):
        country, city, latitude, longitude = MAP_TOWNS[
            min(int(rng.expovariate(0.25)), len(MAP_TOWNS) - 1)
        ]
        partners.create(factories.partner(
            name=f"{city} soil network {number + 1}", country=country, city=city,
            college=rng.choice(COLLEGES), latitude=round(latitude + rng.uniform(-0.6, 0.6), 3),
            longitude=round(longitude + rng.uniform(-0.6, 0.6), 3), email=f"contact{number}@example.org",
        ))


# Made-up practices with soil carbon results, in a few agro-pedo-climatic areas.
MAP_PRACTICES = (
    ("Parcs à Faidherbia albida", "SN", 14.3, -16.4,
     "tropical_dry", "AR", "cropland", "agroforestry", 48, 53.5, 10),
    ("Zaï et demi-lunes", "BF", 13.1, -1.9,
     "tropical_dry", "LX", "cropland", "integrated_soil_fertility", 21, 24.2, 8),
    ("Mise en défens des parcours", "ML", 14.5, -4.2,
     "tropical_dry", "AR", "grazing_land", "area_closure", 18, 19.1, 6),
    ("Cultures de couverture en vigne", "FR", 43.6, 3.9,
     "warm_temperate_dry", "CM", "cropland", "improved_ground_cover", 42, 44.1, 6),
    ("Semis direct sous couvert", "FR", 48.1, -1.7,
     "cool_temperate_moist", "LV", "cropland", "minimal_soil_disturbance", 55, 56.6, 8),
    ("Pâturage tournant dynamique", "AR", -33.0, -60.7,
     "warm_temperate_moist", "PH", "grazing_land", "rotational_grazing", 61, 64.8, 7),
    ("Sistemas silvopastoriles", "MX", 17.1, -96.7,
     "tropical_moist", "LV", "grazing_land", "agroforestry", 38, 42.5, 9),
    ("Agroforesterie café-ombrage", "ET", 7.7, 36.8,
     "tropical_montane", "NT", "cropland", "agroforestry", 70, 76.3, 12),
    ("Conservation agriculture", "KE", -0.5, 35.3,
     "tropical_moist", "FR", "cropland", "minimal_soil_disturbance", 33, 34.2, 5),
    ("Rice straw incorporation", "VN", 10.1, 105.6,
     "tropical_wet", "FL", "cropland", "integrated_soil_fertility", 29, 30.1, 6),
)


def sample_map_practices(services: Services) -> None:
    practices = services.records("practices")
    for title, country, latitude, longitude, climate, soil, land_use, category, before, after, years \
            in MAP_PRACTICES:
        practices.create(factories.practice(
            title=title, country=country, latitude=latitude, longitude=longitude, climate_zone=climate,
            soil_group=soil, land_use=land_use, category=category, soc_before_t_ha=before,
            soc_after_t_ha=after, soc_years=years, start_year=2026 - years,
        ))


def sample_photos(services: Services, folder: Path) -> None:
    """Three made-up field photos (sky over soil, in gradients) for the first practice."""
    practice = services.records("practices").list(limit=1)[0]
    files = RecordFileService(
        services.database, AttachmentStore(services.paths.attachments), services.device_id
    )
    for number, (sky, soil) in enumerate(
        [("#90caf9", "#5d4037"), ("#fff59d", "#33691e"), ("#b0bec5", "#795548")], start=1
    ):
        image = QImage(1600, 1067, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        gradient = QLinearGradient(0, 0, 0, image.height())
        gradient.setColorAt(0.0, QColor(sky))
        gradient.setColorAt(0.55, QColor(sky).lighter(120))
        gradient.setColorAt(0.56, QColor(soil).lighter(130))
        gradient.setColorAt(1.0, QColor(soil))
        painter.fillRect(image.rect(), gradient)
        painter.end()
        path = folder / f"field-{number}.jpg"
        image.save(str(path), "JPEG", 85)
        stored = files.store.put_file(path)
        files.link("practices", practice.id, "photo", stored, "image/jpeg", filename=path.name)


def grab_with_popup(window: QWidget, popup: QWidget) -> QPixmap:
    """The window with a popup (a menu, a dialog) drawn where it sits on the screen."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    return shot


def grab_with_dialog(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window dimmed, with ``dialog`` centred over it, as a window manager would place it."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 90))
    picture = dialog.grab()
    painter.drawPixmap(
        (shot.width() - picture.width()) // 2, (shot.height() - picture.height()) // 2, picture
    )
    painter.end()
    return shot


def save(shot: QPixmap, target: Path) -> None:
    shot.save(str(target))
    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)


def settle(app: QApplication, seconds: float = 1.0) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--language", default="en")
    parser.add_argument("--size", default="1200x760", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--scale", default=None, help="display scale factor, such as 1.25 or 1.75")
    arguments = parser.parse_args()
    if arguments.scale:
        os.environ["QT_SCALE_FACTOR"] = arguments.scale  # read once, when QApplication starts
    width, height = (int(part) for part in arguments.size.lower().split("x"))
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
        sample_map_partners(services)
        sample_map_practices(services)
        sample_photos(services, Path(data_dir))
        take_backup(services.database.path, "manual")  # one to list in Settings
        window = MainWindow(services)
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
            ("forums", "forum-editor", True),
        ]
        # First, while no editor has widened the window (an editor's minimum width stays).
        # Two partners selected and the list's context menu opened on them, as with the Menu key.
        window.show_view("partners")
        panel = window.panels["partners"]
        panel.apply_query()
        panel.table.selectRow(0)
        panel.table.selectionModel().select(
            panel.model.index(1, 0),
            panel.table.selectionModel().SelectionFlag.Select
            | panel.table.selectionModel().SelectionFlag.Rows,
        )
        menu = panel.context_menu.open_at(
            panel.table.viewport().mapToGlobal(panel.table.visualRect(panel.model.index(1, 1)).center())
        )
        settle(app, 0.3)
        if menu is not None:
            save(grab_with_popup(window, menu), out / "list-context-menu.png")
            menu.close()

        # The photo viewer over the practice that has photos, on its second photo.
        window.show_view("practices")
        practices = window.panels["practices"]
        practices.apply_query()
        practices.table.selectRow(0)
        files = practices.detail.files
        viewer = practices.detail.open_photo(files[1].id) if files else None
        if viewer is not None:
            settle(app, 0.3)
            save(grab_with_dialog(window, viewer), out / "photo-viewer.png")
            viewer.close()

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
        # The map of partners, clustered at world scale, the first partner's neighbours beside it.
        window.show_view("map")
        settle(app, 1.5)  # the map's content is read on the database thread
        save(window.grab(), out / "map.png")
        window.map_page.tabs.setCurrentIndex(1)  # practices by agro-pedo-climatic area
        settle(app, 0.5)
        save(window.grab(), out / "practices-by-area.png")
        window.map_page.tabs.setCurrentIndex(0)
        # Last: once shown, the check-in desk may widen the window (its minimum width).
        window.show_view("forums")
        window.forums_page.setCurrentWidget(window.forums_page.desk)
        window.forums_page.desk.refresh()
        window.forums_page.desk.check_in_selected()
        settle(app)  # the check-in is written on the database thread
        save(window.grab(), out / "check-in-desk.png")
        import_wizard(app, window, services, out)
        import_history(app, window, services, out)
        dialogs(app, window, services, out)
        window.close()


IMPORT_CSV = (
    "Nom;Sigle;Membre ou partenaire;Collège;Pays;Ville;Courriel;Téléphone;Remarque\r\n"
    "Coopérative agricole de Kaolack;CAK;Membre;Organisations d’agriculteurs et de forestiers;Sénégal;"
    "Kaolack;cak@example.org;0033 6 12 34 56 78;partenaire depuis 2019\r\n"
    "Réseau des éleveurs du Sahel;RES;Partenaire;Organisations d’agriculteurs et de forestiers;"
    "Burkina Faso;Dori;res@example.org;;\r\n"
    "Institut des sols de Meknès;ISM;Membre;Recherche et formation;Maroc;Meknès;ism.example.org;;"
    "courriel à vérifier\r\n"
    "Fondation Terres Vivantes;FTV;Partenaire;Bailleurs de fonds et fondations;France;Lyon;"
    "ftv@example.org;;\r\n"
    "Association Sols et Forêts;ASF;Membre;Société civile et ONG;Atlantide;Tunis;asf@example.org;;\r\n"
)


def import_wizard(app: QApplication, window: QMainWindow, services: Services, out: Path) -> None:
    """The import wizard on a French Excel CSV (cp1252, semicolons, labels): columns, then rows."""
    from PySide6.QtWidgets import QWizard

    from relay_app.ui.imports import open_import_wizard

    source = services.database.path.parent / "partenaires.csv"
    source.write_bytes(IMPORT_CSV.encode("cp1252", errors="replace"))
    wizard = open_import_wizard(window, services, "partners", window.changes, source)
    for page, name in ((wizard.mapping_page, "import-columns"), (wizard.preview_page, "import-rows")):
        wizard.button(QWizard.WizardButton.NextButton).click()
        deadline = time.monotonic() + 20
        while wizard.currentPage() is not page and time.monotonic() < deadline:
            app.processEvents()
        settle(app, 0.5)
        save(wizard.grab(), out / f"{name}.png")
    wizard.close()


def import_history(app: QApplication, window: QMainWindow, services: Services, out: Path) -> None:
    """File ▸ Import history after the French CSV's valid rows were imported, then an older import
    undone."""
    from relay_app.imports import check, open_import, undo_batch, write
    from relay_app.ui.imports.history import ImportHistoryDialog

    partners = services.records("partners")
    source = services.database.path.parent / "partenaires.csv"
    undone = write(partners, check(partners, open_import(partners, source)), valid_only=True)
    if undone.batch_id is not None:
        undo_batch(services.database, partners, undone.batch_id)
    write(partners, check(partners, open_import(partners, source)), valid_only=True)
    dialog = ImportHistoryDialog(services, window.changes, window)
    dialog.show()
    deadline = time.monotonic() + 20
    while dialog.table.rowCount() < 2 and time.monotonic() < deadline:
        app.processEvents()
    settle(app, 0.5)
    save(dialog.grab(), out / "import-history.png")
    dialog.close()


def dialogs(app: QApplication, window: QMainWindow, services: Services, out: Path) -> None:
    """The welcome, the shortcuts sheet and About, each grabbed alone at its own size."""
    from relay_app.ui.about import AboutDialog
    from relay_app.ui.help import ShortcutsSheet
    from relay_app.ui.unlock import UnlockDialog
    from relay_app.ui.welcome import WelcomeDialog

    shown: list[tuple[str, QDialog]] = [
        ("unlock", UnlockDialog(resolve_paths(services.database.path.parent), window)),
        ("welcome", WelcomeDialog(window)),
        ("shortcuts", ShortcutsSheet(window)),
        ("about", AboutDialog(services, window)),
    ]
    for name, dialog in shown:
        dialog.show()
        app.processEvents()
        save(dialog.grab(), out / f"{name}.png")
        dialog.close()


if __name__ == "__main__":
    main()
