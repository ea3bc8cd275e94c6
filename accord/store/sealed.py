"""Secrets the database must hold but never in the clear: sealed with Fernet under a key
kept outside it.

A TAXII peer's API key is a credential this node presents, so it cannot be
hashed like our own members' keys; it is sealed instead (``seal``: Fernet,
AES-128-CBC with HMAC-SHA256, under a key the database does not hold) and opened
only when a sync uses it (``open_secret``). The key is ``ACCORD_SECRETS_KEY``, or
the file ``ACCORD_SECRETS_KEY_FILE`` (default ``HOME/secrets.key``), made with mode
0600 the first time a secret is sealed, as the audit anchor's key is
(``accord.audit_anchor``). A stored value reads ``fernet:<token>``; a database
copied without the key file holds nothing usable. Messages name what could not
be opened and the key's place, never the secret.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from accord.config import Settings
from accord.errors import Invalid

if TYPE_CHECKING:  # cryptography is imported when a secret is sealed or opened, not before
    from cryptography.fernet import Fernet

PREFIX = "fernet:"
"""How a sealed value begins (anything else is a value from before sealing)."""


class SecretUnavailable(Invalid):
    """A sealed secret cannot be opened: the key is missing, unreadable or another one."""

    title = "Secret unavailable"


def key_path(settings: Settings) -> Path:
    """Where the secrets key file is: ACCORD_SECRETS_KEY_FILE or HOME/secrets.key."""
    return settings.secrets_key_file or Path(settings.home) / "secrets.key"


def _source(settings: Settings) -> str:
    return "ACCORD_SECRETS_KEY" if settings.secrets_key else str(key_path(settings))


def _fernet(settings: Settings, *, create: bool) -> Fernet:
    """The Fernet of the node's key (``create``: make the key file first if it is absent)."""
    from cryptography.fernet import Fernet

    text = settings.secrets_key
    if not text:
        path = key_path(settings)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(Fernet.generate_key() + b"\n")
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise SecretUnavailable(
                "the secrets key file {path} is missing", path=path,
                hint="restore it from where the node's keys are kept (set "
                     "ACCORD_SECRETS_KEY_FILE if it lives elsewhere), or give the "
                     "secret again") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretUnavailable("the secrets key file {path} cannot be read: {reason}",
                                    path=path, reason=exc,
                                    hint="make it readable by the user running Accord "
                                         "(mode 0600)") from None
    try:
        return Fernet(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise SecretUnavailable("the secrets key in {source} is not a Fernet key",
                                source=_source(settings),
                                hint="it is 44 characters of urlsafe base64 (32 bytes), as "
                                     "Accord writes it") from None


def is_sealed(stored: str | None) -> bool:
    """Whether ``stored`` is a sealed value (not a plain one from before sealing)."""
    return bool(stored) and str(stored).startswith(PREFIX)


def seal(settings: Settings, secret: str) -> str:
    """``secret`` sealed for the database (the key file is made on first use)."""
    token = _fernet(settings, create=True).encrypt(secret.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def open_secret(settings: Settings, stored: str, what: str) -> str:
    """The secret in ``stored``; ``SecretUnavailable`` naming ``what`` when it cannot be
    opened (a plain value from before sealing is refused too: it should not be there)."""
    if not is_sealed(stored):
        raise SecretUnavailable("{what} is stored unsealed", what=what,
                                hint="upgrade the database with: accord init")
    from cryptography.fernet import InvalidToken

    try:
        key = _fernet(settings, create=False)
    except SecretUnavailable as exc:
        raise SecretUnavailable("{what} cannot be opened: {reason}", what=what,
                                reason=exc.phrase(), hint=exc.hint_phrase()) from None
    try:
        return key.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise SecretUnavailable(
            "{what} cannot be opened with the key in {source} (another key "
            "sealed it, or the value was altered)", what=what, source=_source(settings),
            hint="restore the secrets key the node used, or give the secret again") from None
