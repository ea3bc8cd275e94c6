"""Partners, their members and API keys, and channels (the sharing groups)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Partner(Base):
    __tablename__ = "partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0005: the partner agreed to be named in transparency reports.
    report_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Added in 0015: the partner's own consent to have its matches auto-actioned (off until
    # its admin turns it on; a bank owner's opt-in alone never auto-actions for others).
    auto_action_consent: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    # Added in 0015_review_desk: where the partner's reviewers' browsers load the content a match
    # names (``https://media.example/{content_ref}``); Accord never fetches it.
    content_url_template: Mapped[str | None] = mapped_column(String(500))


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0011: web sessions carry it; sign-out, a key revoked, a new password or
    # deactivation raise it, so every older session cookie of the member is signed out.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Added in 0015: the reviewer chose to see previews unblurred by default.
    reveal_previews: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())


class SignInThrottle(Base):
    """Failed sign-ins per account (``account:<username>``) or client (``client:<address>``),
    shared by every worker and replica of the node (added in 0011)."""

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Channel(Base):
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ChannelMember(Base):
    __tablename__ = "channel_members"
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ChannelInvitation(Base):
    """A channel owner's invitation to a partner (added in 0016): the partner becomes a
    member only when its own admin accepts; the inviter may withdraw it while pending."""

    __tablename__ = "channel_invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    invited_by: Mapped[str] = mapped_column(String(100))
    invited_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
