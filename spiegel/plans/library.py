"""The action library (spiegel/plans/actions.yaml): improvement actions from the research reports, each
linked to the sub-elements or pillars it serves and to the seed lines it comes from.

Validated as strictly as the instrument, because the file is edited by hand: a bad file fails at start-up
with a message naming the file, the action and the problem (:class:`LibraryError`). Checked: known keys
only; unique, well-formed ids; every text in nl, en and fr; every citation ``SSS:A-B`` inside its seed
(line counts from spiegel/instrument/seeds.yaml); every linked element (or element pole such as ``R2b``)
present in the instrument and not an outcome indicator; owners and phases from fixed lists; and every
sub-element and pillar of the current instrument served by at least ``min_per_element`` actions.

Plain data in, frozen dataclasses out: no Flask, no database.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from spiegel.instrument import load_instrument
from spiegel.instrument.model import PHASES, Instrument
from spiegel.instrument.schema import DataReader, seed_lines

LIBRARY_FILE = Path(__file__).parent / "actions.yaml"
# Who usually takes an action up (a suggestion; the team types its own owner in the plan).
OWNERS = ("team", "leadership", "coordinator", "board")
ACTION_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_ID = 40
MAX_TITLE = 100
MAX_HOW = 400
MIN_PER_ELEMENT = 2
# A sentence break inside "how" (the how is one sentence).
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÀ-ÖØ-Þ]")


class LibraryError(ValueError):
    """The library file breaks a rule; the message names the file, the action and the problem."""


@dataclass(frozen=True)
class Action:
    """One improvement action.

    ``serves`` lists the links as written (element ids, or pole labels such as ``R2b``); ``elements`` the
    element ids they belong to, in the same order without repeats.
    """

    id: str
    serves: tuple[str, ...]
    elements: tuple[str, ...]
    source: str
    term: str
    owner: str
    phases: tuple[str, ...]
    title: Mapping[str, str]
    how: Mapping[str, str]

    def serves_unit(self, unit: str) -> bool:
        """True when the action is linked to exactly this element or pole label."""
        return unit in self.serves


@dataclass(frozen=True)
class Library:
    version: int
    actions: Mapping[str, Action]  # in file order

    def __contains__(self, action_id: object) -> bool:
        return action_id in self.actions

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions.values())

    def __len__(self) -> int:
        return len(self.actions)

    def get(self, action_id: str | None) -> Action | None:
        return self.actions.get(action_id) if action_id else None

    def for_element(self, element_id: str) -> tuple[Action, ...]:
        """The actions serving an element (or one of its poles), in file order."""
        return tuple(a for a in self.actions.values() if element_id in a.elements)


@cache
def load_library(path: Path = LIBRARY_FILE, min_per_element: int = MIN_PER_ELEMENT) -> Library:
    """The action library, validated against the instrument. Cached: the file does not change while running."""
    return _Reader(Path(path), seed_lines(), load_instrument()).library(min_per_element)


class _Reader(DataReader):
    error = LibraryError

    def __init__(self, path: Path, seeds: dict[str, int], instrument: Instrument):
        super().__init__(path, seeds)
        self.instrument = instrument
        # Every element of every module version: id → (group kind, facet ids).
        self.elements: dict[str, tuple[str, tuple[str, ...]]] = {}
        for module in instrument.modules.values():
            for group in module.groups:
                for element in group.elements:
                    self.elements[element.id] = (group.kind, tuple(f.id for f in element.facets))

    def library(self, min_per_element: int) -> Library:
        data = self.load()
        self.keys(data, "(file)", required={"version", "actions"})
        version = self.positive_int(data["version"], "(file)", "version")
        entries = self.list(data["actions"], "(file)", "actions")
        actions: dict[str, Action] = {}
        for entry in entries:
            action = self.action(entry)
            if action.id in actions:
                self.fail(action.id, "duplicate id")
            actions[action.id] = action
        self.coverage(actions.values(), min_per_element)
        return Library(version, MappingProxyType(actions))

    def action(self, data) -> Action:
        where = data["id"] if isinstance(data, dict) and isinstance(data.get("id"), str) else "(action without id)"
        self.keys(data, where, required={"id", "serves", "source", "term", "owner", "title", "how"},
                  optional={"phases"})
        action_id = data["id"]
        if not isinstance(action_id, str) or len(action_id) > MAX_ID or not ACTION_ID.fullmatch(action_id):
            self.fail(where, f"invalid id {action_id!r} (lower-case words joined by '-', at most {MAX_ID} characters)")
        serves, elements = self.serves(data["serves"], action_id)
        term = data["term"]
        if not isinstance(term, str) or not term.strip():
            self.fail(action_id, "term must be the Dutch key term from the cited passage")
        owner = data["owner"]
        if owner not in OWNERS:
            self.fail(action_id, f"owner must be one of {', '.join(OWNERS)}, found {owner!r}")
        phases = self.phases(data.get("phases"), action_id)
        title = self.text(data["title"], action_id, "title", MAX_TITLE)
        how = self.text(data["how"], action_id, "how", MAX_HOW)
        for lang, value in title.items():
            if value.endswith("."):
                self.fail(action_id, f"title ({lang}) is a short imperative without a closing full stop")
        for lang, value in how.items():
            if value[-1] not in ".?!" or SENTENCE_BREAK.search(value):
                self.fail(action_id, f"how ({lang}) must be one sentence")
        return Action(action_id, serves, elements, self.source(data["source"], action_id), term.strip(), owner,
                      phases, title, how)

    def serves(self, value, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not isinstance(value, list) or not value:
            self.fail(where, "serves must be a non-empty list of element ids")
        labels: list[str] = []
        elements: list[str] = []
        for label in value:
            if not isinstance(label, str):
                self.fail(where, f"serves: {label!r} is not an element id")
            element = self.element_of(label)
            if element is None:
                self.fail(where, f"serves: {label} is not an element or element pole of the instrument")
            if self.elements[element][0] == "outcome":
                self.fail(where, f"serves: {label} is an outcome indicator; outcomes get no actions")
            if label in labels:
                self.fail(where, f"serves: {label} is listed twice")
            labels.append(label)
            if element not in elements:
                elements.append(element)
        return tuple(labels), tuple(elements)

    def element_of(self, label: str) -> str | None:
        if label in self.elements:
            return label
        element, facet = label[:-1], label[-1:]
        if element in self.elements and facet in self.elements[element][1]:
            return element
        return None

    def phases(self, value, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not value or any(p not in PHASES for p in value) \
                or len(set(value)) != len(value):
            self.fail(where, f"phases must be a list of distinct phases from {', '.join(PHASES)}, found {value!r}")
        return tuple(p for p in PHASES if p in value)

    def coverage(self, actions, minimum: int) -> None:
        if minimum <= 0:
            return
        counts: dict[str, int] = {}
        for action in actions:
            for element in action.elements:
                counts[element] = counts.get(element, 0) + 1
        for module in self.instrument.current(optional=True):
            for group in module.groups:
                if group.kind == "outcome":
                    continue
                for element in group.elements:
                    if counts.get(element.id, 0) < minimum:
                        self.fail(element.id, f"has {counts.get(element.id, 0)} actions; every sub-element and "
                                              f"pillar needs at least {minimum}")

    def text(self, value, where: str, name: str, limit: int | None = None) -> Mapping[str, str]:
        return MappingProxyType(super().text(value, where, name, limit))
