"""Who should answer which case: matching by language and skills, spreading by load.

Pure functions over plain values; `actions/cases.py` reads the cases and the agents from the
store, and writes the assignments. A case needs every skill it lists (a rule adds them, for example
["fraud", "lang:es"]): a `lang:xx` skill is met by speaking xx, any other by having it. An
agent who lists no languages speaks all of them, so a small team need not fill them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapport.records.cases import Agent, Work

__all__ = ["Agent", "Plan", "Work", "matches", "pick_next", "plan", "primary", "speaks"]


def primary(lang: str) -> str:
    """'es-MX' and 'ES' both speak 'es': agents list languages, not regional variants."""
    return lang.strip().lower().replace("_", "-").split("-", 1)[0]


def speaks(languages: Iterable[str], lang: str | None) -> bool:
    spoken = {primary(x) for x in languages}
    return not spoken or lang is None or primary(lang) in {"", "und"} or primary(lang) in spoken


def matches(languages: Iterable[str], skills: Iterable[str], work: Work) -> bool:
    """Whether someone with these languages and skills can answer the case."""
    languages = tuple(languages)
    have = {s.strip().lower() for s in skills}
    if not speaks(languages, work.lang):
        return False
    for skill in work.skills:
        wanted = skill.strip().lower()
        if wanted.startswith("lang:"):
            if not speaks(languages, wanted[5:]):
                return False
        elif wanted not in have:
            return False
    return True


def pick_next(
    ordered: Iterable[Work], languages: Sequence[str], skills: Sequence[str]
) -> Work | None:
    """The first case (they come in the order to answer them) this person can answer."""
    return next((w for w in ordered if matches(languages, skills, w)), None)


@dataclass(frozen=True)
class Plan:
    assignments: list[tuple[int, int]]  # (case id, agent id)
    unassigned: list[int]
    last: int | None  # the agent assigned last, where the next round-robin turn starts
    # (the store keeps it per team between runs: `store/turns.py`)


def plan(work: Iterable[Work], agents: Sequence[Agent], last: int | None = None) -> Plan:
    """Give each case, in order, to a matching agent under capacity with the fewest open cases;
    among equally loaded agents, take turns, starting after `last`."""
    load = {a.id: a.load for a in agents}
    ring = sorted(agents, key=lambda a: a.id)
    assignments: list[tuple[int, int]] = []
    unassigned: list[int] = []
    for case in work:
        able = [a for a in ring if load[a.id] < a.capacity and matches(a.languages, a.skills, case)]
        if not able:
            unassigned.append(case.id)
            continue
        fewest = min(load[a.id] for a in able)
        equals = [a for a in able if load[a.id] == fewest]
        # The turn passes to the next agent by id after the last one chosen, wrapping round.
        after = [a for a in equals if last is not None and a.id > last]
        chosen = (after or equals)[0]
        assignments.append((case.id, chosen.id))
        load[chosen.id] += 1
        last = chosen.id
    return Plan(assignments, unassigned, last)
