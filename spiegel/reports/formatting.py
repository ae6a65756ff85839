"""How the mirror writes its numbers and names: one team's scoring result in the reader's language.

Every number goes through the one rounding rule (:mod:`spiegel.results.numbers`, :mod:`spiegel.scoring.shown`):
the bands, flags and changes next to it were decided on the same printed value."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from spiegel.instrument.model import Element, Group, Module
from spiegel.reports.report import CompareView, FacetView, ScoreView
from spiegel.results import numbers
from spiegel.scoring import ATTENTION, BOTTLENECK, STRENGTH, Comparison, Score, ScoringConfig, TeamResult, stats
from spiegel.shared.i18n import localized

BAND_LABELS = {STRENGTH: _l("strength"), ATTENTION: _l("needs attention"), BOTTLENECK: _l("bottleneck")}


class Formatter:
    """One team's result (``result``) with the instrument it was scored on, in the language ``lang``."""

    def __init__(self, result: TeamResult, modules: Sequence[Module], config: ScoringConfig, lang: str | None):
        self.result = result
        self.modules = tuple(modules)
        self.config = config
        self.lang = lang or str(get_locale() or "nl")
        self.elements: dict[str, Element] = {}
        self.groups: dict[str, Group] = {}
        for module in self.modules:
            for group in module.groups:
                self.groups[group.id] = group
                for element in group.elements:
                    self.elements[element.id] = element

    def num(self, value: float | None) -> str:
        return numbers.score(value, self.lang)

    def signed(self, value: float | None) -> str:
        """A change or gap: scoring computed it as the difference of the printed values."""
        return numbers.change(value, self.lang)

    def percent(self, share: float | None) -> str:
        return numbers.percent(share, self.lang)

    def fewer_than(self, n: int | None = None) -> str:
        return _("fewer than %(n)s", n=n or self.config.min_group_size)

    def score_view(self, score: Score | None, band: str | None = None) -> ScoreView:
        if score is None or not score.shown or score.mean is None:
            return ScoreView(False, None, self.fewer_than(score.fewer_than if score else None))
        low_agreement = stats.low_agreement(score, self.config)
        return ScoreView(
            True, score.mean, self.num(score.mean), band, str(BAND_LABELS[band]) if band else "", score.n,
            score.sd, self.num(score.sd) if score.sd is not None else "", self.percent(score.agreement),
            self.percent(score.dont_know_share), low_agreement)

    def compare_view(self, label: str) -> CompareView:
        comparison: Comparison | None = self.result.comparisons.get(label)
        if comparison is None:
            return CompareView()
        return CompareView(
            comparison.school_mean, self.num(comparison.school_mean) if comparison.school_mean is not None else "",
            comparison.teams, comparison.previous,
            self.num(comparison.previous) if comparison.previous is not None else "", self.signed(comparison.delta))

    def element_name(self, element_id: str) -> str:
        element = self.elements.get(element_id)
        return localized(element.name) if element else element_id

    def unit_name(self, label: str) -> str:
        """An element, a facet ("R3b" → "Connections: strong") or a group, by its scoring label."""
        if label in self.elements:
            return self.element_name(label)
        if label in self.groups:
            return localized(self.groups[label].name)
        for element_id in sorted(self.elements, key=len, reverse=True):
            if label.startswith(element_id):
                facet_id = label[len(element_id):]
                element = self.elements[element_id]
                for facet in element.facets:
                    if facet.id == facet_id:
                        return _("%(element)s: %(facet)s", element=localized(element.name),
                                 facet=localized(facet.name))
        if label == "phase":
            return _("phase")
        return label

    def phase_name(self, phase: str | None) -> str | None:
        if phase is None:
            return None
        for module in self.modules:
            if module.phase is not None:
                for option in module.phase.options:
                    if option.id == phase:
                        return localized(option.label)
        return phase

    def details(self, score: ScoreView | None, facets: Sequence[FacetView], compare: CompareView) -> str:
        parts = []
        if score is not None and score.shown:
            if score.sd_text:
                parts.append(_("spread %(sd)s", sd=score.sd_text))
            if score.agreement_text:
                parts.append(_("%(share)s within one point", share=score.agreement_text))
            if score.dont_know_text:
                parts.append(_("“don't know” %(share)s", share=score.dont_know_text))
        for facet in facets:
            parts.append(_("%(facet)s %(score)s", facet=facet.name, score=facet.score.text))
        if compare.school_text and compare.teams > 1:
            parts.append(_("school %(value)s", value=compare.school_text))
        if compare.previous_text:
            parts.append(_("previous round %(value)s (%(delta)s)", value=compare.previous_text,
                           delta=compare.delta_text))
        return " · ".join(parts)
