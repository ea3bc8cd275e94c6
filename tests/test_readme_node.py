"""The README's "Running a node" runs verbatim: every command of its shell block, in
order, in a fresh ACCORD_HOME, exits 0. ``accord serve`` (which runs until stopped) is
started on a free port, checked and stopped. A command the CLI does not know, an option
it lost, an id the step before did not print: the test fails."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PASSWORD = "correct horse battery staple"  # typed twice where `member password` asks


def node_commands(readme: str = README.read_text()) -> list[list[str]]:
    """The commands of the fenced ``sh`` blocks of "## Running a node", as argv lists."""
    section = readme.split("\n## Running a node\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh\n(.*?)^```", section, flags=re.S | re.M)
    assert blocks, "the section has no ```sh block"
    lines = [line for block in blocks for line in block.splitlines()]
    return [argv for line in lines if (argv := shlex.split(line, comments=True))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_check_stop(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    port = _free_port()
    process = subprocess.Popen([*argv, "--port", str(port)], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx2.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "accord serve did not become ready in 90 s"
            time.sleep(0.2)
        assert httpx2.get(base + "/login", timeout=10).status_code == 200
        assert httpx2.get(base + "/docs", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()  # type: ignore[union-attr]


def test_the_readme_names_the_steps_a_newcomer_needs() -> None:
    commands = [" ".join(argv[:3]) for argv in node_commands()]
    assert all(argv[0] == "accord" for argv in node_commands())
    for needed in ("accord demo --samples", "accord init", "accord member list",
                   "accord serve --workers"):
        assert any(c.startswith(needed) for c in commands), needed
    roles = [argv[argv.index("--role") + 1] for argv in node_commands() if "--role" in argv]
    assert "admin" in roles and "reviewer" in roles


def test_a_readme_that_the_cli_does_not_follow_is_caught(tmp_path: Path) -> None:
    broken = README.read_text().replace("accord member list", "accord member enumerate", 1)
    argv = next(a for a in node_commands(broken) if a[1:3] == ["member", "enumerate"])
    done = subprocess.run([sys.executable, "-m", *argv], cwd=tmp_path, capture_output=True,
                          env={**os.environ, "ACCORD_HOME": str(tmp_path / "home"),
                               "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode != 0


@pytest.mark.slow
def test_the_readme_node_section_runs_verbatim(tmp_path: Path) -> None:
    env = {**os.environ, "ACCORD_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
           "ACCORD_REFRESH_INTERVAL_SECONDS": "0.2"}
    env.pop("ACCORD_DATABASE_URL", None)
    for argv in node_commands():
        command = [sys.executable, "-m", *argv]
        if argv[1] == "serve":
            _serve_check_stop(command, tmp_path, env)
            continue
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                              input=f"{PASSWORD}\n{PASSWORD}\n", timeout=300)
        assert done.returncode == 0, (f"`{shlex.join(argv)}` exited {done.returncode}:\n"
                                      f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
