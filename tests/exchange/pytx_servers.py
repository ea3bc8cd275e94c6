"""Local servers that answer as ThreatExchange's Graph API and StopNCII's hash API do, in
the shapes python-threatexchange's own clients read (pytx's clients are pointed at them
through their base-URL settings; nothing of pytx is replaced). NCMEC's answers in its XML
wire format, as pytx's NCMEC client parses it."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

TOKEN = "1234567890|" + "t0ken" * 5  # app id 1234567890 (pytx reads it from the token)
MY_APP = 1234567890
GIFCT_MEMBER = 555000111
PRIVACY_GROUP = 1234


def te_update(indicator: str, at: int, *, delete: bool = False, status: str = "MALICIOUS",
              tags: tuple[str, ...] = ("terrorism",), owner: int = GIFCT_MEMBER,
              kind: str = "HASH_PDQ", reactions: dict[str, str] | None = None) -> dict[str, Any]:
    """One ``/threat_updates`` record: an indicator and its descriptors (or a tombstone)."""
    record: dict[str, Any] = {"id": str(abs(hash(indicator)) % 10**12), "indicator": indicator,
                              "type": kind, "last_updated": at, "should_delete": delete}
    if not delete:
        record["descriptors"] = {"data": [{
            "id": str(abs(hash((indicator, owner))) % 10**12), "owner": {"id": str(owner)},
            "status": status, "tags": list(tags),
            "reactions": [{"key": k, "value": v} for k, v in (reactions or {}).items()]}]}
    return record


@dataclass(frozen=True)
class Reaction:
    """One reaction POST the ThreatExchange server took: to which descriptor, what, and
    the request's query, form and raw body as sent."""

    descriptor_id: int
    reaction: str
    query: dict[str, str]
    form: dict[str, str]
    raw: str


def descriptor_id(indicator: str, owner: int = GIFCT_MEMBER) -> int:
    """The id ``te_update`` gives the descriptor of ``owner`` on ``indicator``."""
    return abs(hash((indicator, owner))) % 10**12


