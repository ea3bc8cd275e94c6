"""SQLAlchemy 2 tables for every entity in DESIGN.md section 4, one module per area.

This package's face: every model is re-exported here, so ``from accord.store
import models as m`` and ``from accord.store.models import X`` are the ways to
use them.

The area modules load on first use (``m.Signal`` imports ``models.signals`` only):
a command that reads signals does not pay for mapping the incidents, cooperation
and federation tables (bench/cli_startup.py). Nothing is lost by it: no model has
a ``relationship()`` to another module, queries name their join conditions or
follow foreign keys between the tables they use, and the first flush of any
session loads every module (the unit of work orders inserts by foreign keys over
all tables). ``load_all()`` gives ``Base.metadata`` every table (what Alembic
compares); ``tests/store/test_models_lazy.py`` holds ``_HOME`` equal to the modules.

No table holds data about content subjects or platform users: a match keeps
the caller's opaque reference only, and the only people Accord knows are its
own members (partner staff who sign in).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from accord.store.models.base import NAMING, Base, UtcDateTime, utcnow

if TYPE_CHECKING:
    from accord.store.models.audit import AuditCheckpoint, AuditEvent, AuditHead
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

# Model name -> the area module that defines it.
_HOME: dict[str, str] = {
    "AuditCheckpoint": "audit",
    "AuditEvent": "audit",
    "AuditHead": "audit",
    "ActionItem": "cooperation",
    "AgendaItem": "cooperation",
    "AutoActionSource": "cooperation",
    "CoopRequest": "cooperation",
    "DesignationSource": "cooperation",
    "Dialogue": "cooperation",
    "DialoguePartner": "cooperation",
    "Programme": "cooperation",
    "ProgrammeDonor": "cooperation",
    "RequestRef": "cooperation",
    "Designation": "entities",
    "Entity": "entities",
    "EntityAlias": "entities",
    "ExchangeOpinion": "federation",
    "ExchangeRecord": "federation",
    "Peer": "federation",
    "PeerSkip": "federation",
    "TaxiiStatus": "federation",
    "Crisis": "incidents",
    "Flow": "incidents",
    "Incident": "incidents",
    "IncidentSource": "incidents",
    "IncidentStatement": "incidents",
    "ApiKey": "partners",
    "Channel": "partners",
    "ChannelInvitation": "partners",
    "ChannelMember": "partners",
    "Member": "partners",
    "Partner": "partners",
    "SignInThrottle": "partners",
    "Delivery": "review",
    "Match": "review",
    "Verdict": "review",
    "Webhook": "review",
    "Bank": "signals",
    "DisputeMessage": "signals",
    "LabelProposal": "signals",
    "Opinion": "signals",
    "Retraction": "signals",
    "Signal": "signals",
    "SignalImport": "signals",
    "SignalLabel": "signals",
    "SignalLabelVersion": "signals",
}
_MODULES = tuple(sorted(set(_HOME.values())))


def __getattr__(name: str) -> Any:
    """Load the area module that defines ``name`` (a model or an area module)."""
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


def load_all() -> None:
    """Import every area module, so that ``Base.metadata`` holds every table."""
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


@event.listens_for(Session, "before_flush")
def _every_table_before_flush(*_: object) -> None:
    # The unit of work sorts the tables it writes by their foreign keys, over every
    # mapped table; one a foreign key names must be loaded by then.
    load_all()


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
