"""The sprint plan: create it (from the proposal or empty), edit it, review it, and hand it to the report.

Every change is one short transaction that either saves completely or not at all; the forms validate the
input before anything is touched. Repeated submissions are harmless: creating a plan that exists returns
it, adding an action already in the sprint adds nothing, a move names the position it was made from.

Report contract (used by spiegel/reports): :func:`plan_for_report` and :func:`previous_plan_for_report`
return a frozen :class:`PlanReport` (no Flask request objects inside) or None.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spiegel.instrument.model import Element
from spiegel.plans.library import Library, load_library
from spiegel.plans.models import DECISIONS, VALUE_KINDS, Plan, PlanAction, Sprint
from spiegel.plans.proposal import (
    START,
    Proposal,
    element_map,
    first_sprint_start,
    propose,
    sprint_dates,
)
from spiegel.plans.texts import (  # noqa: F401  (ROLE_LABELS: for the pages that show missing_roles)
    DECISION_LABELS,
    ROLE_LABELS,
    decision_label,
    goal_text,
    indicator_text,
    owner_text,
    value_label,
)
from spiegel.results.profiles import previous_round_of, team_profile
from spiegel.rounds import services as rounds
from spiegel.rounds.models import Round, RoundTeam
from spiegel.rounds.services import PULSE_DAYS, PulseError  # noqa: F401  (for the plan views)
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db

MAX_FOCUS = 3

def decision_labels() -> tuple[str, ...]:
    """Every sprint-review decision's label in the current language (continue, adapt, deepen, broaden, stop)."""
    return tuple(decision_label(key) for key in DECISION_LABELS)


def today() -> date:
    return utcnow().date()


# -- reading ------------------------------------------------------------------------------------

def plan_of(round_team_id: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.round_team_id == round_team_id))


def sprint_of(plan: Plan, number: int) -> Sprint | None:
    return next((s for s in plan.sprints if s.number == number), None)


def action_of(plan: Plan, plan_action_id: int) -> PlanAction | None:
    """A plan action of this plan; None when it does not exist. LookupError when it belongs to another plan."""
    found = db.session.get(PlanAction, plan_action_id)
    if found is None:
        return None
    if found.sprint.plan_id != plan.id:
        raise LookupError(plan_action_id)
    return found


def round_elements(round_: Round) -> dict[str, Element]:
    return element_map(round_.instrument_modules())


def focus_choices(round_: Round, library: Library | None = None) -> list[Element]:
    """The elements a team may choose as focus points: the round's sub-elements and pillars that the
    library has actions for (never the outcome indicators), in questionnaire order."""
    library = library or load_library()
    return [element for module in round_.instrument_modules() for group in module.groups
            if group.kind != "outcome" for element in group.elements if library.for_element(element.id)]


def focus_groups(round_: Round, library: Library | None = None) -> list[tuple[Mapping[str, str], list[Element]]]:
    """The focus choices by condition group (group name {"nl", "en", "fr"}, elements), for the focus page."""
    library = library or load_library()
    return [(group.name, [e for e in group.elements if library.for_element(e.id)])
            for module in round_.instrument_modules() for group in module.groups if group.kind != "outcome"]


def date_range(round_: Round) -> tuple[date, date]:
    """The dates a sprint may use: from a year before the round opened to three years after it closed."""
    return round_.opens_at.date() - timedelta(days=366), round_.closes_at.date() + timedelta(days=3 * 366)


# -- creating -----------------------------------------------------------------------------------

def can_propose(round_team: RoundTeam) -> bool:
    """A proposal needs a shown (not suppressed) profile."""
    return team_profile(round_team.id).profile.shown


def proposal_for(round_team: RoundTeam, on: date | None = None, chosen: list[str] | None = None) -> Proposal | None:
    """The generated proposal (around the team's ``chosen`` focus points when given), or None for a
    suppressed team (below the minimum: nothing to base it on)."""
    result = team_profile(round_team.id)
    if not result.profile.shown:
        return None
    round_ = round_team.round
    return propose(result.priorities, load_library(), round_elements(round_), phase=result.profile.phase.phase,
                   first_start=first_sprint_start(round_.closes_at.date(), on or today()),
                   count=round_.sprint_count, weeks=round_.sprint_weeks, chosen=chosen)


