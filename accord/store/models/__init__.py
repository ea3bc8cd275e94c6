"""SQLAlchemy 2 tables for every entity in DESIGN.md section 4, one module per area.

This package's face: every model is re-exported here, so ``from accord.store
import models as m`` and ``from accord.store.models import X`` are the ways to
use them, and ``Base.metadata`` (what Alembic compares) holds every table.

ORM rows stay inside ``accord.store`` and the service modules; edges (CLI,
API, web) only ever see the frozen records in ``accord.store.records``.

No table holds data about content subjects or platform users: a match keeps
the caller's opaque reference only, and the only people Accord knows are its
own members (partner staff who sign in).
"""

from __future__ import annotations

from accord.store.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from accord.store.models.base import NAMING, Base, UtcDateTime, utcnow
from accord.store.models.cooperation import (
    ActionItem,
    AgendaItem,
    AutoActionSource,
    CoopRequest,
    DesignationSource,
    Dialogue,
    DialoguePartner,
    Programme,
    ProgrammeDonor,
    RequestRef,
)
from accord.store.models.entities import Designation, Entity, EntityAlias
from accord.store.models.federation import (
    ExchangeOpinion,
    ExchangeRecord,
    Peer,
    PeerSkip,
    TaxiiStatus,
)
from accord.store.models.incidents import (
    Crisis,
    Flow,
    Incident,
    IncidentSource,
    IncidentStatement,
)
from accord.store.models.partners import (
    ApiKey,
    Channel,
    ChannelInvitation,
    ChannelMember,
    Member,
    Partner,
    SignInThrottle,
)
from accord.store.models.review import Delivery, Match, Verdict, Webhook
from accord.store.models.signals import (
    Bank,
    DisputeMessage,
    LabelProposal,
    Opinion,
    Retraction,
    Signal,
    SignalImport,
    SignalLabel,
    SignalLabelVersion,
)

__all__ = [
    "NAMING",
    "ActionItem",
    "AgendaItem",
    "ApiKey",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "AutoActionSource",
    "Bank",
    "Base",
    "Channel",
    "ChannelInvitation",
    "ChannelMember",
    "CoopRequest",
    "Crisis",
    "Delivery",
    "Designation",
    "DesignationSource",
    "Dialogue",
    "DialoguePartner",
    "DisputeMessage",
    "Entity",
    "EntityAlias",
    "ExchangeOpinion",
    "ExchangeRecord",
    "Flow",
    "Incident",
    "IncidentSource",
    "IncidentStatement",
    "LabelProposal",
    "Match",
    "Member",
    "Opinion",
    "Partner",
    "Peer",
    "PeerSkip",
    "Programme",
    "ProgrammeDonor",
    "RequestRef",
    "Retraction",
    "SignInThrottle",
    "Signal",
    "SignalImport",
    "SignalLabel",
    "SignalLabelVersion",
    "TaxiiStatus",
    "UtcDateTime",
    "Verdict",
    "Webhook",
    "utcnow",
]
