"""Fixtures: a real central server per test, on SQLite and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from relay_central.settings import Settings, load_settings
from tests.central.harness import Central, central_servers
from tests.central.postgres import PostgresCluster, start_cluster

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    try:
        cluster = start_cluster()
    except FileNotFoundError:
        pytest.skip("PostgreSQL's initdb was not found; install PostgreSQL to run these variants")
    except subprocess.CalledProcessError as error:
        raise RuntimeError(
            f"the test PostgreSQL cluster did not start: {error.stderr!r}"
        ) from error
    yield cluster
    cluster.stop()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if engine == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        return cluster.create_database()
    return f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}"


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: object) -> Settings:
        return load_settings(database_url=database_url, data_dir=tmp_path / "central",
                             **overrides)

    return build


@pytest.fixture
def start_central(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., Central]]:
    """Start (or restart, on the same database and folder) a server with these settings."""
    with central_servers(make_settings) as start:
        yield start


@pytest.fixture
def central(start_central: Callable[..., Central]) -> Central:
    return start_central()
