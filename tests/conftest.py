"""Fixtures shared by the whole suite.

Databases: every test that takes ``db`` runs once per backend listed in
``ACCORD_TEST_DATABASES`` (default: ``sqlite``, plus ``postgresql`` when a
PostgreSQL server is installed here). With ``postgresql`` listed explicitly
(CI does), a missing server fails the run instead of skipping. A throwaway
server is started for the session (``tests/pgserver.py``), or an existing one
is used when ``ACCORD_TEST_POSTGRES_URL`` is set. Each test gets a fresh
database copied from a template migrated once, so tests never share state.

``vectors_dir`` points at ``../shared/vectors`` (third-party reference data,
read in place, never copied into this repository); tests that need it skip
with a clear reason where it is absent.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from accord.config import Settings
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.store.schema import upgrade

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_VECTORS = REPO_ROOT.parent / "shared" / "vectors"
_counter = itertools.count()


def _register_worktree_signal_types() -> None:
    """Make the signal types this checkout's ``pyproject.toml`` declares visible to the registry.

    The registry reads installed distribution metadata, which an editable install
    writes once: a type added to ``pyproject.toml`` since (``tmk``) is missing until
    the next ``pip install -e``. The missing entry points go into a throwaway
    ``*.dist-info`` on ``sys.path`` (and ``PYTHONPATH``, for subprocesses).
    """
    import sys
    import tempfile
    import tomllib
    from importlib.metadata import entry_points

    group = "accord.signal_types"
    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
        "entry-points"][group]
    installed = {e.name for e in entry_points(group=group)}
    missing = {name: target for name, target in declared.items() if name not in installed}
    if not missing:
        return
    site = Path(tempfile.mkdtemp(prefix="accord-entry-points-"))
    info = site / "accord_worktree_types-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: accord-worktree-types\n"
                                   "Version: 0\n")
    (info / "entry_points.txt").write_text(
        f"[{group}]\n" + "".join(f"{n} = {t}\n" for n, t in missing.items()))
    sys.path.append(str(site))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.environ.get("PYTHONPATH"), str(site)) if p)


_register_worktree_signal_types()

# Tests talk to receivers, peers and nodes on loopback, which the outbound rule refuses by
# default (accord.safeguards.outbound): allow it for the whole suite, subprocesses included.
# Tests of the rule itself pass their own allow-list (Settings(outbound_allow=())).
os.environ.setdefault("ACCORD_OUTBOUND_ALLOW", '["127.0.0.0/8", "::1/128"]')


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """The shared reference vectors folder, or a skip when it is not beside the repo."""
    if not SHARED_VECTORS.is_dir():
        pytest.skip(f"reference vectors not found at {SHARED_VECTORS} (../shared is absent)")
    return SHARED_VECTORS


def _requested_backends() -> tuple[list[str], bool]:
    raw = os.environ.get("ACCORD_TEST_DATABASES", "")
    if raw.strip():
        return [b.strip() for b in raw.split(",") if b.strip()], True
    return ["sqlite", "postgresql"], False


BACKENDS, EXPLICIT = _requested_backends()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database for the test session."""
    external = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    from tests.pgserver import find_postgres_bin, temporary_postgres

    if find_postgres_bin() is None:
        reason = "PostgreSQL is not installed here (apt-get install postgresql)"
        if EXPLICIT:
            pytest.fail(f"ACCORD_TEST_DATABASES lists postgresql but {reason}")
        pytest.skip(reason)
    with temporary_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """Name of a migrated PostgreSQL database used as a template."""
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    name = f"accord_template_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(postgres_server).set(database=name).render_as_string(False))
    upgrade(db)
    db.dispose()
    admin.dispose()
    return name


def _fresh_postgres(request: pytest.FixtureRequest) -> str:
    server: str = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    name = f"accord_test_{os.getpid()}_{next(_counter)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()

    def drop() -> None:
        eng = create_engine(server, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()

    request.addfinalizer(drop)
    return make_url(server).set(database=name).render_as_string(False)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, migrated, empty Accord database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "accord.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    if request.param == "postgresql":
        return _fresh_postgres(request)
    raise pytest.UsageError(f"unknown backend {request.param!r} in ACCORD_TEST_DATABASES")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The fresh database, opened."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the fresh database, with a private home folder."""
    return Settings(home=tmp_path / "home", database_url=database_url)


@pytest.fixture
def operator() -> Actor:
    """The node operator (the CLI on the server)."""
    return Actor.operator()


CliRun = Callable[..., "CliResult"]


class CliResult:
    """What one ``accord`` invocation printed and returned."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"CliResult({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def cli(database_url: str, tmp_path: Path) -> CliRun:
    """Run ``accord --db <fresh database> ARGS...``; returns exit code, stdout and stderr."""

    from accord.cli import app

    def run(*args: str, input: str | bytes | None = None, db_url: str | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(
            app,
            ["--db", db_url or database_url, *args],
            input=input,
            catch_exceptions=False,
            env={"ACCORD_HOME": str(tmp_path / "h"), "COLUMNS": "200"},
        )
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run
