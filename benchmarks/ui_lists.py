"""Open the partner list over 100,000 records and time what a person waits for (run by hand).

    .venv/bin/python benchmarks/ui_lists.py [--rows 100000] [--data-dir DIR]

Rows are made with ``import_rows`` (one transaction), so building the data set takes well under a
minute; a data dir given with --data-dir is reused when it already holds enough partners.
Prints the time to the list's first paint and the latency of a few searches typed in the box.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject
from PySide6.QtWidgets import QApplication

from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.transfer import SourceRow

COUNTRIES = ("SN", "ML", "BF", "FR", "PE", "IN", "KE", "BR")
COLLEGES = (
    "research_education",
    "farmers_foresters_organisations",
    "civil_society_ngos",
    "private_companies",
)
WORDS = (
    "soil",
    "carbon",
    "agroforestry",
    "compost",
    "mulch",
    "terraces",
    "cover",
    "crops",
    "grazing",
    "restoration",
    "sahel",
    "andes",
    "biochar",
    "hedges",
)


def fill(services: Services, rows: int) -> None:
    partners = services.records("partners")
    missing = rows - partners.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    source = [
        SourceRow(
            number,
            {
                "name": f"{WORDS[number % len(WORDS)].title()} cooperative {number}",
                "kind": "partner" if number % 3 else "member",
                "college": COLLEGES[number % len(COLLEGES)],
                "country": COUNTRIES[number % len(COUNTRIES)],
                "city": f"Town {number % 997}",
                "activities": " ".join(WORDS[(number + k) % len(WORDS)] for k in range(5)),
            },
        )
        for number in range(2, missing + 2)
    ]
    report = services.import_rows("partners", source)
    if report.errors:
        sys.exit(f"could not build the data set: {report.errors[:3]}")
    print(f"created {report.created:,} partners in {time.perf_counter() - started:.1f} s")


class PaintWatch(QObject):
    """Notes when the table's viewport first paints."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.perf_counter()
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data-dir")
    arguments = parser.parse_args()
    data_dir = Path(arguments.data_dir or tempfile.mkdtemp(prefix="relay-bench-"))
    app = QApplication([])
    from relay_app.services.drafts import DraftStore
    from relay_app.ui.changes import DataChanges
    from relay_app.ui.records.panel import RecordPanel

    paths = resolve_paths(data_dir)
    with open_services(paths) as services:
        fill(services, arguments.rows)
        watch = PaintWatch()
        started = time.perf_counter()
        panel = RecordPanel(services, "partners", DraftStore(paths.drafts), DataChanges())
        panel.table.viewport().installEventFilter(watch)
        panel.resize(1200, 800)
        panel.show()
        while watch.painted_at is None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        print(
            f"partners: {panel.model.total or 0:,}; list shown with its first "
            f"{panel.model.rowCount()} rows in {(watch.painted_at - started) * 1000:.0f} ms"
        )

        latencies = []
        for query in (
            "soil",
            "carb",
            "cooperative 4242",
            "sahel biochar",
            "town 99",
            "biochar hed",
        ):
            began = time.perf_counter()
            panel.search.setText(query)
            panel.apply_query()  # what the 250 ms debounce timer calls
            QCoreApplication.processEvents()
            latencies.append((time.perf_counter() - began) * 1000)
            print(
                f"search {query!r}: first {panel.model.rowCount()} matches "
                f"({panel.count_label.text()}) in {latencies[-1]:.1f} ms"
            )
        print(
            f"search latency: median {statistics.median(latencies):.1f} ms, "
            f"max {max(latencies):.1f} ms (plus the 250 ms typing debounce)"
        )
        began = time.perf_counter()
        panel.search.clear()
        panel.apply_query()
        panel.model.sort(panel.model.columns.index("city"))
        print(f"sorted 100k rows by city: {(time.perf_counter() - began) * 1000:.0f} ms")
        panel.close()


if __name__ == "__main__":
    main()
