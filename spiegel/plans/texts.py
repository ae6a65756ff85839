"""The plan's texts in the reader's language: decisions, owners, and the goals and indicators the
proposal wrote (stored as keys with the sprint, worded when shown, so a plan reads in every language)."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from spiegel.instrument.model import Element
from spiegel.plans.library import OWNERS
from spiegel.plans.models import PlanAction, Sprint
from spiegel.plans.proposal import LAST, MIDDLE, START, element_map
from spiegel.shared.i18n import localized

DECISION_LABELS = {
    "continue": _l("Continue"),
    "adapt": _l("Adapt"),
    "deepen": _l("Deepen (verdieping)"),
    "broaden": _l("Broaden (verbreding)"),
    "stop": _l("Stop or rethink"),
}
DECISION_HINTS = {
    "continue": _l("Keep going as planned."),
    "adapt": _l("Keep going, but change the approach."),
    "deepen": _l("Go deeper with the same colleagues."),
    "broaden": _l("Involve new colleagues or teams."),
    "stop": _l("Stop or rethink the innovation: a legitimate outcome when it no longer fits."),
}
# Seed 004's five kinds of value (004:3792-3822), each with what it means there.
VALUE_LABELS = {
    "conversations": _l("Productive conversations"),
    "resources": _l("Useful resources"),
    "practice": _l("Changed practice"),
    "results": _l("Visible results"),
    "insights": _l("New insights"),
}
VALUE_HINTS = {
    "conversations": _l("The dialogue itself, and the closer ties it brought."),
    "resources": _l("Materials, contacts and (lesson) ideas picked up along the way."),
    "practice": _l("Something we now do differently, because of a particular action."),
    "results": _l("Better results of pupils, teachers, the team or the school."),
    "insights": _l("Looking at things differently, as a person or as a group."),
}
OWNER_LABELS = {
    "team": _l("The whole team"),
    "leadership": _l("School leadership"),
    "coordinator": _l("Coordinator"),
    "board": _l("School board"),
}
# Extra owner suggestions the form offers (the team may type any name).
OWNER_SUGGESTIONS = (*OWNERS, "coach")
OWNER_LABELS_EXTRA = {"coach": _l("Coach")}

# The proposal's texts, by the key stored with the sprint (models.Sprint.generated_goal/_indicator). A
# goal says what should change: the first sentence of each focus point's description (the state the
# team works towards), or for a pole the direction it should move in.
_GOALS = {
    START: _l("Get started on what should change: %(changes)s"),
    MIDDLE: _l("Keep going and adjust, towards: %(changes)s"),
    LAST: _l("Make it stick and decide how to go on, towards: %(changes)s"),
}
_GOAL_POLE = _l("“%(element)s” moves towards “%(pole)s”")
_GOAL_TALK = _l("Talk as a team about %(elements)s and choose a focus")
_GOAL_CHOOSE = _l("Choose a focus and actions for this sprint")
_INDICATORS = {
    "more": _l("In the next round, more colleagues agree with: “%(statement)s”"),
    "fewer": _l("In the next round, fewer colleagues agree with: “%(statement)s”"),
}


def decision_label(decision: str | None) -> str:
    """The decision's label in the current language ("" for none)."""
    return str(DECISION_LABELS[decision]) if decision in DECISION_LABELS else ""


def value_label(kind: str) -> str:
    return str(VALUE_LABELS[kind]) if kind in VALUE_LABELS else ""


def owner_label(key: str) -> str:
    return str(OWNER_LABELS.get(key) or OWNER_LABELS_EXTRA[key])


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text


def _elements_of(sprint: Sprint) -> Mapping[str, Element]:
    return element_map(sprint.plan.round_team.round.instrument_modules())


def goal_text(sprint: Sprint, elements: Mapping[str, Element] | None = None) -> str:
    """The sprint's goal in the current language: the team's own text, or the proposal's written now."""
    generated = sprint.generated_goal
    if not generated:
        return sprint.goal
    key = generated.get("key")
    if key == "choose":
        return str(_GOAL_CHOOSE)
    elements = elements if elements is not None else _elements_of(sprint)
    present = [elements[e] for e in generated.get("focus", ()) if e in elements]
    if key == "talk":
        return str(_GOAL_TALK) % {"elements": ", ".join(localized(e.name) for e in present)}
    if key not in _GOALS:
        return sprint.goal
    units = generated.get("units", {})
    changes = []
    for element in present:
        facet_id = units.get(element.id, element.id)[len(element.id):]
        facet = next((f for f in element.facets if f.id == facet_id), None)
        if element.polarity != "unipolar" and facet is not None:
            changes.append(str(_GOAL_POLE) % {"element": localized(element.name), "pole": localized(facet.name)})
        else:
            changes.append(_first_sentence(localized(element.definition)))
    return str(_GOALS[key]) % {"changes": " · ".join(changes)}


def indicator_text(sprint: Sprint, elements: Mapping[str, Element] | None = None) -> str:
    generated = sprint.generated_indicator
    if not generated or generated.get("key") not in _INDICATORS:
        return sprint.indicator
    elements = elements if elements is not None else _elements_of(sprint)
    item_id = generated.get("item", "")
    item = next((i for e in elements.values() for i in e.items if i.id == item_id), None)
    if item is None:
        return sprint.indicator
    return str(_INDICATORS[generated["key"]]) % {"statement": localized(item.text)}


def owner_text(plan_action: PlanAction) -> str:
    """Who takes the action up, in the current language: a suggested role, or the name the team typed."""
    if plan_action.owner_role in OWNER_LABELS:
        return owner_label(plan_action.owner_role)
    return plan_action.owner
