"""The file formats Relay reads and writes, recognised by extension."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from relay_app.i18n import _


class TransferError(Exception):
    """A file could not be read or written; ``message`` is one translated line for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    GEOJSON = "geojson"

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> FileFormat:
        """The format named by the file's extension, whatever its case."""
        suffix = Path(path).suffix.lower().lstrip(".")
        try:
            return cls(suffix)
        except ValueError:
            supported = ", ".join(f".{member.value}" for member in cls)
            raise TransferError(
                _("{name}: unsupported file type; use one of {supported}.").format(
                    name=Path(path).name, supported=supported
                )
            ) from None
