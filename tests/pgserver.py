"""A throwaway PostgreSQL server for the test suite.

``temporary_postgres()`` starts a private PostgreSQL server of its own (``initdb`` in a
fresh temporary directory, listening on 127.0.0.1 at a free port and on a unix socket in
that directory), creates a brand-new empty database and yields a SQLAlchemy URL for it
(``postgresql+psycopg://accord@127.0.0.1:<port>/accord_test``). On exit it stops the
server and removes its files, also when the ``with`` body raised.

The server is tuned for tests, not for durability: ``fsync``, ``synchronous_commit`` and
``full_page_writes`` are off, authentication is ``trust`` for the ``accord`` superuser,
and it only listens on loopback.

Finding PostgreSQL: ``find_postgres_bin()`` returns the directory holding ``initdb``,
``pg_ctl`` and ``postgres``: from ``PATH`` first, then Debian's
``/usr/lib/postgresql/<version>/bin`` (newest version first). It returns ``None`` when no
server is installed, so tests can skip with a clear reason. On Debian/Ubuntu,
``apt-get install postgresql`` provides them (``.ci/run`` does this).

Running as root: ``initdb`` and ``postgres`` refuse to run as root, so when the current
process is root the server binaries run as the unprivileged ``postgres`` system user
(created by Debian's ``postgresql`` package), or as ``nobody`` when that user is absent.
The temporary directory is created under a world-traversable base (the system temp dir,
or ``/tmp``) and handed to that user.

Leftovers: every started server is stopped when its ``with`` block ends, by an ``atexit``
hook if a block was never finished, and on Linux the server is also asked to shut down
(``SIGQUIT``) by the kernel should the Python process die without cleaning up (for
instance when killed): see ``PR_SET_PDEATHSIG``. That signal follows the *thread* that
started the server, so start it from a thread that outlives its use (the main thread,
as pytest's fixtures do).

An external server instead: where the environment variable ``ACCORD_TEST_POSTGRES_URL``
holds a SQLAlchemy URL (for example
``postgresql+psycopg://user:pass@db.example:5432/accord_test``), the suite's
``conftest.py`` uses that database and does not call this module. That database should
be empty and disposable: tests create and drop their tables in it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

__all__ = [
    "PostgresServerError",
    "find_postgres_bin",
    "temporary_postgres",
]

#: The superuser ``initdb`` creates; the yielded URL connects as this role.
SUPERUSER = "accord"
#: The database ``temporary_postgres`` creates by default.
DEFAULT_DBNAME = "accord_test"

_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
_DEBIAN_GLOB_ROOT = Path("/usr/lib/postgresql")
#: The longest unix socket path Linux accepts is 107 bytes; keep a margin.
_MAX_SOCKET_PATH = 100
_LOG_TAIL_LINES = 40

#: Server settings for a disposable test database (``-c name=value``).
_TEST_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "64MB",
    "max_wal_size": "1GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
    "timezone": "UTC",
}


class PostgresServerError(RuntimeError):
    """The throwaway server could not be created, started or reached."""


def _has_server_binaries(directory: Path) -> bool:
    """Whether ``directory`` holds all of PostgreSQL's server programs, executable."""
    return all(os.access(directory / name, os.X_OK) for name in _SERVER_BINARIES)


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort key for ``/usr/lib/postgresql/<version>`` folders: numeric, newest last."""
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (-1,)


def find_postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server binaries, or ``None`` if none is installed.

    Looks for ``initdb`` on ``PATH`` first (following symbolic links, since
    ``postgres`` and ``pg_ctl`` must sit beside the real ``initdb``), then in Debian's
    ``/usr/lib/postgresql/<version>/bin``, newest version first.
    """
    on_path = shutil.which("initdb")
    if on_path is not None:
        for candidate in (Path(on_path).parent, Path(on_path).resolve().parent):
            if _has_server_binaries(candidate):
                return candidate
    if _DEBIAN_GLOB_ROOT.is_dir():
        versions = sorted(_DEBIAN_GLOB_ROOT.iterdir(), key=_version_key, reverse=True)
        for version_dir in versions:
            candidate = version_dir / "bin"
            if _has_server_binaries(candidate):
                return candidate
    return None


@dataclass(frozen=True)
class _RunAs:
    """The unprivileged account the server runs as when we are root."""

    name: str
    uid: int
    gid: int
    home: str


