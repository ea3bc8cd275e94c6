"""The root loads each sub-app on first use; its table names exactly what the modules add."""

from __future__ import annotations

import subprocess
import sys

from accord.cli.root import LAZY_COMMANDS, load_commands
from tests.conftest import REPO_ROOT


def test_the_lazy_table_names_every_command_its_modules_register_and_no_other() -> None:
    registered: dict[str, str] = {}
    for module_name, attr in set(LAZY_COMMANDS.values()):
        first = next(n for n, target in LAZY_COMMANDS.items() if target == (module_name, attr))
        for name in load_commands(module_name, attr, first):
            registered[name] = module_name
    assert registered == {name: module for name, (module, _) in LAZY_COMMANDS.items()}


def test_one_command_imports_its_own_module_and_no_other_command_module() -> None:
    code = ("import sys\n"
            "from accord.cli import main\n"
            "sys.argv = ['accord', 'crisis', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('accord.cli.'))\n"
            "print(' '.join(loaded))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO_ROOT, check=True).stdout.split()
    assert "accord.cli.crisis_cmd" in out
    assert not {"accord.cli.banks", "accord.cli.federation", "accord.cli.serve_cmd",
                "accord.cli.match_cmd", "accord.cli.admin"} & set(out)


def test_help_still_lists_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "accord", "--help"], capture_output=True,
                         text=True, cwd=REPO_ROOT, check=True,
                         env={"COLUMNS": "200", "PATH": ""}).stdout
    for name in LAZY_COMMANDS:
        assert f" {name} " in out, name
