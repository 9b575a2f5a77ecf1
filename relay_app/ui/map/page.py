"""The Map page: partners or practices on the world map, the nearest partners to a place, and
practices by area.

The map shows what the Partners or Practices list shows: the same search and filters, read from
that list and followed as they change. Records are read and clustered on the database thread;
the page only draws the result. A click on a marker opens its record; on a group, zooms in.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from relay_app.geo.areas import AreaSummary, area_of, area_words, best_areas
from relay_app.geo.clustering import MAX_LEVEL, Cluster
from relay_app.geo.content import KINDS, MapContent
from relay_app.geo.places import place_text
from relay_app.geo.projection import project
from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.errors import ServiceError
from relay_app.services.mapping import NearbyPartner
from relay_app.ui.changes import DataChanges
from relay_app.ui.language import language_signal
from relay_app.ui.map.areas_table import AreasTable
from relay_app.ui.map.export import WHOLE_WORLD, export_map
from relay_app.ui.map.painting import prepare_world
from relay_app.ui.map.side_panel import MapSidePanel
from relay_app.ui.map.view import MapView
from relay_app.ui.operations import Operation
from relay_app.ui.records.panel import RecordPanel

NEAREST_SHOWN = 10
DEFAULT_EXPORT_WIDTH = 1600
AREA_FIELDS = ("climate_zone", "soil_group", "land_use")
BEST_AREAS = 3


class MapPage(QWidget):
    open_record = Signal(str, str)  # kind, id
    content_shown = Signal()  # a new set of markers is on the map (tests wait for it)

    def __init__(self, services: Services, panels: Mapping[str, RecordPanel], changes: DataChanges) -> None:
        super().__init__()
        self._services = services
        self._panels = panels
        self._generation = 0
        self._stale = True  # the markers are read when the page is first shown
        self._preparing: object | None = None  # the index whose levels are being computed
        self._levels_to_prepare: list[int] = []
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(0)  # as soon as the event queue is empty
        self._prepare_timer.timeout.connect(self._prepare_next_level)
        self.area: AreaSummary | None = None  # practices shown only from this area
        self.content: MapContent | None = None
        self.nearby: list[NearbyPartner] = []

        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem("", kind)
        self.kind.currentIndexChanged.connect(lambda _index: (self._show_area(), self.reload()))
        self._kind_label = QLabel()
        self._kind_label.setBuddy(self.kind)
        self.count_label = QLabel()
        self.unplaced_label = QLabel()
        self.reset_button = QPushButton()
        self.same_area_button = QPushButton()
        self.same_area_button.clicked.connect(self.show_same_area)
        self.best_button = QPushButton()
        self.best_button.setCheckable(True)
        self.best_button.toggled.connect(lambda _on: self._ring_again())
        self.export_button = QPushButton()
        self.area_label = QLabel()
        self.show_all_button = QPushButton()
        self.show_all_button.clicked.connect(lambda: self.set_area(None))

        self.view = MapView()
        self.view.marker_clicked.connect(self._marker_clicked)
        self.view.point_chosen.connect(self.show_nearest_to)
        self.place_label = QLabel()  # the country and position under the mouse
        self._pointer: tuple[float, float] | None = None
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(60)  # name the place once the mouse slows down
        self._place_timer.timeout.connect(self._show_place)
        self.view.pointer_moved.connect(self._pointer_moved)
        self.reset_button.clicked.connect(self.view.reset_view)
        self.export_button.clicked.connect(lambda: self.export())
        self.side = MapSidePanel()
        self.side.open_record.connect(self.open_record)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 230])  # a legend line per college, not a word per line
        self.side.setMinimumWidth(180)

        top = QHBoxLayout()
        top.addWidget(self._kind_label)
        top.addWidget(self.kind)
        top.addWidget(self.count_label)
        top.addWidget(self.unplaced_label, 1)
        top.addWidget(self.reset_button)
        top.addWidget(self.export_button)
        area_row = QHBoxLayout()
        area_row.addWidget(self.area_label, 1)
        area_row.addWidget(self.show_all_button)
        area_row.addStretch(1)  # the buttons keep their size while no area is chosen
        area_row.addWidget(self.same_area_button)
        area_row.addWidget(self.best_button)
        map_tab = QWidget()
        map_layout = QVBoxLayout(map_tab)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addLayout(top)
        map_layout.addLayout(area_row)
        map_layout.addWidget(splitter, 1)
        map_layout.addWidget(self.place_label)

        self.areas = AreasTable()
        self.areas.area_chosen.connect(self.set_area)
        self.best_first_button = QPushButton()
        self.best_first_button.clicked.connect(self.areas.best_first)
        self._areas_hint = QLabel()
        self._areas_hint.setWordWrap(True)
        areas_tab = QWidget()
        areas_layout = QVBoxLayout(areas_tab)
        areas_layout.setContentsMargins(0, 0, 0, 0)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self._areas_hint, 1)
        hint_row.addWidget(self.best_first_button)
        areas_layout.addLayout(hint_row)
        areas_layout.addWidget(self.areas, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(map_tab, "")
        self.tabs.addTab(areas_tab, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        # The lists' search waits for typing to pause; the map follows a little after it.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.reload)
        for panel in panels.values():
            panel.filters.changed.connect(self._timer.start)
            panel.search.textChanged.connect(lambda _text: self._timer.start())
        changes.records_changed.connect(self._records_changed)
        language_signal().changed.connect(self.retranslate_ui)
        self._show_area()
        self.retranslate_ui()
        prepare_world()
        self.reload()

    # -- what the map shows ----------------------------------------------------------------------------

    @property
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def list_query(self, kind: str) -> tuple[str, dict[str, Any]]:
        """The search and filters of ``kind``'s list."""
        panel = self._panels.get(kind)
        return ("", {}) if panel is None else (panel.search.text().strip(), panel.filters.values())

    def query(self, kind: str) -> tuple[str, dict[str, Any]]:
        """What the map shows: the list's search and filters, and the chosen area for practices."""
        text, filters = self.list_query(kind)
        if kind == "practices" and self.area is not None:
            filters.update(dict(zip(AREA_FIELDS, self.area.key, strict=True)))
        return text, filters

    def reload(self) -> None:
        """Read the markers again, now if the page is on screen, else when it comes on screen."""
        self._timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._generation += 1
        generation, kind = self._generation, self.current_kind
        text, filters = self.query(kind)
        service = self._services.map
        Operation(self, lambda _progress: service.content(kind, text, filters)).success(
            lambda content: self._show_content(generation, content)
        ).failure(self._failed).run()
        # The table lists every area the practices list's filters leave, whatever area is chosen.
        listed_text, listed_filters = self.list_query("practices")
        Operation(self, lambda _progress: service.practices_by_area(listed_text, listed_filters)).success(
            lambda areas: self._show_areas(generation, areas)
        ).failure(self._failed).run()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _show_content(self, generation: int, content: MapContent) -> None:
        if not isValid(self) or generation != self._generation:
            return  # an older query's answer: a newer one is on its way
        self._present(content)
        self._prepare_levels(content)
        self.content_shown.emit()

    def _present(self, content: MapContent) -> None:
        """Put ``content`` on the map with the rings of the moment (neighbours, best areas)."""
        content = MapContent(content.kind, content.index, content.unplaced, self._highlighted(content.kind))
        self.content = content
        self.view.set_content(content)
        self._show_counts()

    def _prepare_levels(self, content: MapContent) -> None:
        """Compute the other zoom levels' clusters one at a time while the window is idle, the
        levels next to the view's first, so a zoom step seldom meets a level not ready.

        On the GUI thread on purpose: on a worker, pure Python holding the interpreter lock made
        the window wait for it at every call into Qt (steps of 100-250 ms); here the window waits
        at most one level (20-50 ms for 20,000 records), and only if a key comes meanwhile."""
        if content.index is self._preparing:
            return
        self._preparing = content.index
        current = self.view.level
        self._levels_to_prepare = sorted(range(MAX_LEVEL + 2), key=lambda level: abs(level - current))
        self._prepare_timer.start()

    def _prepare_next_level(self) -> None:
        if self.content is None or self.content.index is not self._preparing or not self._levels_to_prepare:
            return
        self.content.index.clusters(self._levels_to_prepare.pop(0))
        self._prepare_timer.start()

    def _highlighted(self, kind: str) -> frozenset[str]:
        """Records ringed on the map: the partners nearest to a chosen place, or the practices
        of the areas with the best measured gains."""
        if kind == "partners":
            return frozenset(partner.id for partner in self.nearby)
        if self.best_button.isChecked():
            return frozenset(record_id for area in best_areas(self.areas.areas, BEST_AREAS)
                             for record_id in area.practice_ids)
        return frozenset()

    def _show_areas(self, generation: int, areas: list[AreaSummary]) -> None:
        if isValid(self) and generation == self._generation:
            self.areas.show_areas(areas)
            self._ring_again()

    def _ring_again(self) -> None:
        if self.content is not None:
            self._present(self.content)

    def show_same_area(self) -> bool:
        """Show the practices of the area of the practice selected in the Practices list."""
        panel = self._panels.get("practices")
        record_id = panel.selected_id() if panel is not None else None
        if record_id is None:
            self.count_label.setText(_("Select a practice in the Practices list first."))
            return False
        try:
            values = self._services.records("practices").get(record_id).values
        except ServiceError as error:
            self.count_label.setText(str(error))
            return False
        key = area_of(values)
        known = next((area for area in self.areas.areas if area.key == key), None)
        self.set_area(known or AreaSummary(*key, 0, 0, None, ()))
        return True

    def _failed(self, error: BaseException) -> None:
        if not isValid(self):
            return
        if isinstance(error, ServiceError):
            self.count_label.setText(str(error))
            return
        raise error

    def _records_changed(self, kind: str) -> None:
        if kind in KINDS:
            self._timer.start()

    def _show_counts(self) -> None:
        content = self.content
        self.count_label.setText(content.placed_text() if content is not None else "")
        self.unplaced_label.setText(content.unplaced_text() if content is not None else "")
        self.side.show_legend(content)

    # -- areas -----------------------------------------------------------------------------------------

    def set_area(self, area: AreaSummary | None) -> None:
        """Show only the practices of ``area`` on the map (None: every area again)."""
        self.area = area
        self._show_area()
        if area is not None:
            self.set_kind("practices")
            self.tabs.setCurrentIndex(0)
        self.reload()

    def _show_area(self) -> None:
        practices = self.current_kind == "practices"
        self.same_area_button.setVisible(practices)
        self.best_button.setVisible(practices)
        area = self.area
        self.area_label.setVisible(area is not None)
        self.show_all_button.setVisible(area is not None)
        if area is not None:
            climate, soil, land_use = area_words(area.key)
            self.area_label.setText(_("Practices of one area: {climate} · {soil} · {land_use}").format(
                climate=climate, soil=soil, land_use=land_use))

    # -- markers and neighbours ------------------------------------------------------------------------

    def _marker_clicked(self, cluster: Cluster) -> None:
        if cluster.count == 1:
            self.open_record.emit(self.current_kind, cluster.ids[0])
        elif self.view.level <= MAX_LEVEL:
            self.view.zoom_by(4.0, self.view.device_position(cluster.x, cluster.y).toPointF())
        else:  # records at the very same place: list them beside the map
            self._list_records(cluster)

    def _list_records(self, cluster: Cluster) -> None:
        content = self.content
        if content is None:
            return
        self.nearby = []
        points = [content.index.point(record_id) for record_id in cluster.ids]
        self.side.show_records(content.kind, [(point.id, point.title) for point in points if point])

    def show_nearest_to(self, latitude: float, longitude: float) -> None:
        """List the partners nearest to a place (a right click on the map), and ring them there."""
        try:
            self.nearby = self._services.map.nearest_partners_to(latitude, longitude, NEAREST_SHOWN)
        except ServiceError as error:
            self.side.show_problem(str(error))
            return
        place = place_text(*project(longitude, latitude))
        self.side.show_nearby(_("Partners nearest to {place}:").format(place=place), self.nearby)
        self._ring_again()

    def _pointer_moved(self, x: float, y: float) -> None:
        self._pointer = (x, y)
        self._place_timer.start()

    def _show_place(self) -> None:
        if self._pointer is not None:
            self.place_label.setText(place_text(*self._pointer))

    # -- export ----------------------------------------------------------------------------------------

    def export(self, path: Path | None = None, width: int | None = None, whole_world: bool = False) -> bool:
        """Save the map as PNG or SVG at a chosen width: what the view shows, or the whole world."""
        content = self.content
        if content is None:
            return False
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the map"), f"{content.kind}-map.png", _("Pictures (*.png *.svg)"))
            if not chosen:
                return False
            path = Path(chosen)
        if width is None:
            width, accepted = QInputDialog.getInt(
                self, _("Export the map"), _("Width in pixels:"), DEFAULT_EXPORT_WIDTH, 200, 10000, 100)
            if not accepted:
                return False
        region = WHOLE_WORLD if whole_world or self.view.level == 0 else \
            self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        try:
            export_map(path, content, width, region)
        except ServiceError as error:
            QMessageBox.warning(self, _("Export the map"), str(error))
            return False
        return True

    # -- language --------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _("Map"))
        self.tabs.setTabText(1, _("Practices by area"))
        self._kind_label.setText(_("Show:"))
        self.kind.setItemText(0, _("Partners"))
        self.kind.setItemText(1, _("Practices"))
        self.reset_button.setText(_("Whole world (Home)"))
        self.export_button.setText(_("Export PNG/SVG…"))
        self.show_all_button.setText(_("Show all"))
        self.same_area_button.setText(_("Same area as the selected practice"))
        self.same_area_button.setToolTip(_(
            "Show the practices of the climate zone, soil group and land use of the practice "
            "selected in the Practices list"))
        self.best_button.setText(_("Ring the best areas"))
        self.best_button.setToolTip(_(
            "Ring the practices of the {count} areas with the highest mean measured gain of soil "
            "carbon").format(count=BEST_AREAS))
        self.best_first_button.setText(_("Best measured gains first"))
        self.view.setAccessibleName(_("World map"))
        self.view.setToolTip(_(
            "Drag or use the arrow keys to move; wheel, pinch or +/- to zoom; right-click a place "
            "for its nearest partners."))
        self._areas_hint.setText(_(
            "Practices grouped by IPCC climate zone, WRB soil group and land use, with the mean "
            "change of soil organic carbon where measured. Double-click an area to see its "
            "practices on the map."))
        self.side.retranslate_ui()
        self._show_area()
        self._show_counts()
        self.areas.retranslate_ui()
