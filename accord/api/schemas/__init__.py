"""Request and response bodies, one module per router."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class Body(BaseModel):
    """A request body: unknown fields are refused, and so is NUL in any text.

    PostgreSQL cannot store NUL (``\\u0000``) in text, and no name, hash or note
    needs one; refusing it here makes it a 422 on every backend, not a 500 on one.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text must not contain NUL (\\u0000) characters")
        return value
