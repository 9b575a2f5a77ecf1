"""Errors the services raise; each carries a translated, one-line message for people."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from relay_app.i18n import _, ngettext

if TYPE_CHECKING:
    from relay_app.forms import FieldError
    from relay_app.services.importing import ImportReport


class ServiceError(Exception):
    """Base of every error a person can act on; ``str(error)`` is the message to show."""


class NotFound(ServiceError):
    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(_("No record with id {id} in {kind}.").format(id=record_id, kind=kind))


class UnknownKind(ServiceError):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(_("Unknown record type: {kind}.").format(kind=kind))


class ValidationFailed(ServiceError):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        details = "; ".join(
            _("{field}: {message}").format(field=error.field, message=error.message)
            if error.field
            else error.message
            for error in self.errors
        )
        super().__init__(
            ngettext("The record has {count} error: {details}", "The record has {count} errors: {details}",
                     len(self.errors)).format(count=len(self.errors), details=details)
        )


class ImportFailed(ServiceError):
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        count = len(report.errors)
        super().__init__(
            ngettext("Nothing was imported: {count} error.", "Nothing was imported: {count} errors.", count)
            .format(count=count)
        )
