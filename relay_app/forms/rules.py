"""Rules that involve more than one field: derived defaults and cross-field checks.

Like conditions they are data: ``fields`` names what they read, so the validator can skip a
rule whose inputs already failed (one mistake is reported once) and the UI can tell which
edits should re-run it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relay_app import codelists
from relay_app.forms import errors as codes
from relay_app.forms.errors import FieldError
from relay_app.forms.fields import Field
from relay_app.forms.media_types import is_media_type
from relay_app.forms.relevance import is_set
from relay_app.i18n import _


class Derivation(ABC):
    """Fills ``target`` from other fields when the person left it empty."""

    target: str

    @property
    @abstractmethod
    def fields(self) -> tuple[str, ...]: ...

    @abstractmethod
    def derive(self, values: Mapping[str, Any]) -> Any:
        """The derived value, or None when it cannot be derived."""


@dataclass(frozen=True)
class RegionFromCountry(Derivation):
    """An empty region takes the UN M49 sub-region of the record's country."""

    target: str = "region"
    country: str = "country"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.country,)

    def derive(self, values: Mapping[str, Any]) -> Any:
        country = values.get(self.country)
        return codelists.region_of_country(country) if is_set(country) else None


class CrossFieldRule(ABC):
    """A check on several cleaned values at once; reports at most one error."""

    @property
    @abstractmethod
    def fields(self) -> tuple[str, ...]: ...

    @abstractmethod
    def check(self, values: Mapping[str, Any], by_name: Mapping[str, Field]) -> FieldError | None:
        """The error found, named on the field the person should correct, or None."""


@dataclass(frozen=True)
class DateOrder(CrossFieldRule):
    """``end`` may not come before ``start``; the error is reported on ``end``."""

    start: str
    end: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.start, self.end)

    def check(self, values: Mapping[str, Any], by_name: Mapping[str, Field]) -> FieldError | None:
        start, end = values.get(self.start), values.get(self.end)
        if start is None or end is None or end >= start:
            return None
        message = _("{field} must be on or after {other}.").format(
            field=_(by_name[self.end].label), other=_(by_name[self.start].label)
        )
        params = {"start": start.isoformat(), "end": end.isoformat()}
        return FieldError(self.end, codes.DATE_ORDER, message, params)


@dataclass(frozen=True)
class CoordinatesPair(CrossFieldRule):
    """A position needs both latitude and longitude; the error names the missing one."""

    latitude: str = "latitude"
    longitude: str = "longitude"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.latitude, self.longitude)

    def check(self, values: Mapping[str, Any], by_name: Mapping[str, Field]) -> FieldError | None:
        has_latitude = values.get(self.latitude) is not None
        has_longitude = values.get(self.longitude) is not None
        if has_latitude == has_longitude:
            return None
        missing, given = (
            (self.longitude, self.latitude) if has_latitude else (self.latitude, self.longitude)
        )
        message = _("{field} is needed when {other} is given.").format(
            field=_(by_name[missing].label), other=_(by_name[given].label)
        )
        return FieldError(missing, codes.COORDINATES_INCOMPLETE, message, {"given": given})


@dataclass(frozen=True)
class ContentHash(CrossFieldRule):
    """A file's content address: 64 lowercase hexadecimal digits (its sha256)."""

    field: str = "sha256"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, values: Mapping[str, Any], by_name: Mapping[str, Field]) -> FieldError | None:
        value = values.get(self.field)
        if value is None or _is_sha256(value):
            return None
        message = _("{field} must be the 64 hexadecimal digits of a SHA-256 hash.").format(
            field=_(by_name[self.field].label)
        )
        return FieldError(self.field, codes.INVALID_TYPE, message, {"value": value})


@dataclass(frozen=True)
class MediaType(CrossFieldRule):
    """A file's declared media type: a bare `type/subtype` that is safe in an HTTP header."""

    field: str = "media_type"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def check(self, values: Mapping[str, Any], by_name: Mapping[str, Field]) -> FieldError | None:
        value = values.get(self.field)
        if value is None or is_media_type(value):
            return None
        message = _("{field} must be a media type such as image/jpeg.").format(
            field=_(by_name[self.field].label)
        )
        return FieldError(self.field, codes.INVALID_TYPE, message, {"value": value})


def _is_sha256(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
