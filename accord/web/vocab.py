"""Stored codes the UI shows as words: statuses, states, roles, kinds.

The codes themselves stay in English in the store and the API; these markers put
each one in the catalogue, and templates show ``_(code)``. A test checks that
every code of the enums below has its marker here.
"""

from __future__ import annotations

from accord.web.i18n import N_

CODES = (
    # signal status (accord.curation.signals.Status)
    N_("active"), N_("quarantined"), N_("retracted"), N_("any"),
    # match states (accord.review.service.MatchState)
    N_("pending"), N_("auto-actioned"), N_("suppressed"), N_("confirmed"), N_("rejected"),
    # opinions (accord.curation.opinions.OpinionKind)
    N_("agree"), N_("disagree"), N_("false-positive"), N_("seen"),
    # roles (accord.sharing.roles.Role)
    N_("admin"), N_("curator"), N_("reviewer"), N_("reader"), N_("sync"),
    # partner kinds (accord.sharing.service.PartnerKind)
    N_("agency"), N_("platform"), N_("ngo"), N_("research"),
    # webhook delivery status (accord.review.webhooks)
    N_("delivered"), N_("dead"),
)
