"""The list model: pages loaded on demand, sorting and searching done by the database."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from relay_app.services import Services
from relay_app.transfer import SourceRow
from relay_app.ui.records.table_model import ID_ROLE, RecordTableModel
from tests import factories


def _fill(services: Services, count: int) -> None:
    rows = [
        SourceRow(
            number, factories.partner(name=f"Partner {number:04d}", city=f"City {number % 7}")
        )
        for number in range(count)
    ]
    report = services.import_rows("partners", rows)
    assert report.created == count


def test_rows_load_a_page_at_a_time(services: Services) -> None:
    _fill(services, 450)
    model = RecordTableModel(services.records("partners"), ("name", "city"))
    assert model.total == 450
    assert model.rowCount() == model.PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    ids = {model.data(model.index(row, 0), ID_ROLE) for row in range(450)}
    assert len(ids) == 450


def test_sorting_is_done_by_the_database_across_pages(services: Services) -> None:
    _fill(services, 300)
    model = RecordTableModel(services.records("partners"), ("name", "city"))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Partner 0299"  # not just the first page reversed
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == "Partner 0000"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"


def test_search_learns_its_size_by_paging(services: Services) -> None:
    _fill(services, 450)
    model = RecordTableModel(services.records("partners"), ("name", "city"))
    model.set_query("partner", {})
    assert model.total is None  # more matches than one page: not counted up front
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.total == 450
    model.set_query("0042", {})
    assert model.total == 1
    assert model.data(model.index(0, 0)) == "Partner 0042"
    model.set_query(None, {"city": "City 3"})
    assert model.total == len([n for n in range(450) if n % 7 == 3])
