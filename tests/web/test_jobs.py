"""Each job through the UI's forms on every database backend (the browser tests use SQLite)."""

from __future__ import annotations

import re
import time

from tests.web.conftest import Browser

HASHES = ["1" * 64, "2" * 63 + "0", "3" * 64]


def _import(web: Browser, bank: str, body: bytes, name: str = "hashes.csv") -> str:
    started = web.post("/signals/import", {"bank": bank}, from_page="/signals",
                       files={"file": (name, body)})
    html = started.text  # type: ignore[attr-defined]
    job = re.search(r'hx-get="/imports/([^"]+)"', html)
    deadline = time.monotonic() + 30
    while job and time.monotonic() < deadline:
        html = web.client.get(f"/imports/{job.group(1)}").text
        if 'class="import">' in html or "hx-get" not in html:
            break
        time.sleep(0.1)
    return html


def test_import_match_review_and_dispute(web: Browser) -> None:
    web.sign_in("ada")
    rows = "".join(f"pdq,{h},100,content:image\n" for h in HASHES)
    done = _import(web, "a-images", f"signal_type,signal_value,quality,labels\n{rows}"
                   "pdq,not-a-hash,100,content:image\n".encode())
    assert "Done: 3 added, 0 already there, 1 rejected." in done
    again = _import(web, "a-images", f"signal_type,signal_value,quality,labels\n{rows}".encode())
    assert "Done: 0 added, 3 already there, 0 rejected." in again

    # The match index follows the import within a refresh interval: ask until it has
    # (a query that matches nothing records nothing, so asking again is harmless).
    deadline = time.monotonic() + 10
    while True:
        matched = web.post("/match", {"query": f"pdq:{'1' * 63}0", "content_ref": "upload-7"},
                           from_page="/match").text  # type: ignore[attr-defined]
        if "1 match recorded for review." in matched or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "1 match recorded for review." in matched and "a-images" in matched

    queue = web.client.get("/review").text
    match_id = re.search(r'data-match="(\d+)"', queue).group(1)  # type: ignore[union-attr]
    assert "upload-7" in queue and "Content type: Image" in queue
    web.post(f"/review/{match_id}/claim", {}, from_page="/review")
    refused = web.post(f"/review/{match_id}/decide", {"decision": "reject"}, from_page="/review")
    assert "needs a rationale" in refused.text  # type: ignore[attr-defined]
    decided = web.post(f"/review/{match_id}/decide",
                       {"decision": "reject", "rationale": "a news report"}, from_page="/review")
    assert f"Match {match_id} rejected." in decided.text  # type: ignore[attr-defined]

    signal = re.search(r'href="(/signals/\d+)"', matched).group(1)  # type: ignore[union-attr]
    web.post("/logout", {}, from_page="/")
    web.sign_in("bea")
    web.post(signal + "/opinion", {"kind": "false-positive", "note": "cartoon, not propaganda"},
             from_page=signal)
    web.post("/logout", {}, from_page="/")
    web.sign_in("cyd")
    disputes = web.client.get("/disputes").text
    assert "cartoon, not propaganda" in disputes and "Platform B" in disputes
    dashboard = web.client.get("/").text
    tile = r'Disputed signals</h2><p class="figure"><a href="/disputes">1<'
    assert re.search(tile, dashboard)


def test_a_file_of_unknown_format_is_refused_before_anything_starts(web: Browser) -> None:
    web.sign_in("cyd")
    answer = _import(web, "a-images", b"pdq,abc\n", name="hashes.txt")
    assert "cannot tell the format" in answer


def test_rejected_rows_download_for_their_importer_only_and_never_as_formulas(
        web: Browser) -> None:
    web.sign_in("cyd")
    done = _import(web, "a-images", b"signal_type,signal_value\npdq," + b"4" * 64 + b"\n"
                   b'=HYPERLINK("http://x.example"),abc\n')
    job = re.search(r'href="/imports/([^"/]+)/rejected.csv"', done)
    assert job is not None, done
    rejected = web.client.get(f"/imports/{job.group(1)}/rejected.csv")
    assert rejected.status_code == 200
    assert rejected.headers["content-type"].startswith("text/csv")
    lines = rejected.text.splitlines()
    assert lines[0] == "line,reason,row"
    assert lines[1].startswith("3,") and "'=HYPERLINK" in lines[1]

    web.post("/logout", {}, from_page="/")
    web.sign_in("ada")  # same partner, another member: like an import that never was
    theirs = web.client.get(f"/imports/{job.group(1)}/rejected.csv")
    missing = web.client.get("/imports/no-such-job/rejected.csv")
    assert theirs.status_code == missing.status_code == 404
