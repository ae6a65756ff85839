"""Learning across teams (issue 18): the plans of a school's (or board's) teams pooled by focus element,
so a team sees what other teams tried for the same condition. Per team, never per person."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from spiegel.instrument import load_instrument
from spiegel.org.models import Team
from spiegel.plans.models import Plan
from spiegel.plans.services import SprintReport, plan_report
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db


@dataclass(frozen=True)
class TeamStory:
    """What one team wrote in one round's plan: the sprints with something to learn from (actions tried,
    a CIMO note, a decision or value). Per team, never per person: no owners."""

    team: str
    round_name: str
    shared: bool
    sprints: tuple[SprintReport, ...]


@dataclass(frozen=True)
class ElementStories:
    element_id: str
    name: Mapping[str, str]
    stories: tuple[TeamStory, ...]




def pooled_plans(school_ids: list[int], *, everything: bool, own_teams: set[int] = frozenset()) -> list[ElementStories]:
    """The plans of these schools' teams in full rounds, pooled by focus element (a plan with two focus
    points shows under both), elements in instrument order, teams by name. ``everything``: all plans
    (leaders, coaches, the board); otherwise the shared ones and those of ``own_teams``."""
    query = (select(Plan, Team.name).join(RoundTeam, RoundTeam.id == Plan.round_team_id)
             .join(Round, Round.id == RoundTeam.round_id).join(Team, Team.id == RoundTeam.team_id)
             .where(Round.school_id.in_(school_ids), Round.kind == "full")
             .order_by(Team.name, Round.opens_at.desc(), Plan.id))
    if not everything:
        query = query.where((Plan.shared.is_(True)) | (Team.id.in_(own_teams or [0])))
    by_element: dict[str, tuple[Mapping[str, str], list[TeamStory]]] = {}
    for plan, team_name in db.session.execute(query):
        report = plan_report(plan)
        sprints = tuple(s for s in report.sprints if s.has_cimo or s.reviewed or s.decision_reason)
        if not sprints:
            continue
        story = TeamStory(team_name, report.round_name, plan.shared, sprints)
        for point in report.focus:
            by_element.setdefault(point.element_id, (point.name, []))[1].append(story)
    order = {e.id: index for index, e in enumerate(e for m in load_instrument().current() for e in m.elements())}
    return [ElementStories(element_id, name, tuple(stories))
            for element_id, (name, stories) in sorted(by_element.items(), key=lambda kv: order.get(kv[0], 999))]
