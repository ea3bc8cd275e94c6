"""``accord demo --scenario cooperation`` walks through cooperation and summarises each node."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord import audit
from accord.cli import app
from accord.store.database import Database


def test_the_cooperation_scenario_ends_with_what_each_node_saw(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--scenario", "cooperation", "--keep",
                                      str(tmp_path)],
                                env={"ACCORD_HOME": str(tmp_path / "home"), "COLUMNS": "300"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    out = result.stdout
    assert "listed by FR-NAT; delisted by KE-NAT." in out                 # designation view
    assert "entity:qde-990) -> auto-actioned" in out                      # UN-backed label
    assert "entity:demo-brigade) -> pending" in out                       # national list only
    assert "refused: the request text looks like it holds personal data" in out
    assert "request 1 answered by nora." in out
    assert "programme 1 is active after the assessment." in out
    for node in ("Agency North", "Agency South", "Agency Third", "Platform P"):
        assert f"   {node}" in out
    assert "matches: 1 auto-actioned, 1 pending" in out
    assert "chain verified" in out
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert audit.verify(db).ok
    db.dispose()


def test_an_unknown_scenario_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--scenario", "war-games"],
                                env={"ACCORD_HOME": str(tmp_path)})
    assert result.exit_code == 2 and "is not known" in result.stderr