def _unprivileged_account() -> _RunAs | None:
    """The account to run the server binaries as, or ``None`` to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return _RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid, home=entry.pw_dir)
    raise PostgresServerError(
        "running as root, and neither a 'postgres' nor a 'nobody' user exists to run "
        "PostgreSQL as (initdb refuses to run as root)"
    )


def _world_traversable(path: Path) -> bool:
    """Whether every folder from ``/`` down to ``path`` lets any user pass through it."""
    current = path.resolve()
    for folder in (current, *current.parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    return True


def _make_workdir(run_as: _RunAs | None) -> Path:
    """Create the server's private temporary directory, owned by whoever runs it."""
    base = Path(tempfile.gettempdir())
    if run_as is not None and not _world_traversable(base):
        base = Path("/tmp")
    workdir = Path(tempfile.mkdtemp(prefix="accord-pg-", dir=base))
    if run_as is not None:
        os.chown(workdir, run_as.uid, run_as.gid)
    return workdir


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pdeathsig_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has Linux send the child SIGQUIT when this thread dies.

    SIGQUIT makes the postmaster do an immediate shutdown, taking its backends with it,
    so a killed test run leaves no server behind. ``None`` where ``prctl`` is missing.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    try:
        prctl = ctypes.CDLL(libc_name, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    sigquit = int(signal.SIGQUIT)

    def hook() -> None:
        prctl(pr_set_pdeathsig, sigquit, 0, 0, 0)

    return hook


def _log_tail(log_path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file, for error messages."""
    try:
        text = log_path.read_text(errors="replace")
    except OSError as exc:
        return f"(could not read {log_path}: {exc})"
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else "(empty)"


@dataclass(eq=False)  # compared and hashed by identity, for the live-server registry
class _Server:
    """One throwaway server: its folder, process and how to reach it."""

    bindir: Path
    run_as: _RunAs | None
    workdir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def datadir(self) -> Path:
        """The cluster's data directory (``PGDATA``)."""
        return self.workdir / "data"

    @property
    def log_path(self) -> Path:
        """Where the server's and ``initdb``'s output goes."""
        return self.workdir / "server.log"

    @property
    def socket_dir(self) -> str:
        """The unix socket directory, or ``""`` (TCP only) when the path is too long."""
        socket_path = f"{self.workdir}/.s.PGSQL.{self.port}"
        return str(self.workdir) if len(socket_path.encode()) <= _MAX_SOCKET_PATH else ""

    def _env(self) -> dict[str, str]:
        """A small, predictable environment for the server programs."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C",
            "LANG": "C",
            "HOME": str(self.workdir),
            "TZ": "UTC",
        }
        if self.run_as is not None:
            env["USER"] = env["LOGNAME"] = self.run_as.name
        return env

    @property
    def _uid(self) -> int | None:
        """``Popen(user=...)``: the account to switch to, or ``None`` to stay as we are."""
        return None if self.run_as is None else self.run_as.uid

    @property
    def _gid(self) -> int | None:
        """``Popen(group=...)``: the group to switch to, or ``None``."""
        return None if self.run_as is None else self.run_as.gid

    @property
    def _extra_groups(self) -> list[int] | None:
        """``Popen(extra_groups=...)``: drop root's supplementary groups when switching."""
        return None if self.run_as is None else []

    def initdb(self, timeout: float) -> None:
        """Create the cluster in ``datadir``."""
        command = [
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.datadir),
            "--username",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        with self.log_path.open("ab") as log:
            try:
                result = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.workdir,
                    env=self._env(),
                    timeout=timeout,
                    check=False,
                    user=self._uid,
                    group=self._gid,
                    extra_groups=self._extra_groups,
                )
            except subprocess.TimeoutExpired:
                raise PostgresServerError(
                    f"initdb did not finish within {timeout:.0f}s; its output:\n"
                    f"{_log_tail(self.log_path)}"
                ) from None
        if result.returncode != 0:
            raise PostgresServerError(
                f"initdb failed (exit {result.returncode}); its output:\n{_log_tail(self.log_path)}"
            )

    def start(self, timeout: float) -> None:
        """Start the postmaster and wait until it accepts connections.

        A port grabbed by someone else between choosing and binding it makes the
        server exit at once; that is retried on a new port a few times.
        """
        attempts = 3
        for attempt in range(1, attempts + 1):
            self.port = _free_port()
            try:
                self._start_once(timeout)
                return
            except PostgresServerError:
                log = _log_tail(self.log_path, 200)
                port_taken = "could not bind" in log or "could not create any TCP/IP" in log
                self.stop()
                if not port_taken or attempt == attempts:
                    raise

    def _start_once(self, timeout: float) -> None:
        """One attempt at starting the server on ``self.port``."""
        command = [
            str(self.bindir / "postgres"),
            "-D",
            str(self.datadir),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-k",
            self.socket_dir,
        ]
        for name, value in _TEST_SETTINGS.items():
            command += ["-c", f"{name}={value}"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=self._env(),
                start_new_session=True,
                preexec_fn=_pdeathsig_hook(),
                user=self._uid,
                group=self._gid,
                extra_groups=self._extra_groups,
            )
        self._wait_until_ready(timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        """Poll until a connection succeeds; fail early if the server exits."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while True:
            code = self.process.poll()
            if code is not None:
                raise PostgresServerError(
                    f"PostgreSQL exited during start-up (exit {code}); server log:\n"
                    f"{_log_tail(self.log_path)}"
                )
            try:
                with psycopg.connect(self.conninfo("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError as exc:
                last_error = exc
            if time.monotonic() >= deadline:
                raise PostgresServerError(
                    f"PostgreSQL did not accept connections on 127.0.0.1:{self.port} "
                    f"within {timeout:.0f}s (last error: {last_error}); server log:\n"
                    f"{_log_tail(self.log_path)}"
                )
            time.sleep(0.1)

    def conninfo(self, dbname: str) -> str:
        """A libpq connection string for ``dbname`` on this server."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def create_database(self, dbname: str) -> None:
        """Create an empty database (UTF8, from ``template0``)."""
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(dbname)
                )
            )

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server (fast shutdown, then harder) and wait for it to exit.

        Safe to call more than once and when the server never started.
        """
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            if process is not None:
                process.wait()
            return
        # SIGINT: fast shutdown (ends sessions, checkpoints); SIGQUIT: immediate
        # shutdown; SIGKILL as a last resort (backends then exit on postmaster death).
        steps = (
            (signal.SIGINT, timeout),
            (signal.SIGQUIT, 5.0),
            (signal.SIGKILL, 5.0),
        )
        for sig, wait_s in steps:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sig)
            try:
                process.wait(timeout=wait_s)
                return
            except subprocess.TimeoutExpired:
                continue

    def remove_files(self) -> None:
        """Delete the server's temporary directory."""
        shutil.rmtree(self.workdir, ignore_errors=True)

    def close(self) -> None:
        """Stop the server and remove its files."""
        try:
            self.stop()
        finally:
            self.remove_files()


