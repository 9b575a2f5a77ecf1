"""A throwaway PostgreSQL cluster for the tests, run by an unprivileged user on a free port."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_USER = "relay"
SYSTEM_USER = "postgres"


def find_pg_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresCluster:
    folder: Path
    port: int
    as_user: list[str]
    pg_ctl: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def admin_url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/postgres"

    def create_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = f"central_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if not self.data.exists():
            return
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> PostgresCluster:
    """initdb + pg_ctl start; as the `postgres` system user when run as root (initdb refuses root)."""
    initdb = find_pg_binary("initdb")
    pg_ctl = find_pg_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise FileNotFoundError("initdb")
    folder = Path(tempfile.mkdtemp(prefix="relay-central-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", SYSTEM_USER, "--"]
        shutil.chown(folder, SYSTEM_USER)
    data = folder / "data"
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
         "--no-sync", "--no-instructions"],
        capture_output=True,
        check=True,
    )
    port = _free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
         "-w", "-t", "60", "start"],
        capture_output=True,
        check=True,
    )
    cluster = PostgresCluster(folder, port, as_user, pg_ctl)
    # Also when the run is interrupted before the fixture's own teardown.
    atexit.register(cluster.stop)
    return cluster
