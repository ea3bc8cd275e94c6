"""A raw TCP server on one loopback address for outbound tests: records what each connection
sent, answers a fixed reply, and can stand in for a non-HTTP internal service."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Listener:
    """Where it listens, what it answers, and the first bytes of each connection it got."""

    host: str
    port: int
    reply: bytes
    seen: list[bytes] = field(default_factory=list)

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"


@contextmanager
def listening(host: str = "127.0.0.1", reply: bytes = b"HTTP/1.1 200 OK\r\n"
              b"Content-Length: 0\r\nConnection: close\r\n\r\n") -> Iterator[Listener]:
    """A ``Listener`` on ``host`` (a free port) until the block ends."""
    server = socket.socket()
    server.bind((host, 0))
    server.listen(16)
    server.settimeout(0.2)
    box = Listener(host, server.getsockname()[1], reply)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    box.seen.append(conn.recv(65536))
                    conn.sendall(box.reply)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        stop.set()
        thread.join(5)
        server.close()
