"""``kill -9`` during a TAXII pull loses nothing and duplicates nothing.

Node B pulls a large channel from node A with ``accord sync``, page after page; the
process is killed partway. What B committed is whole pages (each page's signals and
the peer's cursor commit together), its audit chain verifies and its match index
equals its store; running ``accord sync`` again resumes from the cursor and ends with
exactly A's signals, each once.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from accord import audit
from accord.curation import importer
from accord.matching.engine import MatchEngine
from accord.store import models as m
from accord.store.database import Database
from tests.federation.conftest import _setup_a, _setup_b
from tests.federation.nodes import OP, serving, sqlite_node
from tests.federation.test_two_nodes import accord

SIGNALS = 20_000
PAGE = 5_000  # objects per page accord sync asks for (ACCORD_SYNC_PAGE_SIZE)


def _signals(db: Database) -> tuple[int, int]:
    """(rows, distinct values) of a node's signals."""
    with db.reader() as session:
        return (int(session.execute(select(func.count()).select_from(m.Signal)).scalar_one()),
                int(session.execute(select(func.count(m.Signal.value.distinct()))).scalar_one()))


def test_a_pull_killed_midway_resumes_from_its_cursor_and_ends_with_each_signal_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    a = sqlite_node("node-a", sqlite_template, tmp_path / "a")
    b = sqlite_node("node-b", sqlite_template, tmp_path / "b")
    sync_key = _setup_a(a)
    _setup_b(b)
    values = [secrets.token_hex(16) for _ in range(SIGNALS)]
    csv = "signal_type,signal_value\n" + "".join(f"md5,{v}\n" for v in values)
    importer.import_signals(a.db, OP, "a-images", io.BytesIO(csv.encode()), a.settings,
                            fmt="csv")
    with serving(a):
        code, _, err = accord(b, "peer", "add", a.taxii, "--collection", "Channel ab",
                              "--bank", "from-a", "--name", "node-a", "--user", "sync-b",
                              "--key", sync_key)
        assert code == 0, err
        env = {**os.environ, "ACCORD_HOME": str(b.settings.home), "ACCORD_NODE_ID": b.name}
        pull = subprocess.Popen([sys.executable, "-m", "accord", "--db",
                                 str(b.settings.database_url), "sync", "node-a"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while _signals(b.db)[0] < 2 * PAGE:  # some pages are in
            assert pull.poll() is None, pull.communicate()[1].decode()
            assert time.monotonic() < deadline, "the pull never got going"
            time.sleep(0.05)
        pull.send_signal(signal.SIGKILL)
        pull.communicate(timeout=30)
        rows, distinct = _signals(b.db)
        assert 0 < rows < SIGNALS and rows == distinct
        assert audit.verify(b.db).ok
        assert MatchEngine.load(b.db, b.settings).size()["md5"] == rows

        code, out, err = accord(b, "sync", "node-a")  # the resume
        assert code == 0, err + out
        assert f"added {SIGNALS - rows:,}" in out, out
        again = int(re.search(r"([\d,]+) already here", out).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert again <= PAGE, out  # not the whole collection again
    assert _signals(b.db) == (SIGNALS, SIGNALS)
    with b.db.reader() as session:
        assert set(session.execute(select(m.Signal.value)).scalars()) == set(values)
    assert audit.verify(b.db).ok
    assert MatchEngine.load(b.db, b.settings).size()["md5"] == SIGNALS
    code, out, _ = accord(b, "peer", "list")
    assert " ok " in out
    a.db.dispose()
    b.db.dispose()
