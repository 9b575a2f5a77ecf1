"""Import and export of records as CSV, XLSX, JSON and GeoJSON files (no Qt here)."""

from relay_app.transfer.formats import FileFormat, TransferError
from relay_app.transfer.reading import SourceRow, read_rows
from relay_app.transfer.writing import write_geojson, write_table

__all__ = [
    "FileFormat",
    "SourceRow",
    "TransferError",
    "read_rows",
    "write_geojson",
    "write_table",
]
