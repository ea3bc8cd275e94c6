"""The GTD codebook's code lists, as Accord checks and reads them.

Codes and labels follow the Global Terrorism Database codebook (START,
University of Maryland) so a GTD export loads without mapping. Only code
lists are kept here; Accord ships no GTD rows (its licence forbids
redistribution).
"""

from __future__ import annotations

from accord.errors import Invalid, trimmed

ATTACK_TYPES: dict[int, str] = {
    1: "Assassination",
    2: "Armed Assault",
    3: "Bombing/Explosion",
    4: "Hijacking",
    5: "Hostage Taking (Barricade Incident)",
    6: "Hostage Taking (Kidnapping)",
    7: "Facility/Infrastructure Attack",
    8: "Unarmed Assault",
    9: "Unknown",
}

TARGET_TYPES: dict[int, str] = {
    1: "Business",
    2: "Government (General)",
    3: "Police",
    4: "Military",
    5: "Abortion Related",
    6: "Airports & Aircraft",
    7: "Government (Diplomatic)",
    8: "Educational Institution",
    9: "Food or Water Supply",
    10: "Journalists & Media",
    11: "Maritime",
    12: "NGO",
    13: "Other",
    14: "Private Citizens & Property",
    15: "Religious Figures/Institutions",
    16: "Telecommunication",
    17: "Terrorists/Non-State Militia",
    18: "Tourists",
    19: "Transportation",
    20: "Unknown",
    21: "Utilities",
    22: "Violent Political Party",
}

WEAPON_TYPES: dict[int, str] = {
    1: "Biological",
    2: "Chemical",
    3: "Radiological",
    4: "Nuclear",
    5: "Firearms",
    6: "Explosives",
    7: "Fake Weapons",
    8: "Incendiary",
    9: "Melee",
    10: "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
    11: "Sabotage Equipment",
    12: "Other",
    13: "Unknown",
}

REGIONS: dict[int, str] = {
    1: "North America",
    2: "Central America & Caribbean",
    3: "South America",
    4: "East Asia",
    5: "Southeast Asia",
    6: "South Asia",
    7: "Central Asia",
    8: "Western Europe",
    9: "Eastern Europe",
    10: "Middle East & North Africa",
    11: "Sub-Saharan Africa",
    12: "Australasia & Oceania",
}

# Soft targets (issue 9): Business, Educational Institution, Private Citizens &
# Property, Religious Figures/Institutions, Tourists, Transportation.
DEFAULT_SOFT_TARGETS: tuple[int, ...] = (1, 8, 14, 15, 18, 19)

# Older GTD releases spell a few labels differently; read them as the current ones.
_ALIASES = {
    "explosives/bombs/dynamite": "Explosives",
    "vehicle": WEAPON_TYPES[10],
}

# GTD free-text fields that can name people: never read, never stored.
DROPPED_COLUMNS: tuple[str, ...] = (
    "summary", "target1", "target2", "target3", "corp1", "corp2", "corp3", "motive",
    "addnotes", "scite1", "scite2", "scite3",
)

# Sources of an incident, by kind (issue 9: sourcing).
SOURCE_KINDS: tuple[str, ...] = (
    "independent-media", "official-statement", "state-media", "partner-report",
)


class CodeList:
    """One code list: reads a code or its label, case-insensitively."""

    def __init__(self, what: str, codes: dict[int, str]) -> None:
        self.what = what
        self.codes = codes
        self._by_label = {label.lower(): code for code, label in codes.items()}
        self._by_label.update({alias: self._by_label[label.lower()]
                               for alias, label in _ALIASES.items()
                               if label.lower() in self._by_label})

    def code(self, code_text: str, label_text: str) -> int:
        """The code given as a number, or else as a label; ``Invalid`` when unknown."""
        code_text, label_text = code_text.strip(), label_text.strip()
        if code_text:
            try:
                code = int(float(code_text))
            except ValueError:
                code = -1
            if code in self.codes:
                return code
            raise Invalid("{what} code {code_text} is not in the GTD codebook",
                          hint="use one of {min_codes}-{max_codes}", what=self.what,
                          code_text=trimmed(code_text), min_codes=min(self.codes),
                          max_codes=max(self.codes))
        found = self._by_label.get(label_text.lower())
        if found is None:
            raise Invalid("{what} {label_text} is not in the GTD codebook",
                          hint="use the codebook's label, e.g. {codes}", what=self.what,
                          label_text=trimmed(label_text), codes=self.codes[min(self.codes)])
        return found

    def label(self, code: int) -> str:
        """The codebook label of ``code``."""
        return self.codes[code]


ATTACK = CodeList("attack type", ATTACK_TYPES)
TARGET = CodeList("target type", TARGET_TYPES)
WEAPON = CodeList("weapon type", WEAPON_TYPES)
REGION = CodeList("region", REGIONS)
