"""The steps of the team conversation, built from the team's mirror (spiegel.reports: every number comes
from the results service through it) and what the team typed and chose (spiegel.plans).

One screen per step: the mirror in one look, the strengths, each pattern, each bottleneck and attention
point with the team's explanation, the choice of focus points, the plan proposal.
"""
from __future__ import annotations

from dataclasses import dataclass

from spiegel.plans import services as plans

OVERVIEW, STRENGTHS, PATTERN, NOTE, FOCUS, PLAN = "overview", "strengths", "pattern", "note", "focus", "plan"


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, in the URL
    kind: str
    pattern: object | None = None  # a spiegel.reports PatternView
    highlight: object | None = None  # a spiegel.reports Highlight
    band: str = ""  # for a NOTE step: "bottleneck" or "attention"


def steps(report) -> list[Step]:
    """Every screen of the conversation, in order, from the team's mirror (spiegel.reports.services.team_report;
    a suppressed one has no results to discuss)."""
    if report.suppressed:
        return []
    found: list[tuple[str, dict]] = [(OVERVIEW, {}), (STRENGTHS, {})]
    found += [(PATTERN, {"pattern": p}) for p in report.patterns]
    # (not the poles the mirror lists with the bottlenecks because they are focus points: the steps stay
    # the same whichever focus the team chooses)
    found += [(NOTE, {"highlight": h, "band": "bottleneck"}) for h in report.bottlenecks if not h.note]
    found += [(NOTE, {"highlight": h, "band": "attention"}) for h in report.attention]
    found += [(FOCUS, {}), (PLAN, {})]
    return [Step(number, kind, **extra) for number, (kind, extra) in enumerate(found, start=1)]


def candidates(report, allowed: list[str]) -> list[str]:
    """The elements to choose focus points from: the priority list, then the bottlenecks and the
    attention points, those the action library can build a plan for (``allowed``)."""
    ids = [p.element_id for p in report.priorities] + [h.id for h in report.bottlenecks] + \
        [h.id for h in report.attention]
    return [e for e in dict.fromkeys(ids) if e in allowed]


def choose_focus(round_team, element_ids: list[str], language: str):
    """The team's chosen focus points become its plan: a new plan proposed around them, or the focus of
    the plan it already has (whose sprints the team edits on the plan page)."""
    plan = plans.plan_of(round_team.id)
    if plan is None:
        return plans.create_plan(round_team, generate=True, language=language, chosen=element_ids)
    plans.set_focus(plan, element_ids)
    return plan