def create_plan(round_team: RoundTeam, *, generate: bool, language: str, on: date | None = None,
                chosen: list[str] | None = None) -> Plan:
    """The round-team's plan: from the proposal (``generate``; an empty plan for a suppressed team) or
    empty. Returns the existing plan when there already is one (a double submit creates nothing)."""
    existing = plan_of(round_team.id)
    if existing is not None:
        return existing
    round_ = round_team.round
    proposal = proposal_for(round_team, on, chosen) if generate else None
    now = utcnow()
    plan = Plan(round_team_id=round_team.id, generated=proposal is not None, language=language,
                created_at=now, updated_at=now, focus=[], discussion=[], rethink=False)
    if proposal is not None:
        _fill_from_proposal(plan, proposal)
    else:
        start = first_sprint_start(round_.closes_at.date(), on or today())
        for number, (starts_on, ends_on) in enumerate(
                sprint_dates(start, round_.sprint_count, round_.sprint_weeks), start=1):
            plan.sprints.append(Sprint(number=number, goal="", generated_goal={"key": "choose"},
                                       starts_on=starts_on, ends_on=ends_on))
    db.session.add(plan)
    try:
        db.session.commit()
    except IntegrityError:  # a simultaneous request created it first
        db.session.rollback()
        existing = plan_of(round_team.id)
        if existing is None:
            raise
        return existing
    return plan


def _fill_from_proposal(plan: Plan, proposal: Proposal) -> None:
    """The proposal as ids and parameters: no sentence in any language is stored (see goal_text)."""
    library = load_library()
    plan.focus = list(proposal.focus)
    plan.discussion = list(proposal.discussion)
    plan.rethink = proposal.rethink
    for draft in proposal.sprints:
        if draft.focus:
            goal = {"key": draft.stage, "focus": list(draft.focus), "units": dict(proposal.units)}
        elif proposal.discussion and draft.stage == START:
            goal = {"key": "talk", "focus": list(proposal.discussion)}
        else:
            goal = {"key": "choose"}
        indicator = None
        if draft.indicator_item is not None:
            indicator = {"key": "fewer" if draft.indicator_item.reverse else "more", "item": draft.indicator_item.id}
        sprint = Sprint(number=draft.number, goal="", generated_goal=goal, starts_on=draft.starts_on,
                        ends_on=draft.ends_on, indicator="", generated_indicator=indicator)
        for position, action_id in enumerate(draft.actions, start=1):
            action = library.actions[action_id]
            sprint.actions.append(PlanAction(position=position, action_id=action_id, owner="",
                                             owner_role=action.owner))
        plan.sprints.append(sprint)


def delete_plan(plan: Plan) -> None:
    """Discard the plan (the team starts again)."""
    db.session.delete(plan)
    db.session.commit()


# -- editing ------------------------------------------------------------------------------------

def _touch(plan: Plan) -> None:
    plan.updated_at = utcnow()


def set_focus(plan: Plan, element_ids: list[str]) -> None:
    plan.focus = list(dict.fromkeys(element_ids))[:MAX_FOCUS]
    _touch(plan)
    db.session.commit()


def update_sprint(sprint: Sprint, *, goal: str, starts_on: date, ends_on: date, indicator: str,
                  cimo_context: str, cimo_intervention: str, cimo_mechanism: str, cimo_outcome: str) -> None:
    # A generated text submitted unchanged stays generated (and so follows the reader's language).
    if goal.strip() != goal_text(sprint).strip():
        sprint.goal, sprint.generated_goal = goal.strip(), None
    sprint.starts_on, sprint.ends_on = starts_on, ends_on
    if indicator.strip() != indicator_text(sprint).strip():
        sprint.indicator, sprint.generated_indicator = indicator.strip(), None
    sprint.cimo_context = cimo_context.strip()
    sprint.cimo_intervention = cimo_intervention.strip()
    sprint.cimo_mechanism = cimo_mechanism.strip()
    sprint.cimo_outcome = cimo_outcome.strip()
    _touch(sprint.plan)
    db.session.commit()


def save_review(sprint: Sprint, *, happened: str, learned: str, decision: str | None, reason: str = "",
                value: list[dict] | None = None) -> None:
    """The sprint review. ``value``: [{"kind": one of VALUE_KINDS, "example": the team's text}] — stored as
    kind ids and the team's words, each kind at most once, in VALUE_KINDS order."""
    if decision is not None and decision not in DECISIONS:
        raise ValueError(decision)
    examples = {}
    for entry in value or ():
        if entry.get("kind") not in VALUE_KINDS:
            raise ValueError(entry.get("kind"))
        examples.setdefault(entry["kind"], str(entry.get("example", "")).strip())
    sprint.review_happened = happened.strip()
    sprint.review_learned = learned.strip()
    sprint.decision = decision
    sprint.decision_reason = reason.strip()
    sprint.value = [{"kind": kind, "example": examples[kind]} for kind in VALUE_KINDS if kind in examples]
    _touch(sprint.plan)
    db.session.commit()


