"""The plan proposal: which focus points, actions, dates and indicators a team starts from.

Pure: plain data in (the team's priority list, the action library, the round's elements, dates), a frozen
:class:`Proposal` out. No Flask, no database, no texts in a language: the service writes the goals and
indicators in the team's language. The rules (design choices, MODEL.md §5 and the priority list):

**Focus points.** The first two items of ``priorities.actions`` that the library has actions for; a third
only when it is a bottleneck (a narrow focus keeps a sprint feasible: "stapel geen doelen", 004:1435-1437).
Low-agreement items (``priorities.discussion``) are never focus points: they become discussion prompts,
because the team needs a conversation before an action (PP08). ``priorities.rethink`` (PP10) is carried
over so the plan can offer "stop or rethink".

**Sprints.** ``count`` sprints of ``weeks`` weeks (the round's sprint_count and sprint_weeks, default 3 × 6).
The first sprint starts on the Monday after the later of the round's closing day and today (the mirror is
discussed after the round closes; a plan made later than that starts next week, never in the past). A sprint
runs from a Monday to the Friday of its last week; the next one starts the Monday after. School holidays are
not known here: the team moves the dates.

**Actions.** Each sprint gets, for every focus point in order, the next action from that focus point's
ranked list that is not yet in the plan, so sprint 1 holds the first action of each focus point, sprint 2 the
second, and so on (an action serving two focus points is used once). A focus point's list is ranked by:

1. the unit that placed it: for a pole (``R3b``) the actions linked to that pole first, then those linked to
   the whole element, then those linked to the other pole;
2. fit with the team's phase: actions without phases or naming the team's phase before the others;
3. actions listed first under this element (``serves`` starts with it) before those that also serve it;
4. library order.

The owner is the action's suggested owner (a role the team edits).

**Indicator.** Sprint *k* looks at focus point *k* (cycling), and names one of its questionnaire statements
that the next round will measure: a statement of the placing pole for a bipolar element, not reverse-keyed
when there is one, a different statement for each visit to the same focus point.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from spiegel.instrument.model import Element, Item
from spiegel.plans.library import Action, Library
from spiegel.scoring.results import BOTTLENECK, Priorities, PriorityItem

MAX_FOCUS = 3
START, MIDDLE, LAST = "start", "middle", "last"


@dataclass(frozen=True)
class SprintDraft:
    number: int
    stage: str  # START, MIDDLE or LAST: which goal text the service writes
    starts_on: date
    ends_on: date
    focus: tuple[str, ...]  # the focus points of the plan (every sprint works on all of them)
    actions: tuple[str, ...]  # action ids, in order
    indicator_element: str | None
    indicator_item: Item | None


@dataclass(frozen=True)
class Proposal:
    focus: tuple[str, ...]
    units: Mapping[str, str]  # focus element → the unit that placed it (the element, or a pole like R3b)
    discussion: tuple[str, ...]
    rethink: bool
    sprints: tuple[SprintDraft, ...]


def next_monday(day: date) -> date:
    """The first Monday strictly after ``day``."""
    return day + timedelta(days=7 - day.weekday())


def sprint_dates(first_start: date, count: int, weeks: int) -> list[tuple[date, date]]:
    """``count`` consecutive sprints of ``weeks`` weeks from a Monday: (Monday, Friday of the last week)."""
    return [(first_start + timedelta(weeks=weeks * k), first_start + timedelta(weeks=weeks * (k + 1), days=-3))
            for k in range(count)]


def first_sprint_start(round_closes_on: date, today: date) -> date:
    """The Monday after the round closes, or after today when that is later."""
    return next_monday(max(round_closes_on, today))


def choose_focus(priorities: Priorities, library: Library) -> list[PriorityItem]:
    usable = [item for item in priorities.actions if library.for_element(item.element_id)]
    chosen = usable[:2]
    if len(usable) > 2 and usable[2].band == BOTTLENECK:
        chosen.append(usable[2])
    return chosen[:MAX_FOCUS]


def ranked_actions(library: Library, element_id: str, unit: str, phase: str | None) -> list[Action]:
    """The library's actions for a focus point, best first (see the module docstring)."""
    def key(indexed: tuple[int, Action]):
        index, action = indexed
        if unit in action.serves:
            link = 0
        elif element_id in action.serves:
            link = 1
        else:
            link = 2
        fits = not action.phases or phase is None or phase in action.phases
        return (link, not fits, action.elements[0] != element_id, index)

    return [action for _, action in sorted(enumerate(library.for_element(element_id)), key=key)]


def pick_indicator(element: Element | None, unit: str, visit: int) -> Item | None:
    """A statement of the element to watch: of the placing pole, not reverse-keyed when possible."""
    if element is None or not element.items:
        return None
    facet = unit[len(element.id):] or None
    items = [item for item in element.items if facet is None or item.facet == facet] or list(element.items)
    straight = [item for item in items if not item.reverse]
    pool = straight or items
    return pool[visit % len(pool)]


def chosen_focus(priorities: Priorities, library: Library, chosen: Sequence[str]) -> list[PriorityItem]:
    """The focus points the team chose itself (in the team conversation), in its order: each placed by
    its unit in the priority list when it is there (a pole such as R3b), else by the whole element.
    Elements the library has no actions for cannot carry a plan and are left out."""
    by_element = {}
    for item in priorities.actions:
        by_element.setdefault(item.element_id, item)
    picked = []
    for element_id in dict.fromkeys(chosen):
        if not library.for_element(element_id):
            continue
        picked.append(by_element.get(element_id) or PriorityItem(0, element_id, element_id, 0.0, "", (), False, None, ()))
    return picked[:MAX_FOCUS]


def propose(priorities: Priorities, library: Library, elements: Mapping[str, Element], *, phase: str | None,
            first_start: date, count: int, weeks: int, chosen: Sequence[str] | None = None) -> Proposal:
    """The proposal for one team (see the module docstring). ``elements``: the round's elements by id;
    ``chosen``: the focus points the team chose, instead of the priority list's first ones."""
    focus_items = chosen_focus(priorities, library, chosen) if chosen else choose_focus(priorities, library)
    focus = tuple(item.element_id for item in focus_items)
    units = {item.element_id: item.unit for item in focus_items}
    queues = {item.element_id: ranked_actions(library, item.element_id, item.unit, phase) for item in focus_items}
    used: set[str] = set()
    sprints: list[SprintDraft] = []
    for index, (starts_on, ends_on) in enumerate(sprint_dates(first_start, count, weeks)):
        actions: list[str] = []
        for element_id in focus:
            queue = queues[element_id]
            while queue and queue[0].id in used:
                queue.pop(0)
            if queue:
                action = queue.pop(0)
                used.add(action.id)
                actions.append(action.id)
        watched = focus[index % len(focus)] if focus else None
        visit = index // len(focus) if focus else 0
        item = pick_indicator(elements.get(watched), units.get(watched, ""), visit) if watched else None
        sprints.append(SprintDraft(index + 1, _stage(index, count), starts_on, ends_on, focus, tuple(actions),
                                   watched, item))
    discussion = tuple(dict.fromkeys(item.element_id for item in priorities.discussion))
    return Proposal(focus, units, discussion, priorities.rethink, tuple(sprints))


def _stage(index: int, count: int) -> str:
    if index == 0:
        return START
    return LAST if index == count - 1 else MIDDLE


def element_map(modules: Sequence) -> dict[str, Element]:
    """Element id → Element over the given modules."""
    return {element.id: element for module in modules for element in module.elements()}