@dataclass
class ThreatExchangeServer:
    """``GET /v/{privacy group}/threat_updates/``: updates since ``start_time`` in time
    order, ``page_size`` a page, ``paging.next`` an absolute URL to the next page."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    garble_page: int | None = None  # this page (1-based, in one query) is cut in half
    stall_page: int | None = None  # this page is answered after ``stall_seconds``
    stall_seconds: float = 0.0
    url: str = ""
    asked: list[dict[str, str]] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)  # POSTs taken, in order
    fail_reactions: int = 0  # the next this many reaction POSTs answer HTTP 500

    def react(self, path: str, query: dict[str, str], form: dict[str, str],
              raw: str) -> tuple[int, str]:
        """``POST /v/{descriptor id}/?access_token=...&reactions=R`` (the Graph API's
        reacting, as pytx's ``react_to_threat_descriptor`` sends it: the reaction in the
        query and again as a form body): ``{"success": true}``."""
        parts = [p for p in path.split("/") if p]
        if len(parts) != 2 or not parts[1].isdigit():
            return 404, json.dumps({"error": {"message": "Unknown path"}})
        if query.get("access_token") != TOKEN:
            return 401, json.dumps({"error": {"message": "Invalid OAuth access token"}})
        if self.fail_reactions > 0:
            self.fail_reactions -= 1
            return 500, json.dumps({"error": {"message": "An unknown error occurred",
                                              "code": 1}})
        self.reactions.append(Reaction(int(parts[1]), form.get("reactions", ""),
                                       dict(query), dict(form), raw))
        return 200, json.dumps({"success": True})

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str]:
        parts = [p for p in path.split("/") if p]
        if parts[-1:] != ["threat_updates"] or parts[-2:-1] != [str(PRIVACY_GROUP)]:
            return 404, json.dumps({"error": {"message": "Unknown path"}})
        if query.get("access_token") != TOKEN:
            return 401, json.dumps({"error": {"message": "Invalid OAuth access token"}})
        self.asked.append(query)
        start = int(query.get("start_time") or 0)
        after = int(query.get("after") or 0)
        found = sorted((u for u in self.updates if u["last_updated"] >= start),
                       key=lambda u: u["last_updated"])
        body: dict[str, Any] = {"data": found[after:after + self.page_size]}
        if after + self.page_size < len(found):
            following = {"access_token": TOKEN, "start_time": start,
                         "after": after + self.page_size, "limit": query.get("limit", "")}
            body["paging"] = {"cursors": {"after": str(after + self.page_size)},
                              "next": f"{self.url}/v/{PRIVACY_GROUP}/threat_updates/?"
                                      + urlencode(following)}
        text = json.dumps(body)
        page = after // self.page_size + 1
        if page == self.stall_page:
            time.sleep(self.stall_seconds)
        if page == self.garble_page:
            text = text[:len(text) // 2]
        return 200, text


@dataclass
class StopNCIIServer:
    """``GET /FetchHashes``: scripted pages, one per call (the last repeats)."""

    pages: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    calls: int = 0
    asked: list[dict[str, str]] = field(default_factory=list)

    feedbacks: list[dict[str, Any]] = field(default_factory=list)  # SubmitFeedback bodies
    raw_feedbacks: list[str] = field(default_factory=list)
    fail_feedbacks: int = 0  # the next this many SubmitFeedback POSTs answer HTTP 500

    def feedback(self, path: str, headers: Any, raw: str) -> tuple[int, str]:
        """``POST /SubmitFeedback`` with its own function key, as pytx's
        ``StopNCIIAPI.submit_feedbacks`` sends it (``{"count", "hashFeedbacks"}``)."""
        if not path.endswith("/SubmitFeedback"):
            return 404, "{}"
        if headers.get("x-functions-key") != "feedback-key" or \
                headers.get("Ocp-Apim-Subscription-Key") != "sub-key":
            return 401, "{}"
        if self.fail_feedbacks > 0:
            self.fail_feedbacks -= 1
            return 500, json.dumps({"error": "internal"})
        self.raw_feedbacks.append(raw)
        self.feedbacks.extend(json.loads(raw)["hashFeedbacks"])
        return 200, "{}"

    def answer(self, path: str, query: dict[str, str], headers: Any) -> tuple[int, str]:
        if not path.endswith("/FetchHashes"):
            return 404, "{}"
        if headers.get("x-functions-key") != "fetch-key" or \
                headers.get("Ocp-Apim-Subscription-Key") != "sub-key":
            return 401, "{}"
        self.asked.append(query)
        page = self.pages[min(self.calls, len(self.pages) - 1)]
        self.calls += 1
        return 200, json.dumps(page)


def ncii_page(hashes: list[str], *, next_time: int, more: bool = False,
              token: str | None = None, feedback: str | None = None) -> dict[str, Any]:
    """A FetchHashes response holding PDQ records."""
    return {"count": len(hashes), "nextPageToken": token, "nextSetTimestamp": next_time,
            "hasMoreRecords": more, "hashRecords": [{
                "lastModtimestamp": next_time, "signalType": "ImagePDQ", "hashValue": h,
                "hashStatus": "Active", "caseNumbers": {"c1": "Active"},
                "CSPFeedbacks": ([{"feedbackValue": feedback, "tags": ["ncii"],
                                   "source": "csp-a"}] if feedback else [])}
                for h in hashes]}


@dataclass
class TCAPServer:
    """Tech Against Terrorism's hash list: ``POST /token-auth/tcap/`` gives a token,
    ``GET /api/hash-list/v2/all?after=TIME,ID`` the entries after that checkpoint, in
    (updated_on, id) order, ``page_size`` a page, ``next`` while more follow."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    url: str = ""
    asked: list[dict[str, str]] = field(default_factory=list)

    def sign_in(self, form: dict[str, str]) -> tuple[int, str]:
        if (form.get("username"), form.get("password")) != ("tcap-user", "tcap-pass"):
            return 400, json.dumps({"error": "Unable to log in with provided credentials."})
        return 200, json.dumps({"user": {"username": "tcap-user"}, "token": "jwt-1"})

    def answer(self, path: str, query: dict[str, str], headers: Any) -> tuple[int, str]:
        if path.rstrip("/") != "/api/hash-list/v2/all":
            return 404, "{}"
        if headers.get("Authorization") != "Bearer jwt-1":
            return 401, json.dumps({"error": "Authentication credentials were not provided."})
        self.asked.append(query)
        after = query.get("after") or ""
        mark = (float(after.partition(",")[0]), int(after.partition(",")[2])) if after \
            else (-1.0, -1)
        found = sorted((e for e in self.entries if (e["updated_on"], e["id"]) > mark),
                       key=lambda e: (e["updated_on"], e["id"]))
        offset = int(query.get("offset") or 0)
        page = found[offset:offset + self.page_size]
        more = offset + self.page_size < len(found)
        last = page[-1] if page else None
        return 200, json.dumps({
            "count": len(found), "previous": None, "results": page,
            "next": f"limit={self.page_size}&offset={offset + self.page_size}" if more
            else None,
            "checkpoint": f"{last['updated_on']},{last['id']}" if last else ""})


def tcap_entry(n: int, digest: str, at: float, *, deleted: bool = False,
               algorithm: str = "PDQ") -> dict[str, Any]:
    """One hash list entry."""
    return {"hash_digest": digest, "algorithm": algorithm, "ideology": "islamist",
            "file_type": "jpg", "deleted": deleted, "updated_on": at,
            "created_on": "2026-01-01T00:00:00Z", "id": n}