_LIVE_SERVERS: set[_Server] = set()
_LIVE_LOCK = threading.Lock()


def _close_all() -> None:
    """``atexit`` hook: stop any server whose ``with`` block never finished."""
    with _LIVE_LOCK:
        servers = list(_LIVE_SERVERS)
        _LIVE_SERVERS.clear()
    for server in servers:
        server.close()


atexit.register(_close_all)


@contextlib.contextmanager
def temporary_postgres(
    dbname: str = DEFAULT_DBNAME,
    *,
    start_timeout: float = 60.0,
) -> Iterator[str]:
    """Start a private PostgreSQL server and yield a SQLAlchemy URL to a new database.

    The URL has the form ``postgresql+psycopg://accord@127.0.0.1:<port>/<dbname>``; the
    database is empty and owned by the ``accord`` superuser. The server is stopped and
    its files removed when the block exits, whether or not it raised.

    Raises ``PostgresServerError`` when PostgreSQL is not installed (see
    ``find_postgres_bin``) or the server cannot be created or started within
    ``start_timeout`` seconds (``initdb`` and start-up each get that long); the message
    includes the tail of the server log.
    """
    bindir = find_postgres_bin()
    if bindir is None:
        raise PostgresServerError(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or "
            f"in {_DEBIAN_GLOB_ROOT}/<version>/bin; install them (Debian: "
            "apt-get install postgresql) or set ACCORD_TEST_POSTGRES_URL"
        )
    run_as = _unprivileged_account()
    server = _Server(bindir=bindir, run_as=run_as, workdir=_make_workdir(run_as))
    with _LIVE_LOCK:
        _LIVE_SERVERS.add(server)
    try:
        server.initdb(timeout=start_timeout)
        server.start(timeout=start_timeout)
        server.create_database(dbname)
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{server.port}/{dbname}"
    finally:
        with _LIVE_LOCK:
            _LIVE_SERVERS.discard(server)
        server.close()


@dataclass
class RestartablePostgres:
    """A private server a test may stop and start again on the same port."""

    url: str
    server: _Server
    start_timeout: float = 60.0

    def stop(self) -> None:
        """Fast shutdown: open sessions end, new connections are refused."""
        self.server.stop()

    def start(self) -> None:
        """Start it again on the same port and data folder."""
        self.server._start_once(self.start_timeout)


@contextlib.contextmanager
def restartable_postgres(dbname: str = DEFAULT_DBNAME) -> Iterator[RestartablePostgres]:
    """Like ``temporary_postgres``, but the test may stop and restart the server."""
    bindir = find_postgres_bin()
    if bindir is None:
        raise PostgresServerError("PostgreSQL server binaries not found")
    run_as = _unprivileged_account()
    server = _Server(bindir=bindir, run_as=run_as, workdir=_make_workdir(run_as))
    with _LIVE_LOCK:
        _LIVE_SERVERS.add(server)
    try:
        server.initdb(timeout=60.0)
        server.start(timeout=60.0)
        server.create_database(dbname)
        yield RestartablePostgres(
            f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{server.port}/{dbname}", server)
    finally:
        with _LIVE_LOCK:
            _LIVE_SERVERS.discard(server)
        server.close()
