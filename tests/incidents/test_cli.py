"""``accord incidents`` and ``accord crisis`` read like shell sessions."""

from __future__ import annotations

import json
from pathlib import Path

from accord.incidents import synthetic
from tests.conftest import CliRun


def _node(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR"
               ).exit_code == 0


def test_import_reports_bad_rows_by_row_and_exits_1(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    path = tmp_path / "gtd.csv"
    path.write_text("iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt,nkill,summary\n"
                    "2015,1,1,Freedonia,Armed Assault,Business,1,someone's name\n"
                    "2015,2,31,Freedonia,Armed Assault,Business,1,\n")
    result = cli("incidents", "import", str(path), "--owner", "Agency A")
    assert result.exit_code == 1
    assert "row 3: 2015-02-31 is not a date" in result.stderr
    assert "Dropped (may name people, never stored): summary" in result.stderr
    assert "Imported 1; 0 already present; 1 refused." in result.stdout


def test_a_file_that_is_not_gtd_is_refused_with_a_hint(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    result = cli("incidents", "import", str(tmp_path / "x.csv"), "--owner", "Agency A")
    assert result.exit_code == 2 and "lacks the GTD column(s)" in result.stderr
    assert "Hint:" in result.stderr


def test_report_finds_the_planted_patterns_and_writes_every_format(
        cli: CliRun, tmp_path: Path, planted_csv: Path) -> None:
    _node(cli)
    assert cli("incidents", "import", str(planted_csv), "--owner", "Agency A").exit_code == 0
    result = cli("incidents", "report", "--country", synthetic.COUNTRY, "--from", "2015",
                 "--to", "2019", "--json", "--out", str(tmp_path / "r"))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["escalation"]["found"] and data["spillover"]["found"]
    assert data["target_shift"]["found"]
    names = {p.name for p in (tmp_path / "r").iterdir()}
    assert {"incident-report.html", "incident-report.pdf", "incident-report.json",
            "monthly_series.png", "monthly_series.svg"} <= names
    assert (tmp_path / "r" / "incident-report.pdf").read_bytes().startswith(b"%PDF")


def test_crisis_commands_activate_list_and_close(cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    cli("channel", "add", "crisis-ch", "--owner", "Agency A")
    cli("bank", "add", "crisis-bank", "--owner", "Agency A", "--tlp", "AMBER")
    (tmp_path / "one.csv").write_text("iyear,imonth,iday,country_txt,attacktype1_txt,"
                                      "targtype1_txt\n2024,3,15,Freedonia,Armed Assault,"
                                      "Business\n")
    cli("incidents", "import", str(tmp_path / "one.csv"), "--owner", "Agency A")
    made = cli("crisis", "activate", "1", "--bank", "crisis-bank", "--channel", "crisis-ch",
               "-c", "mass-casualty", "--hours", "6")
    assert made.exit_code == 0 and "Crisis 1 active on incident 1" in made.stdout
    assert "active" in cli("crisis", "list").stdout
    refused = cli("crisis", "close", "1", "--debrief", "ok")
    assert refused.exit_code == 2 and "needs a debrief" in refused.stderr
    assert cli("crisis", "close", "1", "--debrief", "Shared 3 hashes; no incidents."
               ).exit_code == 0
    assert "closed" in cli("crisis", "list").stdout


def test_statement_add_none_and_list_read_like_a_shell_session(
        cli: CliRun, tmp_path: Path) -> None:
    _node(cli)
    assert cli("partner", "add", "Agency B", "--kind", "agency", "--country", "CN"
               ).exit_code == 0
    for who, name in (("Agency A", "ada"), ("Agency B", "bo")):
        assert cli("member", "add", who, name, "--role", "curator"
                   ).exit_code == 0
    path = tmp_path / "gtd.csv"
    path.write_text("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
                    "202603140001,2026,3,14,France,Bombing/Explosion,Transportation\n")
    assert cli("incidents", "import", str(path), "--owner", "Agency A", "--tlp", "GREEN"
               ).exit_code == 0
    said = cli("--as", "ada", "incidents", "statement", "add", "1", "condemnation",
               "--at", "2026-03-14T18:30Z", "--lang", "fr",
               "--url", "https://agency-a.example/press/1", "--partner", "Agency A")
    assert said.exit_code == 0, said.stderr
    assert "Agency A, condemnation, 2026-03-14T18:30:00+00:00 (18.5 hours after)" in said.stdout
    for_other = cli("--as", "ada", "incidents", "statement", "none", "1",
                    "--partner", "Agency B")
    assert for_other.exit_code != 0 and "another partner" in for_other.stderr
    assert cli("--as", "bo", "incidents", "statement", "none", "1", "--partner", "Agency B"
               ).exit_code == 0
    named = cli("--as", "bo", "incidents", "statement", "add", "1", "concern",
                "--at", "2026-03-15T08:00Z", "--lang", "zh-Hans", "--partner", "Agency B",
                "--url", "https://agency-b.example/1", "--text", "Contact Mr Smith at once.")
    assert named.exit_code != 0 and "Traceback" not in named.stderr
    listed = cli("incidents", "statement", "list", "1")
    assert listed.exit_code == 0
    assert "condemnation" in listed.stdout and "18.5" in listed.stdout
    assert "none" in listed.stdout and "concern" not in listed.stdout


def test_report_lang_prints_the_summary_and_writes_the_report_in_that_language(
        cli: CliRun, tmp_path: Path, planted_csv: Path) -> None:
    _node(cli)
    assert cli("incidents", "import", str(planted_csv), "--owner", "Agency A").exit_code == 0
    result = cli("incidents", "report", "--country", synthetic.COUNTRY, "--from", "2015",
                 "--to", "2019", "--lang", "zh-Hans", "--out", str(tmp_path / "r"))
    assert result.exit_code == 0
    assert "起事件" in result.stdout and "升级：已发现。" in result.stdout  # noqa: RUF001
    page = (tmp_path / "r" / "incident-report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans" dir="ltr">' in page and "<h2>摘要</h2>" in page
    english = cli("incidents", "report", "--country", synthetic.COUNTRY, "--from", "2015",
                  "--to", "2019")
    assert "escalation: found" in english.stdout


def test_report_lang_refuses_a_language_accord_does_not_ship(cli: CliRun) -> None:
    _node(cli)
    result = cli("incidents", "report", "--from", "2015", "--to", "2019", "--lang", "de")
    assert result.exit_code == 2 and "'de' is not one" in result.stderr
    flows = cli("flows", "report", "--from", "2015", "--to", "2019", "--lang", "xx")
    assert flows.exit_code == 2 and "Hint: use one of en, zh-Hans, ar" in flows.stderr
