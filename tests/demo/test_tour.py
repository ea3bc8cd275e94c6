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


def test_a_kept_demo_says_how_to_serve_it_and_sign_in(tmp_path: Path) -> None:
    import re

    from accord.sharing import accounts

    result = CliRunner().invoke(app, ["demo", "--keep", str(tmp_path), "--signals", "10"],
                                env={"ACCORD_HOME": str(tmp_path / "home"), "COLUMNS": "300"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    assert f"accord --db sqlite:///{tmp_path / 'demo.sqlite3'} serve" in result.stdout
    given = dict(re.findall(r"Sign in as (\w+) \(.*?\) with password (\S+)", result.stdout))
    assert set(given) == {"alice", "bob", "gina"}
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert accounts.password_authenticate(db, "gina", given["gina"]).name == "gina"
    db.dispose()


def test_demo_samples_writes_the_readme_inputs(tmp_path: Path) -> None:
    from accord.demo.samples import HASH_ROWS

    result = CliRunner().invoke(app, ["demo", "--samples", str(tmp_path / "s")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    for name in ("consolidated.xml", "hashes.csv", "photo.jpg", "uploads/upload-1.jpg",
                 "corpus.parquet"):
        assert (tmp_path / "s" / name).stat().st_size > 0, name
    assert len((tmp_path / "s" / "hashes.csv").read_text().splitlines()) == HASH_ROWS + 1
    assert not list(tmp_path.glob("**/*.sqlite3"))  # inputs only: no node made
