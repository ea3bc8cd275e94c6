"""``accord demo --scenario cooperation``: four nodes on loopback, one database each; the
platform pulls North's CT forum by TAXII sync and matches; every step runs for real."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord import audit
from accord.cli import app
from accord.curation import signals
from accord.i18n import translate
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store.database import Database


def test_the_cooperation_scenario_runs_four_nodes_and_ends_with_what_each_saw(
    tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["demo", "--scenario", "cooperation", "--keep",
                                      str(tmp_path)],
                                env={"ACCORD_HOME": str(tmp_path / "home"), "COLUMNS": "400"},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    out = result.stdout
    assert "pending" not in out.split("5.")[0]                            # no step left out
    assert "escalation: found; spill-over: found; soft targets: found." in out
    assert "Agency North: spoke (condemnation) at " in out                 # statements
    assert "UTC, 5.0 hours after" in out and "UTC, 52.0 hours after" in out
    assert "Agency South: spoke (concern)" in out
    assert "KE -> SO return: suppressed" in out                           # small counts hidden
    assert "FR -> SY outbound: 38" in out
    assert "listed by FR-NAT; delisted by KE-NAT." in out                 # designation view
    assert "serves TAXII 2.1 at http://127.0.0.1:" in out
    assert "platform's node received 2 by TAXII sync of the CT forum." in out
    assert "south's node received 1 by TAXII sync of the bilateral channel." in out
    assert "third's node received 2 from a TAXII envelope file (air-gapped)." in out
    assert "entity:qde-990) -> auto-actioned" in out                      # UN-backed label
    assert "entity:demo-brigade) -> pending" in out                       # national lists only
    assert "refused: the request text looks like it holds personal data" in out
    assert "request 1 answered by nora." in out
    assert "programme 1 is active after the assessment." in out
    assert "node platform: 2 signals (2 by TAXII sync of the CT forum); matches: " \
           "1 auto-actioned, 1 pending" in out
    assert "every chain verified." in out
    # The report's summary ends the walk-through, in Chinese and then in English.
    summary = out.split("11. The incident report's summary")[1]
    escalation = translate("zh_Hans", "reports", "Escalation")
    assert escalation != "Escalation" and f"{escalation}" in summary
    assert summary.index(escalation) < summary.index("Escalation: Found.")
    held = {}
    for name in ("north", "south", "third", "platform"):
        db = Database(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
        assert audit.verify(db).ok
        held[name] = (len(signals.signal_list(db, Actor.operator(), limit=100)),
                      len(sharing.partner_list(db)))
        db.dispose()
    # Separate nodes: only North's knows all four partners; the others hold what they got.
    assert held == {"north": (3, 4), "south": (1, 1), "third": (2, 1), "platform": (2, 1)}


def test_the_scenario_will_not_reuse_a_folder_that_holds_nodes(tmp_path: Path) -> None:
    (tmp_path / "north.sqlite3").write_bytes(b"")
    result = CliRunner().invoke(app, ["demo", "--scenario", "cooperation", "--keep",
                                      str(tmp_path)], env={"ACCORD_HOME": str(tmp_path)})
    assert result.exit_code != 0 and "already holds north.sqlite3" in result.stderr


def test_an_unknown_scenario_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--scenario", "war-games"],
                                env={"ACCORD_HOME": str(tmp_path)})
    assert result.exit_code == 2 and "is not known" in result.stderr
