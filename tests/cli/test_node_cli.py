"""The node's command line, read like a shell session: set up, curate, audit.

Every failure must be one clear line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliRun

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def _setup(cli: CliRun) -> None:
    for args in (
        ("partner", "add", "Agency A", "--kind", "agency", "--country", "fr"),
        ("partner", "add", "Platform P", "--kind", "platform", "--country", "IE"),
        ("member", "add", "Agency A", "alice", "--role", "curator"),
        ("member", "add", "Platform P", "pia", "--role", "reviewer"),
        ("channel", "add", "amber-one", "--owner", "Agency A"),
        ("channel", "join", "amber-one", "Platform P"),
        ("bank", "add", "a-images", "--owner", "Agency A", "--channel", "amber-one"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, result


def _clean(result: object) -> None:
    text = repr(result)
    assert "Traceback" not in text


def test_init_creates_then_reports_up_to_date(cli: CliRun, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = cli("init", db_url=url)
    assert first.exit_code == 0 and "Created the Accord database" in first.stdout
    again = cli("init", db_url=url)
    assert again.exit_code == 0 and "up to date" in again.stdout


def test_commands_before_init_say_how_to_create_the_database(cli: CliRun, tmp_path: Path) -> None:
    result = cli("partner", "list", db_url=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert result.exit_code == 2
    assert "no Accord database" in result.stderr and "accord init" in result.stderr
    _clean(result)


def test_an_unreachable_database_is_a_clear_error(cli: CliRun) -> None:
    result = cli("init", db_url="postgresql+psycopg://accord:secret@127.0.0.1:1/accord")
    assert result.exit_code == 3
    assert (
        "cannot reach the database at postgresql+psycopg://accord:***@127.0.0.1:1/accord"
        in result.stderr
    )
    assert "secret" not in result.stderr
    _clean(result)


def test_a_malformed_database_url_is_a_clear_error(cli: CliRun, tmp_path: Path) -> None:
    for url, message in (
        ("mysql://x@y/z", "Accord runs on SQLite or PostgreSQL"),
        ("not a url", "cannot be parsed"),
        (f"sqlite:///{tmp_path}/missing/dir/a.db", "does not exist"),
    ):
        result = cli("init", db_url=url)
        assert result.exit_code == 2 and message in result.stderr, result
        _clean(result)


def test_setting_up_partners_channels_and_banks(cli: CliRun) -> None:
    _setup(cli)
    partners = cli("partner", "list")
    assert "Agency A" in partners.stdout and "FR" in partners.stdout
    assert "a-images" in cli("bank", "list").stdout
    dup = cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR")
    assert dup.exit_code == 2 and "already exists" in dup.stderr
    bad = cli("partner", "add", "X", "--kind", "church", "--country", "FR")
    assert bad.exit_code == 2 and "agency, platform, ngo, research" in bad.stderr


def test_an_api_key_is_shown_once_and_can_be_revoked(cli: CliRun) -> None:
    _setup(cli)
    created = cli("key", "create", "alice", "--label", "uploads")
    secret = created.stdout.strip()
    assert created.exit_code == 0 and secret.startswith("acc_") and len(secret) > 40
    assert "shown once" in created.stderr
    revoked = cli("key", "revoke", secret[:12])
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    tail = cli("audit", "tail", "--json", "-n", "50").stdout
    assert secret not in tail and secret[:12] in tail


def test_members_act_within_their_role(cli: CliRun) -> None:
    _setup(cli)
    denied = cli("--as", "pia", "signal", "add", "a-images", "md5", "a" * 32)
    assert denied.exit_code == 2 and "may not add signals to this bank" in denied.stderr
    added = cli("--as", "alice", "signal", "add", "a-images", "pdq", PDQ, "-l", "content:video")
    assert added.exit_code == 0 and '"contributor": "alice"' in added.stdout


def test_bulk_import_reports_bad_lines_and_exits_one(cli: CliRun, tmp_path: Path) -> None:
    _setup(cli)
    path = tmp_path / "h.csv"
    path.write_text(f"signal_type,signal_value\npdq,{PDQ}\npdq,zz\nmd5,{'1' * 32}\n")
    result = cli("signal", "import", "a-images", str(path))
    assert result.exit_code == 1
    assert "line 3:" in result.stderr
    assert "Imported 2: 3 rows read, 0 already present, 1 bad." in result.stdout
    again = cli("signal", "import", "a-images", str(path))
    assert "Imported 0: 3 rows read, 2 already present, 1 bad." in again.stdout
    strict = cli("signal", "import", "a-images", str(path), "--strict")
    assert strict.exit_code == 2 and "Nothing imported (--strict)" in strict.stdout


def test_import_from_a_missing_file_or_unknown_bank(cli: CliRun, tmp_path: Path) -> None:
    _setup(cli)
    assert "no file" in cli("signal", "import", "a-images", str(tmp_path / "x.csv")).stderr
    path = tmp_path / "h.csv"
    path.write_text("signal_type,signal_value\n")
    missing = cli("signal", "import", "nope", str(path))
    assert missing.exit_code == 2 and "no bank 'nope'" in missing.stderr


def test_export_retract_and_the_audit_trail(cli: CliRun, tmp_path: Path) -> None:
    _setup(cli)
    cli("signal", "add", "a-images", "md5", "b" * 32)
    out = tmp_path / "out.csv"
    exported = cli("signal", "export", "--bank", "a-images", "-o", str(out))
    assert exported.exit_code == 0 and "b" * 32 in out.read_text()
    assert cli("signal", "retract", "1", "--reason", "mistake").exit_code == 0
    assert "b" * 32 not in cli("signal", "export", "--bank", "a-images").stdout
    tail = cli("audit", "tail", "-n", "3").stdout
    assert "signal.retract" in tail
    assert cli("audit", "verify").exit_code == 0


def test_import_reads_standard_input(cli: CliRun) -> None:
    _setup(cli)
    rows = f'{{"signal_type": "md5", "signal_value": "{"c" * 32}"}}\n'
    result = cli("signal", "import", "a-images", "-", "--format", "jsonl", input=rows)
    assert result.exit_code == 0, result
    assert "Imported 1: 1 rows read" in result.stdout


def test_a_key_reference_of_non_ascii_digits_is_a_plain_not_found(cli: CliRun) -> None:
    _setup(cli)
    for ref in ("²", "٣", "1²"):
        result = cli("key", "revoke", ref)
        assert result.exit_code == 2, (ref, result)
        assert "no API key" in result.stderr
        _clean(result)


def test_user_input_in_an_error_is_printed_as_typed_not_read_as_markup(cli: CliRun) -> None:
    result = cli("partner", "add", "Agency B", "--kind", "agency", "--country", "[bold]x")
    assert result.exit_code == 2
    assert "country '[bold]x' is not an ISO 3166-1 alpha-2 code" in result.stderr


def test_a_hint_with_brackets_is_printed_whole() -> None:
    import typer
    from typer.testing import CliRunner

    from accord.cli.root import AccordGroup
    from accord.errors import Invalid

    app = typer.Typer(cls=AccordGroup)

    @app.command()
    def install() -> None:
        raise Invalid("PyTorch [cpu] is not installed", hint="pip install -e '.[gpu]'")

    @app.command()
    def other() -> None:  # two commands, so Typer keeps the command names
        pass

    result = CliRunner().invoke(app, ["install"])
    assert result.exit_code == 2
    assert "PyTorch [cpu] is not installed" in result.stderr
    assert "Hint: pip install -e '.[gpu]'" in result.stderr
