"""Sign-in throttling, audited sign-in and sign-out, and sessions that end on sign-out,
key revocation, a new password and deactivation (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accord import audit
from accord.app import create_app
from accord.config import Settings
from accord.sharing import accounts, service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from accord.web.session import COOKIE
from tests.web.conftest import PASSWORD, Browser, csrf_of, seed

OP = Actor.operator()
WRONG = "wrong password!"


def _browser(settings: Settings, db: Database, **throttle: float) -> Iterator[Browser]:
    seed(db)
    tuned = Settings(home=settings.home, database_url=settings.database_url,
                     refresh_interval_seconds=0.05, **throttle)  # type: ignore[arg-type]
    with TestClient(create_app(tuned), raise_server_exceptions=False) as client:
        yield Browser(client, db)


@pytest.fixture
def strict(settings: Settings, db: Database) -> Iterator[Browser]:
    """Three failures lock an account for one second."""
    yield from _browser(settings, db, sign_in_max_failures=3, sign_in_lockout_seconds=1.0,
                        sign_in_client_max_failures=50)


@pytest.fixture
def per_client(settings: Settings, db: Database) -> Iterator[Browser]:
    """Four failures from one client address lock it, whatever the usernames."""
    yield from _browser(settings, db, sign_in_max_failures=100, sign_in_lockout_seconds=30.0,
                        sign_in_client_max_failures=4)


def _pass(db: Database, seconds: float) -> None:
    """``seconds`` pass for the throttle: its stored times move that much earlier (the
    same rows every worker reads, so no test sleeps through a lock)."""
    with db.transaction() as session:
        for row in session.scalars(select(m.SignInThrottle)):
            row.last_failure_at -= dt.timedelta(seconds=seconds)
            if row.locked_until is not None:
                row.locked_until -= dt.timedelta(seconds=seconds)


def _attempt(web: Browser, username: str, password: str) -> object:
    page = web.client.get("/login")
    return web.client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_of(page.text)})


def _signed_in(web: Browser) -> bool:
    return bool(web.client.get("/").url.path == "/")


def test_the_nth_bad_password_is_answered_429_with_retry_after(strict: Browser) -> None:
    accounts.member_set_password(strict.db, OP, "ada", PASSWORD)
    answers = [_attempt(strict, "ada", WRONG) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]  # type: ignore[attr-defined]
    locked = answers[-1]
    assert int(locked.headers["retry-after"]) >= 1  # type: ignore[attr-defined]
    assert "Too many failed sign-ins" in locked.text  # type: ignore[attr-defined]


def test_a_good_password_is_refused_during_the_lock_and_accepted_after_it(
        strict: Browser) -> None:
    accounts.member_set_password(strict.db, OP, "ada", PASSWORD)
    for _ in range(3):
        _attempt(strict, "ADA ", WRONG)  # the same account however it is typed
    refused = _attempt(strict, "ada", PASSWORD)
    assert refused.status_code == 429 and "retry-after" in refused.headers  # type: ignore[attr-defined]
    assert not _signed_in(strict)
    _pass(strict.db, float(refused.headers["retry-after"]) + 0.2)  # type: ignore[attr-defined]
    assert _attempt(strict, "ada", PASSWORD).status_code == 200  # type: ignore[attr-defined]
    assert _signed_in(strict)


def test_the_lock_grows_with_each_failure_after_it_ends(strict: Browser) -> None:
    accounts.member_set_password(strict.db, OP, "ada", PASSWORD)
    for _ in range(3):
        _attempt(strict, "ada", WRONG)
    _pass(strict.db, 1.2)
    again = _attempt(strict, "ada", WRONG)
    assert again.status_code == 429 and int(again.headers["retry-after"]) == 2  # type: ignore[attr-defined]


def test_many_usernames_from_one_client_lock_that_client(per_client: Browser) -> None:
    accounts.member_set_password(per_client.db, OP, "ada", PASSWORD)
    codes = [_attempt(per_client, f"nobody{i}", WRONG).status_code  # type: ignore[attr-defined]
             for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _attempt(per_client, "ada", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_api_key_sign_ins_count_against_the_client_too(per_client: Browser) -> None:
    secret = service.key_create(per_client.db, OP, "cyd").secret
    for _ in range(4):
        page = per_client.client.get("/login")
        last = per_client.client.post("/login", data={"api_key": "acc_not-a-key",
                                                      "csrf_token": csrf_of(page.text)})
    assert last.status_code == 429
    page = per_client.client.get("/login")
    good = per_client.client.post("/login", data={"api_key": secret,
                                                  "csrf_token": csrf_of(page.text)})
    assert good.status_code == 429


def test_sign_in_failure_success_and_sign_out_are_audited_never_with_the_password(
        web: Browser) -> None:
    accounts.member_set_password(web.db, OP, "ada", PASSWORD)
    _attempt(web, "  Ada  ", WRONG)
    web.sign_in("ada")
    web.post("/logout", {})
    events = [e for e in audit.tail(web.db, 10) if e.action.startswith("session.")]
    assert [e.action for e in events] == ["session.sign_in_failed", "session.sign_in",
                                          "session.sign_out"]
    failed, signed_in, signed_out = events
    assert failed.details["username"] == "Ada" and failed.details["method"] == "password"
    assert failed.object_id == "Ada"
    assert (signed_in.actor, signed_in.details["method"]) == ("ada", "password")
    assert signed_out.actor == "ada"
    everything = json.dumps([e.details for e in audit.tail(web.db, 50)])
    assert WRONG not in everything and PASSWORD not in everything
    assert audit.verify(web.db).ok


def _cookie(web: Browser) -> str:
    value = web.client.cookies.get(COOKIE)
    assert value, "signed in without a session cookie"
    return value


def _reaches_member_page(web: Browser, cookie: str) -> bool:
    web.client.cookies.clear()
    web.client.cookies.set(COOKIE, cookie)
    return _signed_in(web)


def test_an_old_cookie_is_signed_out_after_sign_out(web: Browser) -> None:
    web.sign_in("cyd")
    old = _cookie(web)
    assert _reaches_member_page(web, old)
    web.post("/logout", {})
    assert not _reaches_member_page(web, old)


def test_revoking_one_of_the_members_keys_ends_its_sessions(web: Browser) -> None:
    key = service.key_create(web.db, OP, "cyd")
    web.sign_in("cyd")
    old = _cookie(web)
    service.key_revoke(web.db, OP, str(key.key.id))
    assert not _reaches_member_page(web, old)


def test_a_new_password_ends_the_members_sessions(web: Browser) -> None:
    web.sign_in("cyd")
    old = _cookie(web)
    accounts.member_set_password(web.db, OP, "cyd", "a completely new passphrase")
    assert not _reaches_member_page(web, old)


def test_deactivation_ends_the_members_sessions_and_sign_in(web: Browser) -> None:
    web.sign_in("cyd")
    old = _cookie(web)
    accounts.member_set_active(web.db, OP, "cyd", False)
    assert not _reaches_member_page(web, old)
    assert _attempt(web, "cyd", PASSWORD).status_code == 401  # type: ignore[attr-defined]


def test_other_members_sessions_survive(web: Browser) -> None:
    web.sign_in("ada")
    ada = _cookie(web)
    web.client.cookies.clear()
    web.sign_in("cyd")
    accounts.member_set_active(web.db, OP, "cyd", False)
    assert _reaches_member_page(web, ada)


def test_an_admin_deactivates_and_reactivates_a_member_from_the_admin_page(
        web: Browser) -> None:
    web.sign_in("ada")
    web.post("/admin/members/cyd/deactivate", {}, from_page="/admin")
    assert [m.active for m in accounts.member_list(web.db, OP, "Agency A")
            if m.username == "cyd"] == [False]
    assert "Reactivate cyd" in web.client.get("/admin").text
    web.post("/admin/members/cyd/reactivate", {}, from_page="/admin")
    assert [m.active for m in accounts.member_list(web.db, OP, "Agency A")
            if m.username == "cyd"] == [True]
    page = web.post("/admin/members/bea/deactivate", {}, from_page="/admin")
    assert "another partner" in page.text  # type: ignore[attr-defined]


def test_an_admin_pauses_resumes_and_deletes_a_webhook_from_the_ui(web: Browser) -> None:
    from tests.sharing.test_deactivation import add_webhook
    hook = add_webhook(web.db, "Agency A")
    web.sign_in("ada")
    page = f"/admin/webhooks/{hook}"
    web.post(f"{page}/pause", {}, from_page=page)
    assert "paused" in web.client.get(page).text
    web.post(f"{page}/resume", {}, from_page=page)
    web.post(f"{page}/delete", {}, from_page=page)
    assert f"/admin/webhooks/{hook}" not in web.client.get("/admin").text
    actions = [e.action for e in audit.tail(web.db, 10) if e.object_type == "webhook"]
    assert actions == ["webhook.pause", "webhook.resume", "webhook.delete"]


def test_the_lock_holds_in_another_worker_of_the_node(settings: Settings, db: Database) -> None:
    """The counts are in the database, not a worker's memory: a second app on the same
    database (another worker or replica) refuses the locked account too."""
    seed(db)
    accounts.member_set_password(db, OP, "ada", PASSWORD)
    tuned = Settings(home=settings.home, database_url=settings.database_url,
                     sign_in_max_failures=2, sign_in_lockout_seconds=60.0)
    with TestClient(create_app(tuned), raise_server_exceptions=False) as first:
        codes = [_attempt(Browser(first, db), "ada", WRONG).status_code  # type: ignore[attr-defined]
                 for _ in range(2)]
        assert codes == [401, 429]
    with TestClient(create_app(tuned), raise_server_exceptions=False) as second:
        refused = _attempt(Browser(second, db), "ada", PASSWORD)
        assert refused.status_code == 429  # type: ignore[attr-defined]
        assert 1 <= int(refused.headers["retry-after"]) <= 60  # type: ignore[attr-defined]
