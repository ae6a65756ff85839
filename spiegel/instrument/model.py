"""The instrument as immutable plain data: modules → groups → elements → items.

Nothing here knows about Flask or the database; scoring and the web pages both read these objects.
A text is a mapping {"nl": ..., "en": ..., "fr": ...}.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace

LANGUAGES = ("nl", "en", "fr")
ROLES = ("teacher", "leader", "support", "other")
# "other" answers only the items meant for everyone.
ALL_ROLES = frozenset(ROLES)
POLARITIES = ("unipolar", "bipolar", "balance")
GROUP_KINDS = ("condition", "outcome", "pillars")
PHASES = ("INI", "IMP", "BOR", "DIF")

Text = Mapping[str, str]


@dataclass(frozen=True)
class Facet:
    id: str
    name: Text
    source: str


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    source: str
    reverse: bool
    roles: frozenset[str]
    facet: str | None
    element_id: str
    group_id: str
    module_id: str

    def asked_of(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Element:
    id: str
    name: Text
    definition: Text
    source: str
    polarity: str
    roles: frozenset[str]
    evidence: str | None
    facets: tuple[Facet, ...]
    items: tuple[Item, ...]
    group_id: str


@dataclass(frozen=True)
class Group:
    id: str
    kind: str
    name: Text
    source: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class PhaseOption:
    id: str
    label: Text
    description: Text
    source: str


@dataclass(frozen=True)
class PhaseQuestion:
    text: Text
    help: Text
    source: str
    options: tuple[PhaseOption, ...]


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: Text


@dataclass(frozen=True)
class Module:
    id: str
    version: int
    name: Text
    intro: Text
    source: str
    groups: tuple[Group, ...]
    phase: PhaseQuestion | None
    open_questions: tuple[OpenQuestion, ...]
    # An optional module (the learning school) is offered when a round is created but not chosen by
    # default: rounds without it stay as they were.
    optional: bool = False

    def elements(self) -> Iterator[Element]:
        for group in self.groups:
            yield from group.elements

    def items(self) -> Iterator[Item]:
        for element in self.elements():
            yield from element.items

    def only(self, element_ids: Collection[str]) -> Module:
        """This module asking only these elements, whole (a pulse round): groups left empty drop out, and
        so do the phase question and the open questions, which keeps it to a few minutes."""
        groups = (replace(g, elements=tuple(e for e in g.elements if e.id in element_ids)) for g in self.groups)
        return replace(self, groups=tuple(g for g in groups if g.elements), phase=None, open_questions=())


@dataclass(frozen=True)
class Instrument:
    """Every loaded module version; rounds name the versions they use."""

    modules: Mapping[tuple[str, int], Module]

    def module(self, module_id: str, version: int | None = None) -> Module:
        """A module by id, at the given version or the newest one. KeyError if unknown."""
        if version is not None:
            return self.modules[(module_id, version)]
        versions = [v for (mid, v) in self.modules if mid == module_id]
        if not versions:
            raise KeyError(module_id)
        return self.modules[(module_id, max(versions))]

    def current(self, optional: bool = False) -> list[Module]:
        """The newest version of every standard module (with ``optional``: of every module, the
        optional ones too), in questionnaire order."""
        ids = sorted({mid for (mid, _) in self.modules}, key=_module_rank)
        return [module for module in map(self.module, ids) if optional or not module.optional]


# Questionnaire order of known modules: conditions first, then the school-wide pillars, then the optional
# learning school.
MODULE_ORDER = ["sustainability", "policy", "learning_school"]


def _module_rank(module_id: str) -> tuple[int, str]:
    known = module_id in MODULE_ORDER
    return (MODULE_ORDER.index(module_id) if known else len(MODULE_ORDER), module_id)
