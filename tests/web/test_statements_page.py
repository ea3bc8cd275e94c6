"""The incident page: a curator records its partner's statement with a form; the facts
table shows, per opted-in partner, whether and when it spoke; in Chinese too."""

from __future__ import annotations

from accord.incidents import service
from accord.reports.transparency import set_report_opt_in
from accord.sharing.roles import Actor
from tests.web.conftest import Browser

OP = Actor.operator()
FIELDS = {"iyear": "2026", "imonth": "3", "iday": "14", "country_txt": "France",
          "attacktype1_txt": "Bombing/Explosion", "targtype1_txt": "Transportation"}


def test_a_curator_records_a_statement_and_the_page_shows_the_facts(web: Browser) -> None:
    found = service.incident_add(web.db, OP, FIELDS, service.Sharing("Agency A", "GREEN")).id
    set_report_opt_in(web.db, OP, "Agency A", True)
    set_report_opt_in(web.db, OP, "Platform B", True)
    web.sign_in("cyd")
    page = f"/incidents/{found}"
    refused = web.post(f"{page}/statements", {
        "kind": "condemnation", "spoken_at": "2026-03-14T18:30", "language": "fr",
        "url": "https://agency-a.example/1", "text": "Call +33 6 12 34 56 78 now."},
        from_page=page)
    assert "phone number" in refused.text  # type: ignore[attr-defined]
    done = web.post(f"{page}/statements", {
        "kind": "condemnation", "spoken_at": "2026-03-14T18:30", "language": "fr",
        "url": "https://agency-a.example/1", "text": "We condemn this attack."},
        from_page=page)
    text = done.text  # type: ignore[attr-defined]
    assert "Statement recorded." in text and "Public statements" in text
    assert "2026-03-14 18:30" in text and "18.5" in text
    assert "Platform B" in text and "nothing recorded" in text  # opted in, silent
    assert "rank" not in text.lower().replace("not a ranking", "")
    web.client.cookies.set("accord_lang", "zh_Hans")
    chinese = web.client.get(page).text
    assert "公开声明" in chinese and "谴责" in chinese and "无记录" in chinese
