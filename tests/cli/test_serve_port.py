"""``accord serve`` on a taken port: one line, a ``--port`` hint, exit 2 (issue 19)."""

from __future__ import annotations

import socket

from tests.conftest import CliRun


def test_a_taken_port_is_a_one_line_error_with_a_port_hint(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli("serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
