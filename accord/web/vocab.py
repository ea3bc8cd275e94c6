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
    N_("admin"), N_("curator"), N_("reviewer"), N_("reader"), N_("sync"), N_("auditor"),
    # partner kinds (accord.sharing.service.PartnerKind)
    N_("agency"), N_("platform"), N_("ngo"), N_("research"),
    # webhook delivery status (accord.review.webhooks)
    N_("delivered"), N_("dead"),
    # peer sync states (accord.exchange.peers, accord.exchange.sync)
    N_("new"), N_("running"), N_("ok"), N_("failed"),
    # crisis states and criteria (accord.incidents.crisis)
    N_("expired"), N_("closed"),
    N_("the attack killed or wounded many people"),
    N_("the perpetrator or accomplices produced content of the attack (livestream, manifesto, "
       "claim video)"),
    N_("that content is spreading quickly"), N_("it has reached several services"),
    N_("the content risks inspiring or directing further attacks"),
    # incident source kinds (accord.incidents.codebook.SOURCE_KINDS)
    N_("independent-media"), N_("official-statement"), N_("state-media"),
    N_("partner-report"),
    # flows (accord.incidents.flows)
    N_("outbound"), N_("return"), N_("transit"), N_("low"), N_("medium"), N_("high"),
    # requests (accord.cooperation.requests)
    N_("open"), N_("answered"), N_("declined"),
    # label proposals (accord.curation.proposals.ProposalStatus; "open" above)
    N_("accepted"), N_("refused"),
    N_("clarify-designation-basis"), N_("share-hashes-for-incident"),
    N_("clarify-incident-sourcing"), N_("review-disputed-label"),
    N_("support-capacity-programme"),
    # liaison (accord.cooperation.liaison)
    N_("ministerial"), N_("senior-officials"), N_("expert"), N_("technical"), N_("done"),
    N_("dropped"),
    # programmes (accord.cooperation.programmes)
    N_("legal"), N_("online-content"), N_("countering-violent-extremism"), N_("borders"),
    N_("proposed"), N_("suspended"),
    # designations (accord.cooperation.records.DesignationRow)
    N_("listed"), N_("delisted"),
    # what the personal-data check finds (accord.safeguards.personal_data)
    N_("an e-mail address"), N_("a passport number"), N_("a passport machine-readable line"),
    N_("a national identity number"), N_("a phone number"), N_("an identity or phone number"),
    N_("a date of birth"), N_("a personal name (Latin script)"),
    N_("a personal name (Han script)"), N_("a personal name (Arabic script)"),
)
