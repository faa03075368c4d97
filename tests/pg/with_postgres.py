"""Run a command (the test suite) with a throwaway PostgreSQL on loopback.

``make test`` runs ``python tests/pg/with_postgres.py -- python -m pytest``: this installs
Debian's ``postgresql`` with apt-get when its binaries are missing, initdb's a fresh cluster
in a temporary folder (as the ``postgres`` user when run as root, because initdb refuses
root), starts it on 127.0.0.1 on a free port, creates a database, runs the command with
``CASELENS_TEST_POSTGRES_URL`` set (so the store tests also run on PostgreSQL), then stops
the server and deletes the cluster whatever the command's outcome.

Set ``CASELENS_TEST_POSTGRES=off`` to run the command without PostgreSQL (SQLite only);
an already-set ``CASELENS_TEST_POSTGRES_URL`` is used as it is.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "caselens_test"
DB_USER = "caselens"


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL could not be installed or started (message says which step and how to skip)."""


def _say(message: str) -> None:
    print(f"[with_postgres] {message}", file=sys.stderr, flush=True)


def find_bindir() -> Path | None:
    """The newest Debian PostgreSQL bin folder holding initdb and pg_ctl, if any."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    return None


def install_postgres() -> Path:
    """apt-get install postgresql (root only); returns the bin folder."""
    if os.geteuid() != 0:
        raise PostgresUnavailableError(
            "PostgreSQL binaries not found and not running as root to apt-get install them; "
            "install Debian's 'postgresql' package or set CASELENS_TEST_POSTGRES=off"
        )
    _say("PostgreSQL not found: apt-get install postgresql")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
    ):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise PostgresUnavailableError(
                f"{' '.join(cmd[:2])} failed ({done.returncode}): {done.stderr.strip()[-400:]}"
            )
    found = find_bindir()
    if found is None:
        raise PostgresUnavailableError("apt-get installed postgresql but initdb was not found")
    return found


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(cmd: Sequence[str], owner: str | None) -> list[str]:
    """Run as ``owner`` (via runuser) when we are root; otherwise as ourselves."""
    if owner is None:
        return list(cmd)
    return ["runuser", "-u", owner, "--", *cmd]


def _run(cmd: Sequence[str], owner: str | None, step: str) -> None:
    done = subprocess.run(_as_owner(cmd, owner), capture_output=True, text=True)
    if done.returncode != 0:
        raise PostgresUnavailableError(
            f"{step} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}"
        )


@contextmanager
def throwaway_postgres(bindir: Path | None = None) -> Iterator[str]:
    """Start a fresh cluster on 127.0.0.1 and yield its SQLAlchemy URL; always tear down."""
    bindir = bindir or find_bindir() or install_postgres()
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        try:
            import pwd

            pwd.getpwnam(owner)
        except KeyError as exc:
            raise PostgresUnavailableError("running as root but no 'postgres' user exists") from exc
    root = Path(tempfile.mkdtemp(prefix="caselens-pg-"))
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    sockets.mkdir()
    if owner is not None:
        shutil.chown(root, owner)
        shutil.chown(sockets, owner)
    port = free_port()
    started = False
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                DB_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            owner,
            "initdb",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            owner,
            "pg_ctl start",
        )
        started = True
        _run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER, DB_NAME],
            owner,
            "createdb",
        )
        _say(f"PostgreSQL {bindir.parent.name} on 127.0.0.1:{port}, database {DB_NAME}")
        yield f"postgresql+psycopg://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner
                ),
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if os.environ.get("CASELENS_TEST_POSTGRES", "").lower() in {"off", "0", "no", "false"}:
        _say("CASELENS_TEST_POSTGRES=off: running without PostgreSQL")
        return subprocess.call(args)
    if os.environ.get("CASELENS_TEST_POSTGRES_URL"):
        _say("using the CASELENS_TEST_POSTGRES_URL already set")
        return subprocess.call(args)
    try:
        with throwaway_postgres() as url:
            return subprocess.call(args, env={**os.environ, "CASELENS_TEST_POSTGRES_URL": url})
    except PostgresUnavailableError as exc:
        _say(f"cannot start PostgreSQL: {exc}")
        _say("set CASELENS_TEST_POSTGRES=off to run the tests on SQLite only")
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
