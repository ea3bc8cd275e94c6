"""How urgent a match is for review: one function, ``priority``, that every edge sorts by.

A match's priority is the sum of these parts (higher: review sooner); each part
that counts also gives a reason, shown beside the score:

====================================  ==================================================
part                                  points
====================================  ==================================================
the signal's gravest behaviour label  ``BEHAVIOUR_WEIGHTS`` (imminent credible threat
                                      100 ... any other behaviour 10); only the gravest
                                      one counts, so labels do not stack
a context label (journalistic, ...)   -30: a non-violating context suppresses actioning
the bank is in an active crisis       +60 (a crisis bank collects content of an
                                      unfolding attack)
the bank auto-actions its matches     +10: its owner holds its signals severe enough to
                                      act on without review
a "known legitimate" (negative) bank  -50
closeness: distance vs threshold      0-20: 20 for an exact hit, falling to 0 at the
                                      threshold
waiting time                          +1 per hour in the queue, at most 24, so old
                                      matches are not starved
====================================  ==================================================

The taxonomy (``accord/taxonomy/accord-taxonomy.json``) gives labels their
meaning, not their weight: the weights are a review policy and live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["BEHAVIOUR_WEIGHTS", "Priority", "priority"]

BEHAVIOUR_WEIGHTS: dict[str, int] = {
    "imminent-credible-threat": 100,
    "threat": 40,
    "instruction-attack-planning": 40,
    "instruction-weapons": 35,
    "incitement-to-violence": 30,
    "attack-footage": 25,
    "graphic-violence-against-defenceless": 25,
    "glorification-of-attack": 20,
    "claim-of-responsibility": 20,
    "perpetrator-produced": 20,
    "recruitment": 15,
    "financing-solicitation": 15,
}
OTHER_BEHAVIOUR = 10
CONTEXT = -30
CRISIS = 60
AUTO_ACTION_BANK = 10
NEGATIVE_BANK = -50
CLOSENESS = 20
WAITING_CAP_HOURS = 24


@dataclass(frozen=True, slots=True)
class Priority:
    """A match's score and the reasons for it (``label:value`` style slugs)."""

    score: int
    reasons: tuple[str, ...]


def _gravest(labels: Iterable[str]) -> tuple[int, str | None]:
    best, why = 0, None
    for label in labels:
        namespace, _, value = label.partition(":")
        if namespace == "behaviour":
            weight = BEHAVIOUR_WEIGHTS.get(value, OTHER_BEHAVIOUR)
            if weight > best:
                best, why = weight, label
    return best, why


def priority(
    labels: Iterable[str], distance: int, threshold: int | None, *, crisis: bool,
    auto_action: bool, negative: bool, waiting: dt.timedelta,
) -> Priority:
    """The review priority of one match (see the module's table)."""
    labels = tuple(labels)
    score, gravest = _gravest(labels)
    reasons = [gravest] if gravest else []
    if any(label.startswith("context:") for label in labels):
        score += CONTEXT
        reasons.append("context")
    for applies, points, reason in ((crisis, CRISIS, "crisis"),
                                    (auto_action, AUTO_ACTION_BANK, "auto-action"),
                                    (negative, NEGATIVE_BANK, "negative")):
        if applies:
            score += points
            reasons.append(reason)
    if threshold is None or threshold <= 0:
        closeness = CLOSENESS if distance == 0 else 0
    else:
        closeness = max(0, round(CLOSENESS * (1 - distance / (threshold + 1))))
    score += closeness
    hours = int(max(waiting, dt.timedelta(0)).total_seconds() // 3600)
    score += min(hours, WAITING_CAP_HOURS)
    return Priority(score, tuple(reasons))
