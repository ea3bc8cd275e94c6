"""``accord demo`` runs end to end on its own embedded database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord import audit
from accord.cli import app
from accord.store.database import Database


def test_the_demo_tours_a_node_and_leaves_a_verified_audit_log(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--keep", str(tmp_path), "--signals", "50"],
                                env={"ACCORD_HOME": str(tmp_path / "home"), "COLUMNS": "200"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    assert "bob    sees 51 signals" in result.stdout      # the AMBER channel + the GREEN URL
    assert "gina   sees 1 signals" in result.stdout       # only the GREEN URL
    assert "is now quarantined" in result.stdout
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert audit.verify(db).ok
    db.dispose()
    again = CliRunner().invoke(app, ["demo", "--keep", str(tmp_path)], catch_exceptions=False)
    assert again.exit_code == 2 and "already exists" in again.stderr
