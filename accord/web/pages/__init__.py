"""Page groups of the web UI, one module each; ``MODULES`` lists them in mount order."""

from __future__ import annotations

from accord.web.pages import (
    admin,
    audit_log,
    auth,
    bank,
    cooperation,
    crises,
    designations,
    disputes,
    home,
    incidents,
    liaison,
    match,
    peers,
    programmes,
    reports,
    review,
    signal_labels,
    signals,
)

MODULES = (auth, home, signals, bank, signal_labels, match, review, disputes, admin, audit_log,
           peers, crises, incidents, reports, cooperation, liaison, programmes, designations)
