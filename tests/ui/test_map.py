"""The Map page, driven as a person does: keys, wheel turns and clicks sent through the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from relay_app.geo.clustering import Cluster
from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from relay_app.ui.map.page import MapPage
from relay_app.ui.map.view import GLIDE_MS
from tests import factories

DAKAR = (14.6928, -17.4467)
THIES = (14.7910, -16.9359)
PARIS = (48.8566, 2.3522)


def add_partner(services: Services, name: str, place: tuple[float, float] | None, **values: object) -> str:
    latitude, longitude = place if place is not None else (None, None)
    return services.records("partners").create(factories.partner(
        name=name, acronym=None, latitude=latitude, longitude=longitude, **values)).id


def open_map(window: MainWindow, qtbot: QtBot) -> MapPage:
    """Ctrl+3, as a person opens the map; the markers are read once the page shows."""
    page = window.map_page
    for kind in ("partners", "practices"):  # records written through the services, as a sync does
        window.changes.records_changed.emit(kind)
    with qtbot.waitSignal(page.content_shown):
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "map"
    page.view.reset_view()
    repaint(page)
    return page


def repaint(page: MapPage) -> None:
    page.view.viewport().repaint()
    QApplication.processEvents()


def drawn(page: MapPage) -> list[Cluster]:
    repaint(page)
    return list(page.view.markers.drawn)


def test_markers_for_records_with_a_position_and_a_count_of_the_others(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    paris = add_partner(services, "Paris network", PARIS)
    add_partner(services, "Lost cooperative", None)
    page = open_map(window, qtbot)
    shown = {record_id for cluster in drawn(page) for record_id in cluster.ids}
    assert shown == {dakar, paris}
    assert page.count_label.text() == "2 partners on the map"
    assert page.unplaced_label.text() == "1 partner has no position"
    legend = page.side.legend.text()
    assert "Partners by college" in legend and "Research and education" in legend


def test_neighbours_share_a_marker_at_world_scale_and_part_when_zoomed(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    thies = add_partner(services, "Thiès farmers", THIES)
    add_partner(services, "Paris network", PARIS)
    page = open_map(window, qtbot)
    world = drawn(page)
    assert sorted(cluster.count for cluster in world) == [1, 2]
    pair = next(cluster for cluster in world if cluster.count == 2)
    assert set(pair.ids) == {dakar, thies}
    view = page.view
    # Keyboard: + zooms in around the centre; then centre on Senegal and zoom with the wheel there.
    view.setFocus()
    scale = view.scale_factor
    frames: list[float] = []
    view.zoomed.connect(lambda: frames.append(view.scale_factor))
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    # A glide, not a jump. Its clock is stepped here: how many frames a busy machine draws in
    # GLIDE_MS is the machine's business (a late one draws one), the way through them the view's.
    assert view.gliding and frames == []
    view.glide.pause()
    for elapsed in range(0, GLIDE_MS + 1, GLIDE_MS // 4):
        view.glide.setCurrentTime(elapsed)
    qtbot.waitUntil(lambda: not view.gliding)
    assert view.scale_factor == pytest.approx(scale * 1.25)
    assert len(set(frames)) > 2 and frames == sorted(frames)  # it glided there, frame by frame
    view.centerOn(QPointF(pair.x, pair.y))
    spot = view.device_position(pair.x, pair.y)
    while view.level < 8:  # 50 km apart: a few hundred pixels at level 8, both in sight
        wheel = QWheelEvent(QPointF(spot), QPointF(view.viewport().mapToGlobal(spot)), QPoint(),
                            QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), wheel)
    assert view.level == 8
    apart = [cluster for cluster in drawn(page) if {dakar, thies} & set(cluster.ids)]
    assert sorted(cluster.ids for cluster in apart) == sorted([(dakar,), (thies,)])
    # Home shows the whole world again, with the pair together.
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: not view.gliding)
    assert view.level == 0
    assert sorted(cluster.count for cluster in drawn(page)) == [1, 2]
    # Two quick presses add up; arrows pan: the centre moves east.
    fitted = view.scale_factor
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: not view.gliding)
    assert view.scale_factor == pytest.approx(fitted * 1.25 * 1.25)
    before = view.mapToScene(view.viewport().rect().center())
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: not view.gliding)
    assert view.mapToScene(view.viewport().rect().center()).x() > before.x()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.waitUntil(lambda: not view.gliding)
    assert view.scale_factor == pytest.approx(fitted * 1.25)


def test_a_click_on_a_marker_opens_its_record_and_on_a_group_zooms_in(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    add_partner(services, "Dakar soil lab", DAKAR)
    add_partner(services, "Thiès farmers", THIES)
    paris = add_partner(services, "Paris network", PARIS)
    page = open_map(window, qtbot)
    view = page.view
    pair = next(cluster for cluster in drawn(page) if cluster.count == 2)
    before = view.scale_factor
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.device_position(pair.x, pair.y))
    assert view.scale_factor > before
    view.reset_view()
    alone = next(cluster for cluster in drawn(page) if cluster.ids == (paris,))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.device_position(alone.x, alone.y))
    assert window.current_view() == "partners"
    panel = window.panels["partners"]
    assert panel.detail.record is not None and panel.detail.record.id == paris
    assert panel.selected_id() == paris


def test_the_list_filters_apply_to_the_map(window: MainWindow, services: Services, qtbot: QtBot) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR, college="research_education")
    add_partner(services, "Paris network", PARIS, college="civil_society_ngos", country="FR")
    add_partner(services, "Lost cooperative", None, college="civil_society_ngos")
    page = open_map(window, qtbot)
    panel = window.panels["partners"]
    with qtbot.waitSignal(page.content_shown):
        panel.filters.set_value("college", "research_education")
    assert {record_id for cluster in drawn(page) for record_id in cluster.ids} == {dakar}
    assert page.unplaced_label.text() == ""
    with qtbot.waitSignal(page.content_shown):
        panel.filters.set_value("college", None)
        panel.search.setText("paris")
    assert [cluster.count for cluster in drawn(page)] == [1]
    assert page.count_label.text() == "1 partner on the map"


def test_practices_coloured_by_category_and_by_area(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    practices = services.records("practices")
    sahel = practices.create(factories.practice(latitude=14.0, longitude=-16.0)).id
    practices.create(factories.practice(land_use="grazing_land", category="rotational_grazing",
                                        latitude=-1.0, longitude=36.0))
    page = open_map(window, qtbot)
    with qtbot.waitSignal(page.content_shown):
        page.set_kind("practices")
    assert "Practices by category" in page.side.legend.text() and "Agroforestry" in page.side.legend.text()
    assert len(drawn(page)) == 2
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.areas.rowCount() == 2)
    row = next(row for row in range(2) if page.areas.item(row, 2).text() == "Cropland")
    assert page.areas.item(row, 5).text() == "10\u00a0‰/yr"
    rect = page.areas.visualItemRect(page.areas.item(row, 0))
    with qtbot.waitSignal(page.content_shown):  # a double click: press, release, again
        QTest.mouseClick(page.areas.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(page.areas.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.tabs.currentIndex() == 0
    assert "Tropical dry · Arenosols · Cropland" in page.area_label.text()
    assert [cluster.ids for cluster in drawn(page)] == [(sahel,)]
    with qtbot.waitSignal(page.content_shown):
        page.show_all_button.click()
    assert len(drawn(page)) == 2


def test_best_areas_first_ringed_and_the_selected_practice_area(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    practices = services.records("practices")
    best = practices.create(factories.practice(latitude=14.0, longitude=-16.0)).id  # 10 ‰/yr
    modest = practices.create(factories.practice(  # (40.4 - 40) / 40 / 5 y = 2 ‰/yr
        land_use="grazing_land", category="rotational_grazing", soc_before_t_ha=40, soc_after_t_ha=40.4,
        soc_years=5, latitude=-1.0, longitude=36.0)).id
    unmeasured = practices.create(factories.practice(
        land_use="forest_woodland", soc_before_t_ha=None, soc_after_t_ha=None, soc_years=None,
        soc_depth_cm=None, latitude=45.0, longitude=5.0)).id
    page = open_map(window, qtbot)
    with qtbot.waitSignal(page.content_shown):
        page.set_kind("practices")
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.areas.rowCount() == 3)
    page.best_first_button.click()
    shown = [page.areas.area_at(row) for row in range(3)]
    assert [area.practice_ids for area in shown if area] == [(best,), (modest,), (unmeasured,)]
    page.tabs.setCurrentIndex(0)
    page.best_button.click()  # the best 3 measured areas' practices get a ring: the two measured
    assert page.content is not None and page.content.highlighted == frozenset({best, modest})
    # The practice selected in the list: its area's practices only.
    window.show_view("practices")
    assert window.panels["practices"].select(modest)
    window.show_view("map")
    with qtbot.waitSignal(page.content_shown):
        page.same_area_button.click()
    assert "Grazing land" in page.area_label.text()
    assert [cluster.ids for cluster in drawn(page)] == [(modest,)]


def test_nearest_partners_in_the_detail_pane_and_for_a_place_on_the_map(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    add_partner(services, "Thiès farmers", THIES, email="thies@example.org")
    add_partner(services, "Paris network", PARIS)
    window.changes.records_changed.emit("partners")
    window.show_view("partners")
    panel = window.panels["partners"]
    with qtbot.waitSignal(panel.detail.neighbours_shown):  # found on the database thread
        panel.select(dakar)
    text = panel.detail.toPlainText()
    assert "Nearest partners" in text
    assert text.index("Thiès farmers") < text.index("Paris network")
    assert "56 km" in text and "thies@example.org" in text
    page = open_map(window, qtbot)
    view = page.view
    x, y = page.content.index.point(dakar).x, page.content.index.point(dakar).y  # type: ignore[union-attr]
    off_the_coast = view.device_position(x - 2, y)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=off_the_coast)
    qtbot.waitUntil(lambda: page.side.entries.count() == 3)
    assert page.side.entries.item(0).text().startswith("Dakar soil lab — ")
    # Off the coast: the place is named by its position alone (no country there).
    assert page.side.title.text().startswith("Partners nearest to 14.")
    assert ", -18." in page.side.title.text()
    assert page.content is not None and len(page.content.highlighted) == 3


def test_the_map_works_and_exports_with_the_network_unreachable(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, dead)
    add_partner(services, "Dakar soil lab", DAKAR)
    page = open_map(window, qtbot)
    assert len(drawn(page)) == 1
    assert page.export(tmp_path / "map.png", width=900)
    assert page.export(tmp_path / "map.svg", width=900, whole_world=True)
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "map.png"))
    assert image.width() == 900 and image.height() > 300
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "Partners by college" in svg and "1 partner on the map" in svg


def test_the_about_box_notes_how_borders_are_drawn(window: MainWindow) -> None:
    from relay_app.ui.about import AboutDialog

    dialog = AboutDialog(window._services, window)
    assert "Natural Earth" in dialog.map_note.text() and "disputed" in dialog.map_note.text()
    dialog.close()


def test_touchpad_pinch_and_two_finger_scroll_and_a_mouse_drag(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent, QNativeGestureEvent, QPointingDevice

    paris = add_partner(services, "Paris network", PARIS)
    page = open_map(window, qtbot)
    view = page.view
    middle = QPointF(view.viewport().width() / 2, view.viewport().height() / 2)
    # A pinch (a native zoom gesture, as macOS and Wayland touchpads send) zooms in.
    before = view.scale_factor
    pinch = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture, QPointingDevice.primaryPointingDevice(), 2, middle, middle,
        QPointF(view.viewport().mapToGlobal(middle.toPoint())), 0.5, QPointF(0, 0))
    QApplication.sendEvent(view.viewport(), pinch)
    assert view.scale_factor == before * 1.5
    # Two fingers scrolling on a touchpad (pixel deltas) move the map and keep the zoom.
    centre = view.mapToScene(view.viewport().rect().center())
    scroll = QWheelEvent(middle, QPointF(view.viewport().mapToGlobal(middle.toPoint())), QPoint(-40, 0),
                         QPoint(-40, 0), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.ScrollUpdate, False)
    QApplication.sendEvent(view.viewport(), scroll)
    assert view.scale_factor == before * 1.5
    assert view.mapToScene(view.viewport().rect().center()).x() > centre.x()
    # A mouse drag that starts on a marker moves the map and opens nothing.
    marker = page.content.index.point(paris)  # type: ignore[union-attr]
    start = view.device_position(marker.x, marker.y)  # type: ignore[union-attr]
    centre = view.mapToScene(view.viewport().rect().center())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        moved = QPointF(start.x() + 20 * step, start.y())
        QApplication.sendEvent(view.viewport(), QMouseEvent(
            QEvent.Type.MouseMove, moved, QPointF(view.viewport().mapToGlobal(moved.toPoint())),
            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(start.x() + 100, start.y()))
    assert view.mapToScene(view.viewport().rect().center()).x() < centre.x()  # dragged east: map west
    assert window.current_view() == "map"


def test_the_place_under_the_mouse_is_named_in_the_interface_language(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    from relay_app.geo.projection import project
    from relay_app.i18n import set_language

    add_partner(services, "Dakar soil lab", DAKAR)
    page = open_map(window, qtbot)
    view = page.view
    inland = view.device_position(*project(-15.0, 14.5))
    set_language("fr")
    QTest.mouseMove(view.viewport(), inland)
    qtbot.waitUntil(lambda: page.place_label.text().startswith("Sénégal — "))
    latitude, longitude = (
        float(part.replace(",", ".")) for part in page.place_label.text().split(" — ")[1].split(", ")
    )
    assert abs(latitude - 14.5) < 0.5 and abs(longitude + 15.0) < 0.5  # within a pixel or two
    QTest.mouseMove(view.viewport(), view.device_position(*project(-30.0, 0.0)))
    # At sea (the mid-Atlantic), the position alone.
    qtbot.waitUntil(lambda: bool(page.place_label.text()) and "—" not in page.place_label.text())
    longitude = float(page.place_label.text().split(", ")[-1].replace(",", "."))
    assert -30.5 < longitude < -29.5
