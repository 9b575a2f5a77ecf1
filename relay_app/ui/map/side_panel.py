"""Beside the map: the legend, and a list of partners near a place (or records at one spot).

An entry activated (double-click, Enter) asks for its record to open.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from relay_app.formatting import format_quantity
from relay_app.geo.content import MapContent
from relay_app.i18n import _
from relay_app.services.mapping import NearbyPartner

RECORD_ROLE = Qt.ItemDataRole.UserRole


class MapSidePanel(QWidget):
    open_record = Signal(str, str)  # kind, id

    def __init__(self) -> None:
        super().__init__()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.entries = QListWidget()
        self.entries.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.title)
        layout.addWidget(self.entries, 1)
        self.retranslate_ui()

    def show_legend(self, content: MapContent | None) -> None:
        if content is None:
            self.legend.clear()
            return
        rows = "".join(
            f"<tr><td><span style='color:{entry.colour}; font-size:14pt'>●</span></td>"
            f"<td>{html.escape(entry.label)}</td></tr>"
            for entry in content.legend()
        )
        self.legend.setText(f"<b>{html.escape(content.legend_title())}</b><table>{rows}</table>")

    def show_nearby(self, title: str, partners: list[NearbyPartner]) -> None:
        self.title.setText(title)
        self.entries.clear()
        for partner in partners:
            contact = " · ".join(value for value in (partner.email, partner.phone) if value)
            distance = format_quantity(partner.distance_km, "length-kilometer", 1)
            text = _("{name} — {distance}").format(name=partner.name, distance=distance)
            self._add(f"{text}\n{contact}" if contact else text, "partners", partner.id)

    def show_records(self, kind: str, records: list[tuple[str, str]]) -> None:
        """Records at one spot (id, title), to pick one."""
        self.title.setText(_("Records at this place:"))
        self.entries.clear()
        for record_id, title in records:
            self._add(title or record_id, kind, record_id)

    def show_problem(self, text: str) -> None:
        self.title.setText(text)
        self.entries.clear()

    def _add(self, text: str, kind: str, record_id: str) -> None:
        item = QListWidgetItem(text)
        item.setData(RECORD_ROLE, (kind, record_id))
        self.entries.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        kind, record_id = item.data(RECORD_ROLE)
        self.open_record.emit(kind, record_id)

    def retranslate_ui(self) -> None:
        if self.entries.count() == 0:
            self.title.setText(_("Right-click a place on the map to see its nearest partners."))
