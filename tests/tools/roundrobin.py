"""A loopback TCP round-robin balancer, for tests that put several ``accord serve``
replicas behind one address (each new connection goes to the next replica)."""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


class RoundRobin:
    """Forwards each accepted connection to the next backend, counting per backend."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = [(urlsplit(b).hostname or "127.0.0.1", urlsplit(b).port or 80)
                         for b in backends]
        self.served: Counter[int] = Counter()
        self._next = itertools.cycle(range(len(self.backends)))

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        index = next(self._next)
        self.served[index] += 1
        host, port = self.backends[index]
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


@contextmanager
def round_robin(backends: list[str]) -> Iterator[tuple[str, RoundRobin]]:
    """Serve a balancer over ``backends`` on a free loopback port; yields its URL."""
    balancer = RoundRobin(backends)
    loop = asyncio.new_event_loop()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    ready = threading.Event()
    server: asyncio.base_events.Server | None = None

    async def start() -> None:
        nonlocal server
        server = await asyncio.start_server(balancer.handle, sock=sock)
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()),
                                              loop.run_forever()), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}", balancer
    finally:
        async def stop() -> None:
            if server is not None:
                server.close()
                await server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        sock.close()