def add_action(sprint: Sprint, *, action_id: str | None, own_text: str | None, owner: str) -> PlanAction:
    """Append a library action or the team's own one to the sprint. The same action (or the same own text)
    already in this sprint is not added twice: that one is returned."""
    own_text = own_text.strip() if own_text else None
    action_id = action_id or None
    if (action_id is None) == (own_text is None):
        raise ValueError("give either a library action or an own text")
    if action_id is not None and action_id not in load_library():
        raise ValueError(f"unknown action {action_id}")
    for existing in sprint.actions:
        if (action_id and existing.action_id == action_id) or (own_text and existing.own_text == own_text):
            return existing
    added = PlanAction(position=len(sprint.actions) + 1, action_id=action_id, own_text=own_text,
                       owner=owner.strip())
    sprint.actions.append(added)
    _touch(sprint.plan)
    db.session.commit()
    return added


def update_action(plan_action: PlanAction, *, owner: str, own_text: str | None, sprint: Sprint) -> None:
    """Change the owner, the own text (own actions only) and the sprint (appended at its end)."""
    if owner.strip() != owner_text(plan_action):
        plan_action.owner, plan_action.owner_role = owner.strip(), None
    if plan_action.action_id is None and own_text is not None and own_text.strip():
        plan_action.own_text = own_text.strip()
    old = plan_action.sprint
    if sprint is not old:
        plan_action.position = len(sprint.actions) + 1
        plan_action.sprint = sprint  # moves it between the two collections
        _renumber(old)
    _touch(sprint.plan)
    db.session.commit()


def move_action(plan_action: PlanAction, direction: str, from_position: int) -> bool:
    """Move one place up or down within its sprint, if it is still at ``from_position`` (a repeated click
    moves it once). Returns whether it moved."""
    sprint = plan_action.sprint
    _renumber(sprint)
    actions = list(sprint.actions)
    index = actions.index(plan_action)
    target = index - 1 if direction == "up" else index + 1
    if plan_action.position != from_position or not 0 <= target < len(actions):
        db.session.rollback()
        return False
    actions[index], actions[target] = actions[target], actions[index]
    for position, action in enumerate(actions, start=1):
        action.position = position
    _touch(sprint.plan)
    db.session.commit()
    return True


def remove_action(plan_action: PlanAction) -> None:
    sprint = plan_action.sprint
    sprint.actions.remove(plan_action)
    _renumber(sprint)
    _touch(sprint.plan)
    db.session.commit()


def _renumber(sprint: Sprint) -> None:
    for position, action in enumerate(sorted(sprint.actions, key=lambda a: (a.position, a.id or 0)), start=1):
        action.position = position
    sprint.actions.sort(key=lambda a: a.position)


def set_shared(plan: Plan, shared: bool) -> None:
    plan.shared = shared
    _touch(plan)
    db.session.commit()


# -- pulse rounds -------------------------------------------------------------------------------

def start_pulse(plan: Plan, name: str) -> RoundTeam:
    """A pulse round of the plan's focus points and the sustainability indicators (spiegel.rounds.pulse).
    Raises PulseError when the plan has no focus point."""
    return rounds.create_pulse(plan.round_team, plan.focus, name)


def pulses(round_team: RoundTeam) -> list[RoundTeam]:
    """The team's pulses since this round opened, oldest first."""
    return rounds.team_pulses(round_team.team_id, after=round_team.round.opens_at)


# -- the report contract ----------------------------------------------------------------------


@dataclass(frozen=True)
class FocusPoint:
    element_id: str
    name: Mapping[str, str]  # {"nl", "en", "fr"}


@dataclass(frozen=True)
class ActionReport:
    """A library action (``action_id`` set; ``title`` and ``how`` are {"nl", "en", "fr"}) or the team's
    own (``action_id`` None; ``title`` is the plain text the team typed, ``how`` None)."""

    action_id: str | None
    title: Mapping[str, str] | str
    how: Mapping[str, str] | None
    owner: str
    elements: tuple[str, ...] = ()
    source: str | None = None
    serves: tuple[FocusPoint, ...] = ()  # the plan's focus points this action works on

    @property
    def own(self) -> bool:
        return self.action_id is None


