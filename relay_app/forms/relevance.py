"""Declarative conditions on a record's values: when a field applies, when it becomes required.

Conditions are plain data, so the UI can read ``depends_on`` to know which edits should
re-evaluate them, and the same definitions run unchanged on the sync server. They are evaluated
on cleaned values (after coercion and defaults).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def is_set(value: Any) -> bool:
    """True for a value a person actually gave: not None, not blank, not an empty list."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | frozenset):
        return bool(value)
    return True


class Condition(ABC):
    """A yes/no question about a record, naming the fields it reads."""

    @property
    @abstractmethod
    def depends_on(self) -> tuple[str, ...]: ...

    @abstractmethod
    def evaluate(self, values: Mapping[str, Any]) -> bool: ...


@dataclass(frozen=True)
class Equals(Condition):
    """The field holds exactly ``value``."""

    field: str
    value: Any

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.field,)

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        return values.get(self.field) == self.value


@dataclass(frozen=True)
class IsSet(Condition):
    """The field has a value."""

    field: str

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.field,)

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        return is_set(values.get(self.field))


@dataclass(frozen=True, init=False)
class AnySet(Condition):
    """At least one of the fields has a value."""

    fields: tuple[str, ...]

    def __init__(self, *fields: str) -> None:
        if not fields:
            raise ValueError("AnySet needs at least one field")
        object.__setattr__(self, "fields", tuple(fields))

    @property
    def depends_on(self) -> tuple[str, ...]:
        return self.fields

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        return any(is_set(values.get(name)) for name in self.fields)


@dataclass(frozen=True, init=False)
class AllSet(Condition):
    """Every one of the fields has a value."""

    fields: tuple[str, ...]

    def __init__(self, *fields: str) -> None:
        if not fields:
            raise ValueError("AllSet needs at least one field")
        object.__setattr__(self, "fields", tuple(fields))

    @property
    def depends_on(self) -> tuple[str, ...]:
        return self.fields

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        return all(is_set(values.get(name)) for name in self.fields)
