"""The Traffic Light Protocol, version 2.0 (FIRST), as Accord applies it."""

from __future__ import annotations

from enum import StrEnum

from accord.errors import Invalid, trimmed


class Tlp(StrEnum):
    """TLP 2.0 markings, from least to most restricted."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @classmethod
    def parse(cls, text: str) -> Tlp:
        """Parse ``text`` ("amber+strict", "TLP:GREEN", "white"...) into a marking.

        TLP 1.0's WHITE is accepted as CLEAR, as TLP 2.0 says.
        """
        key = text.strip().upper().removeprefix("TLP:").replace(" ", "")
        if key == "WHITE":
            return cls.CLEAR
        try:
            return cls(key)
        except ValueError:
            raise Invalid("TLP {text} is not a TLP 2.0 marking",
                          hint="use one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED",
                          text=trimmed(text)) from None
