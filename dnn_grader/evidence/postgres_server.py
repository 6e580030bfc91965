"""A throw-away PostgreSQL server on 127.0.0.1, for tests and benchmarks of the PostgreSQL gradebook.

Uses Debian's server binaries (package `postgresql`); as root, the server runs as
the `postgres` account that package creates (initdb refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin/ folder, or None when there is none."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def temporary_server(database: str = "gradebook") -> Iterator[str]:
    """Start a server with an empty `database`; yield its SQLAlchemy URL; stop and delete it afterwards."""
    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server is not installed: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="dnn-postgres-"))
    as_owner = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port, data = free_port(), folder / "data"

    def run(*command: str) -> None:
        subprocess.run([*as_owner, *command], check=True, capture_output=True, text=True)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        url = f"postgresql://grader@127.0.0.1:{port}"
        create_database(url, database)
        yield f"{url}/{database}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """CREATE DATABASE name on the server at server_url (no database part); returns the database's URL."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"
