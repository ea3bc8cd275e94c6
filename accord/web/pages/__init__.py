"""Page groups of the web UI, one module each; ``MODULES`` lists them in mount order."""

from __future__ import annotations

from accord.web.pages import admin, audit_log, auth, disputes, home, match, review, signals

MODULES = (auth, home, signals, match, review, disputes, admin, audit_log)