@dataclass(frozen=True)
class ValueStory:
    """A kind of value a sprint created (one of spiegel.plans.models.VALUE_KINDS) and the team's example."""

    kind: str
    example: str = ""

    @property
    def label(self) -> str:
        return value_label(self.kind)


@dataclass(frozen=True)
class SprintReport:
    """One sprint. ``goal`` and ``indicator`` are written in the language current when the report was
    built. CIMO fields and review texts are "" when not written; ``decision`` is one of
    spiegel.plans.models.DECISIONS or None (label: ``decision_label``, in the current language)."""

    number: int
    goal: str
    starts_on: date
    ends_on: date
    indicator: str
    actions: tuple[ActionReport, ...]
    cimo_context: str = ""
    cimo_intervention: str = ""
    cimo_mechanism: str = ""
    cimo_outcome: str = ""
    review_happened: str = ""
    review_learned: str = ""
    decision: str | None = None
    decision_reason: str = ""
    value: tuple[ValueStory, ...] = ()

    @property
    def has_cimo(self) -> bool:
        return any((self.cimo_context, self.cimo_intervention, self.cimo_mechanism, self.cimo_outcome))

    @property
    def reviewed(self) -> bool:
        return bool(self.review_happened or self.review_learned or self.decision or self.value)

    @property
    def decision_label(self) -> str:
        return decision_label(self.decision)


@dataclass(frozen=True)
class PlanReport:
    """A round-team's plan as plain data. ``discussion``: elements to talk about before acting (low
    agreement); ``rethink``: the profile suggested asking whether to go on at all."""

    round_team_id: int
    round_id: int
    round_name: str
    language: str
    generated: bool
    focus: tuple[FocusPoint, ...]
    discussion: tuple[FocusPoint, ...]
    rethink: bool
    sprints: tuple[SprintReport, ...]
    updated_at: datetime


def plan_for_report(round_team_id: int) -> PlanReport | None:
    """The round-team's current plan, or None when it has none."""
    plan = plan_of(round_team_id)
    return plan_report(plan) if plan is not None else None


def previous_plan_for_report(round_team_id: int) -> PlanReport | None:
    """The same team's plan in its previous round of the same school (the latest round that closed before
    this one opened and included the team), or None."""
    round_team = db.session.get(RoundTeam, round_team_id)
    if round_team is None:
        return None
    earlier = previous_round_of(round_team)
    return plan_for_report(earlier[0]) if earlier is not None else None


def value_stories(sprint: Sprint) -> tuple[ValueStory, ...]:
    return tuple(ValueStory(v["kind"], v.get("example", "")) for v in sprint.value or () if v.get("kind") in VALUE_KINDS)


def plan_report(plan: Plan) -> PlanReport:
    library = load_library()
    round_ = plan.round_team.round
    elements = round_elements(round_)

    def point(element_id: str) -> FocusPoint:
        element = elements.get(element_id)
        name = dict(element.name) if element is not None else {lang: element_id for lang in ("nl", "en", "fr")}
        return FocusPoint(element_id, name)

    focus = tuple(point(e) for e in plan.focus)
    sprints = []
    for sprint in plan.sprints:
        actions = []
        for item in sprint.actions:
            action = library.get(item.action_id)
            if action is not None:
                serves = tuple(f for f in focus if f.element_id in action.elements)
                actions.append(ActionReport(action.id, dict(action.title), dict(action.how), owner_text(item),
                                            action.elements, action.source, serves))
            elif item.own_text:
                actions.append(ActionReport(None, item.own_text, None, owner_text(item)))
        sprints.append(SprintReport(
            sprint.number, goal_text(sprint, elements), sprint.starts_on, sprint.ends_on,
            indicator_text(sprint, elements), tuple(actions),
            sprint.cimo_context, sprint.cimo_intervention, sprint.cimo_mechanism, sprint.cimo_outcome,
            sprint.review_happened, sprint.review_learned, sprint.decision, sprint.decision_reason,
            value_stories(sprint)))
    return PlanReport(
        round_team_id=plan.round_team_id, round_id=round_.id, round_name=round_.name,
        language=plan.language, generated=plan.generated,
        focus=focus, discussion=tuple(point(e) for e in plan.discussion),
        rethink=plan.rethink, sprints=tuple(sprints), updated_at=plan.updated_at)