@contextmanager
def serving(backend: ThreatExchangeServer | StopNCIIServer | TCAPServer) -> Iterator[str]:
    """Serve ``backend`` on a loopback port; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if isinstance(backend, StopNCIIServer | TCAPServer):
                status, text = backend.answer(parts.path, query, self.headers)
            else:
                status, text = backend.answer(parts.path, query)
            self._send(status, text)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[-1] for k, v in parse_qs(raw).items()}
            if isinstance(backend, TCAPServer) and self.path.startswith("/token-auth/tcap"):
                self._send(*backend.sign_in(form))
            elif isinstance(backend, StopNCIIServer):
                self._send(*backend.feedback(urlsplit(self.path).path, self.headers, raw))
            elif isinstance(backend, ThreatExchangeServer):
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                self._send(*backend.react(parts.path, query, form, self.path + "\n" + raw))
            else:
                self._send(404, "{}")

        def _send(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    backend.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield backend.url
    finally:
        server.shutdown()
        server.server_close()


# -- NCMEC's hash sharing API (XML) ----------------------------------------------------------

NCMEC_USER, NCMEC_PASSWORD = "ncmec-user", "ncmec-pass"
NCMEC_ESP = 42
_NCMEC_NS = "https://hashsharing.ncmec.org/hashsharing/v2"
_NCMEC_TIME = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class NCMECEntry:
    """One entry of NCMEC's database: an image or video with its fingerprints, or the
    tombstone of one (``deleted``); ``at`` is its timestamp (Unix seconds)."""

    id: str
    at: int
    fingerprints: dict[str, str] = field(default_factory=dict)
    kind: str = "image"
    member: int = NCMEC_ESP
    classification: str | None = "A1"
    deleted: bool = False

    def xml(self) -> str:
        tag = ("deleted" + self.kind.capitalize()) if self.deleted else self.kind
        when = datetime.fromtimestamp(self.at, UTC).strftime(_NCMEC_TIME)
        parts = [f'<member id="{self.member}">ESP {self.member}</member>',
                 f"<timestamp>{when}</timestamp>", f"<id>{escape(self.id)}</id>"]
        if not self.deleted:
            if self.classification:
                parts.append(f"<classification>{escape(self.classification)}</classification>")
            parts.append("<fingerprints>" + "".join(
                f"<{k}>{escape(v)}</{k}>" for k, v in self.fingerprints.items())
                + "</fingerprints>")
        return f"<{tag}>{''.join(parts)}</{tag}>"


def _ncmec_seconds(text: str) -> int:
    # pytx writes from/to with datetime.fromtimestamp (local time) and a "Z": read them the
    # same way, so the range is the client's whatever the machine's time zone.
    return int(datetime.strptime(text, _NCMEC_TIME).timestamp())


@dataclass
class NCMECServer:
    """``GET /v2/status`` (who the caller is) and ``GET /v2/entries?from=&to=``: the
    entries with from < timestamp <= to, in id order, not time order (as NCMEC's), a page
    of ``page_size``, ``paging/next`` a path (``start``, ``size``, ``max``) under the base
    URL while more follow. HTTP basic auth. A page holding the entry ``garble_with`` is cut
    in half; with ``stuck_paging`` the next URL names the same page again."""

    entries: list[NCMECEntry] = field(default_factory=list)
    page_size: int = 3
    garble_with: str | None = None
    stuck_paging: bool = False
    url: str = ""
    asked: list[dict[str, str]] = field(default_factory=list)

    def answer(self, path: str, query: dict[str, str], headers: Any) -> tuple[int, str]:
        expected = "Basic " + base64.b64encode(
            f"{NCMEC_USER}:{NCMEC_PASSWORD}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, "<error>unauthorized</error>"
        if path == "/v2/status":
            return 200, (f'<?xml version="1.0" encoding="UTF-8"?><status xmlns="{_NCMEC_NS}">'
                         f'<member id="{NCMEC_ESP}">Accord test ESP</member></status>')
        if path != "/v2/entries":
            return 404, "<error>not found</error>"
        self.asked.append(query)
        low, high = _ncmec_seconds(query["from"]), _ncmec_seconds(query["to"])
        found = sorted((e for e in self.entries if low < e.at <= high), key=lambda e: e.id)
        start = int(query.get("start") or 1)
        page = found[start - 1:start - 1 + self.page_size]
        body = [f'<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="{_NCMEC_NS}">']
        for kind, plural in (("image", "images"), ("video", "videos")):
            mine = [e for e in page if e.kind == kind]
            if not mine:
                body.append(f'<{plural} count="0"/>')
                continue
            top = datetime.fromtimestamp(max(e.at for e in mine), UTC)
            body.append(f'<{plural} count="{len(mine)}" maxTimestamp='
                        f'"{top.strftime(_NCMEC_TIME)}">'
                        + "".join(e.xml() for e in mine) + f"</{plural}>")
        if start + self.page_size <= len(found):
            following = start if self.stuck_paging else start + self.page_size
            nxt = "/v2/entries?" + urlencode({"from": query["from"], "to": query["to"],
                                              "start": following, "size": self.page_size,
                                              "max": len(found)})
            body.append(f"<paging><next>{escape(nxt)}</next></paging>")
        body.append("</queryResult>")
        text = "".join(body)
        if self.garble_with is not None and any(e.id == self.garble_with for e in page):
            text = text[:len(text) // 2]
        return 200, text


@contextmanager
def serving_ncmec(backend: NCMECServer) -> Iterator[str]:
    """Serve ``backend`` on a loopback port (XML answers); yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            status, text = backend.answer(parts.path, query, self.headers)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    backend.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        yield backend.url
    finally:
        server.shutdown()
        server.server_close()
