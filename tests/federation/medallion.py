"""OASIS's TAXII 2.1 server, medallion, run as its own process from its own virtualenv.

medallion (BSD-3-Clause, https://github.com/oasis-open/cti-taxii-server) is what partners
run as a plain TAXII 2.1 server. ``Medallion`` starts its ``medallion`` console script
(``tests/tools/medallion.txt``) on a free loopback port with the memory backend, one
API root ``trustgroup1`` and one read-write collection, a small ``max_page_size`` so that
a handful of objects spans several pages; ``add`` posts objects to it as another producer
would (medallion stamps each request's objects with one ``date_added``).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.federation.nodes import free_port
from tests.tools.venvs import tool_venv

COLLECTION_ID = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
COLLECTION_TITLE = "High value indicators"
USER, PASSWORD = "admin", "Password0"
MEDIA_TAXII = "application/taxii+json;version=2.1"


def indicator(n: int, value: str, *, when: str | None = None, **extra: object
              ) -> dict[str, object]:
    """An MD5 indicator (number ``n``, version ``when``) as a third-party producer writes it."""
    stamp = when or f"2026-01-01T00:00:{n % 60:02d}.000Z"
    return {"type": "indicator", "spec_version": "2.1",
            "id": f"indicator--{n:08d}-1111-4111-8111-111111111111",
            "created": stamp, "modified": stamp,
            "pattern": f"[file:hashes.MD5 = '{value}']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z", **extra}


def md5(n: int) -> str:
    """A distinct MD5 value for object ``n``."""
    return f"{n:032x}"


@dataclass
class Medallion:
    """A running medallion: its discovery URL and the collection's objects URL."""

    url: str

    @property
    def discovery(self) -> str:
        return f"{self.url}/taxii2/"

    @property
    def objects_url(self) -> str:
        return f"{self.url}/trustgroup1/collections/{COLLECTION_ID}/objects/"

    def add(self, objects: Sequence[dict[str, object]]) -> None:
        """POST ``objects`` in one request (so they share one ``date_added``)."""
        reply = requests.post(self.objects_url, json={"objects": list(objects)},
                              auth=(USER, PASSWORD), timeout=30,
                              headers={"Content-Type": MEDIA_TAXII, "Accept": MEDIA_TAXII})
        assert reply.status_code == 202, reply.text
        status = reply.json()
        assert status.get("success_count") == len(objects), status

    def all_objects(self) -> list[dict[str, Any]]:
        """Every object in the collection (medallion's own paging, followed as it wants)."""
        found: list[dict[str, Any]] = []
        params = {"limit": "100"}  # medallion's next needs a limit (500 without)
        while True:
            reply = requests.get(self.objects_url, params=params, auth=(USER, PASSWORD),
                                 headers={"Accept": MEDIA_TAXII}, timeout=30)
            reply.raise_for_status()
            page = reply.json()
            found += page.get("objects", [])
            if not page.get("more"):
                return found
            params = {"limit": "100", "next": page["next"]}


def _data(url: str, objects: Sequence[dict[str, object]],
          date_added: dict[str, str]) -> dict[str, object]:
    collection = {"id": COLLECTION_ID, "title": COLLECTION_TITLE,
                  "description": "", "can_read": True, "can_write": True,
                  "media_types": ["application/stix+json;version=2.1"],
                  "objects": list(objects),
                  "manifest": [{"id": o["id"],
                                "date_added": date_added.get(str(o["id"]), str(o["modified"])),
                                "version": o["modified"],
                                "media_type": "application/stix+json;version=2.1"}
                               for o in objects]}
    return {"/discovery": {"title": "medallion", "description": "", "contact": "",
                           "default": f"{url}/trustgroup1/",
                           "api_roots": [f"{url}/trustgroup1/"]},
            "trustgroup1": {"information": {"title": "Trust group 1", "description": "",
                                            "versions": [MEDIA_TAXII],
                                            "max_content_length": 9765625},
                            "status": [], "collections": [collection]}}


@contextmanager
def medallion(folder: Path, objects: Sequence[dict[str, object]] = (), *, page_size: int = 2,
              date_added: dict[str, str] | None = None) -> Iterator[Medallion]:
    """medallion serving ``objects`` (each added at its ``modified`` time, or at the time
    ``date_added`` gives for its id) with pages of at most ``page_size`` objects."""
    venv = tool_venv("medallion")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "medallion-data.json"
    data.write_text(json.dumps(_data(url, objects, date_added or {})))
    config = folder / "medallion.json"
    config.write_text(json.dumps({
        "backend": {"module": "medallion.backends.memory_backend",
                    "module_class": "MemoryBackend", "filename": str(data)},
        "users": {USER: PASSWORD}, "taxii": {"max_page_size": page_size}}))
    log = (folder / "medallion.log").open("w")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    process = subprocess.Popen([str(venv.script("medallion")), "--host", "127.0.0.1",
                                "--port", str(port), str(config)],
                               cwd=venv.root, env={**env, "VIRTUAL_ENV": str(venv.root)},
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/taxii2/", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise RuntimeError("medallion exited: "
                                       + (folder / "medallion.log").read_text()) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("medallion did not start") from None
                time.sleep(0.1)
        yield Medallion(url)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
