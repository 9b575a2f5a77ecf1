"""Shared fixtures: offscreen Qt, English by default, a fresh migrated data dir per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from relay_app.config import Paths, resolve_paths
from relay_app.i18n import set_language
from tests.patient_qtbot import PatientQtBot


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def qtbot(qapp, request: pytest.FixtureRequest) -> PatientQtBot:  # type: ignore[no-untyped-def]
    """pytest-qt's qtbot, with waits a slow, busy machine can meet (tests/patient_qtbot.py)."""
    return PatientQtBot(request)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def services(paths: Paths):  # type: ignore[no-untyped-def]
    from relay_app.services import open_services

    with open_services(paths) as opened:
        yield opened
