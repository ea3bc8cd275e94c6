"""Member roles and who acts: a member of a partner, or the node's operator."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accord.errors import PermissionDenied, parse_choice


class Role(StrEnum):
    """What a member may do. Admins manage their partner; curators write signals; an
    auditor reads as a reader does and, besides, the node-wide transparency figures."""

    ADMIN = "admin"
    CURATOR = "curator"
    REVIEWER = "reviewer"
    READER = "reader"
    SYNC = "sync"
    AUDITOR = "auditor"

    @classmethod
    def parse(cls, text: str) -> Role:
        """Parse a role name, with a message listing the valid ones."""
        return parse_choice(cls, text, "role")


# Roles that may do each kind of action. Admins may do everything their partner may.
CAN_CURATE = frozenset({Role.ADMIN, Role.CURATOR})
CAN_REVIEW = frozenset({Role.ADMIN, Role.REVIEWER})
CAN_GIVE_OPINION = frozenset({Role.ADMIN, Role.CURATOR, Role.REVIEWER})
CAN_SYNC = frozenset({Role.ADMIN, Role.SYNC})
# Everyone but the sync role, a machine account: it reaches TAXII, the signal feed that
# accord.pytx reads and this node's peers, nothing else (see ``Actor.require_beyond_sync``).
CAN_READ = frozenset(Role) - {Role.SYNC}
# Who sees the node-wide transparency figures (besides the operator); everyone else sees
# them over what its own partner may see (accord.reports.transparency).
CAN_AUDIT_NODE = frozenset({Role.AUDITOR})


# The names the node itself acts under. Usernames cannot hold ':' ("system:webhooks",
# "accord:crisis-expiry", "cli:alice" are safe); these plain ones are reserved, so no
# member can be mistaken for the operator, the demo or a job in any record.
OPERATOR = "operator"
SYSTEM_NAMES = frozenset({OPERATOR, "demo", "system", "accord", "node", "root", "admin"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs an action, as recorded in the audit log.

    ``partner_id`` is None only for the node operator: someone with direct
    access to the node's database (the CLI on the server), who administers the
    node and may act on behalf of any partner.
    """

    name: str
    partner_id: int | None = None
    role: Role | None = None
    member_id: int | None = None

    @property
    def is_operator(self) -> bool:
        """True for the node operator (full rights on this node)."""
        return self.partner_id is None

    @classmethod
    def operator(cls, name: str = OPERATOR) -> Actor:
        """The node operator, e.g. ``Actor.operator("cli:alice")``."""
        return cls(name=name)

    def require(self, roles: frozenset[Role], action: str) -> None:
        """Raise ``PermissionDenied`` unless this actor holds one of ``roles``."""
        if self.is_operator or self.role in roles:
            return
        allowed = ", ".join(sorted(r.value for r in roles))
        raise PermissionDenied("{name} (role {role}) may not {action}",
                               hint="this needs one of the roles: {allowed}", name=self.name,
                               role=self.role, action=action, allowed=allowed)

    def require_beyond_sync(self, action: str) -> None:
        """Raise ``PermissionDenied`` for a sync-role member: the edges call this on every
        route but TAXII, the signal feed and peers, so a sync key that leaks reads only
        what another node would receive by sync anyway."""
        if self.role is Role.SYNC:
            raise PermissionDenied("{name} (role sync) may not {action}",
                                   hint="the sync role reaches only TAXII, the signal feed and "
                                        "peers; give the member another role (accord member role) "
                                        "for anything else", name=self.name, action=action)

    def require_partner(self, partner_id: int, action: str) -> None:
        """Raise ``PermissionDenied`` unless this actor acts for ``partner_id``."""
        if self.is_operator or self.partner_id == partner_id:
            return
        raise PermissionDenied("{name} may not {action}: it belongs to another partner",
                               name=self.name, action=action)
