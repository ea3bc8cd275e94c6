"""A review queue and an incident to read in another language (page and browser tests).

The match's content reference is a SHA-256 hex digest: a value that must read left
to right, whole, inside right-to-left Arabic text.
"""

from __future__ import annotations

from accord.config import Settings
from accord.curation.signals import SignalInput, signal_add
from accord.incidents import service
from accord.incidents.tables import text_table
from accord.matching.service import MatchedSignal
from accord.review.service import record_matches
from accord.sharing.accounts import password_authenticate
from accord.sharing.roles import Actor
from accord.store.database import Database

CONTENT_REF = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
INCIDENT = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
            "targtype1_txt,nkill,nwound\n"
            "201503050001,2015,3,5,Freedonia,Sub-Saharan Africa,North,Bombing/Explosion,"
            "Military,1234,5\n")


def seed_queue_and_incident(db: Database, settings: Settings, username: str,
                            password: str) -> None:
    """One pending match of ``username``'s partner (Agency A's bank) and one incident."""
    member = password_authenticate(db, username, password)
    signal = signal_add(db, Actor.operator(), "a-images", SignalInput("pdq", PDQ), settings)
    hit = MatchedSignal(signal.id, "pdq", signal.value, 4, "a-images", signal.labels,
                        signal.tlp, False)
    record_matches(db, member, CONTENT_REF, [hit])
    service.incident_import(db, Actor.operator(), text_table(INCIDENT),
                            service.Sharing("Agency A", "GREEN"))
