"""Run `relay-app` in-process against a fresh data folder and capture what it prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from relay_app.cli.main import main


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Cli = Callable[..., Outcome]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """``cli("records", "list", "partners")`` runs main() with ``--data-dir`` set."""

    def run(*argv: str, data: Path | None = None) -> Outcome:
        capsys.readouterr()  # drop anything printed before this command
        code = main(["--data-dir", str(data or data_dir), *argv])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


@pytest.fixture
def json_file(tmp_path: Path) -> Callable[[Any], str]:
    """Write ``value`` as a JSON file and return its path, as a person would prepare one."""
    counter = iter(range(1_000_000))

    def write(value: Any) -> str:
        path = tmp_path / f"input-{next(counter)}.json"
        path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write
