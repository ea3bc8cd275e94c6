"""Stored codes the UI shows as words: statuses, states, roles, kinds; and the words of
the core's ``vocab`` catalogue.

The codes themselves stay in English in the store and the API; the markers in ``CODES``
put each one in the UI's catalogue, and templates show ``_(code)``. A test checks that
every code of the enums below has its marker here.

Codebook and taxonomy names (GTD attack, target, weapon and region names, taxonomy titles
and definitions, purposes, opinion and partner kinds, roles, audit actions) live in the
core's ``vocab`` catalogue instead, shared with the API and the reports: ``vocab_terms``
lists them from their sources, ``python -m accord.web.catalogs`` writes
``accord/i18n/locale/<locale>/LC_MESSAGES/vocab.po``, and templates show ``vocab(word)``.
"""

from __future__ import annotations

from accord.audit import AuditAction
from accord.cooperation.requests import Purpose
from accord.curation.opinions import OpinionKind
from accord.incidents import codebook
from accord.incidents.statements import Kind as StatementKind
from accord.sharing.roles import Role
from accord.sharing.service import PartnerKind
from accord.taxonomy import load_taxonomy
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
    # other partners' staff (accord.sharing.service.OTHER_STAFF)
    N_("another partner"),
    # webhook delivery status (accord.review.webhooks); cancelled: its verdict was undone
    N_("delivered"), N_("dead"), N_("cancelled"),
    # review desk filters (accord.review.desk.Age, Sort)
    N_("last-hour"), N_("last-day"), N_("over-day"), N_("over-week"),
    N_("priority"), N_("oldest"), N_("newest"),
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
    N_("a personal name (Cyrillic script or its transliteration)"),
    N_("a personal name (Arabic, transliterated)"), N_("a social media or messaging handle"),
)


def vocab_terms() -> list[tuple[str, str]]:
    """Every message id of the core's ``vocab`` catalogue, read from where each word is
    defined, with a note for translators: the GTD codebook's attack, target, weapon and
    region names, incident source and statement kinds, every taxonomy namespace's and
    entry's title and definition, request purposes, opinion kinds, partner kinds, roles
    and audit actions. Stored values stay English; readers see
    ``translate(locale, "vocab", word)``."""
    terms: list[tuple[str, str]] = []
    for what, codes in (("attack type", codebook.ATTACK_TYPES),
                        ("target type", codebook.TARGET_TYPES),
                        ("weapon type", codebook.WEAPON_TYPES),
                        ("region", codebook.REGIONS)):
        terms += [(label, f"GTD codebook {what} {code}") for code, label in codes.items()]
    terms += [(kind, "incident source kind") for kind in codebook.SOURCE_KINDS]
    terms += [(kind.value, "public statement kind") for kind in StatementKind]
    for ns in load_taxonomy().namespaces:
        terms += [(ns.title, f"taxonomy namespace {ns.name}: title"),
                  (ns.definition, f"taxonomy namespace {ns.name}: definition")]
        for entry in ns.entries:
            terms += [(entry.title, f"taxonomy label {entry.label}: title"),
                      (entry.definition, f"taxonomy label {entry.label}: definition")]
    for note, enum in (("request purpose", Purpose), ("opinion kind", OpinionKind),
                       ("partner kind", PartnerKind), ("member role", Role),
                       ("audit action", AuditAction)):
        terms += [(member.value, note) for member in enum]
    return terms
