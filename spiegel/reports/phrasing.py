"""What the mirror says in sentences: the phase, the patterns, the priorities' reasons, the questions
to talk about, the charts' text alternatives and key. Texts only; the numbers in them come formatted
(:class:`spiegel.reports.formatting.Formatter`)."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from spiegel.reports.formatting import BAND_LABELS, Formatter
from spiegel.reports.report import ElementView, PatternView, PriorityView, Prompt
from spiegel.scoring import ATTENTION, BOTTLENECK, STRENGTH, PatternHit, PriorityItem, shown
from spiegel.shared.i18n import localized

PATTERN_KINDS = {"strength": _l("Strength"), "risk": _l("Risk"), "dialogue": _l("Conversation first"),
                 "decision": _l("Decision"), "evidence": _l("Evidence note")}
GENERIC_PROMPTS = (
    _l("What in this mirror do you recognise, and what surprises you?"),
    _l("Which strength can we build on in the coming months?"),
    _l("What would we like to see different in the next round?"),
)
MAX_DISCUSSION_PROMPTS = 3
MAX_SPECIFIC_PROMPTS = 3  # prompts from patterns and differences of opinion: the one-look page holds one page


class Phrasing(Formatter):
    def phase_detail(self) -> str:
        phase = self.result.profile.phase
        if phase.phase is None:
            return _("Fewer than %(n)s colleagues answered the phase question.", n=self.config.min_group_size)
        if phase.tied:
            names = ", ".join(self.phase_name(p) or p for p in phase.tied)
            return _("Opinions are split between: %(phases)s. The report reads the earliest one.", phases=names)
        if phase.second and phase.counts and phase.counts.get(phase.second):
            return _("Also mentioned: %(phase)s. Phases overlap in practice.", phase=self.phase_name(phase.second))
        return ""

    def pattern_view(self, hit: PatternHit) -> PatternView:
        info = hit.info
        variants = tuple(localized(info.variants[v].text) for v in hit.variants if v in info.variants)
        values = tuple((self.unit_name(label), self.num(value)) for label, value in hit.values.items())
        refs = tuple(dict.fromkeys((*info.refs, *(r for v in hit.variants if v in info.variants
                                                  for r in info.variants[v].refs))))
        return PatternView(hit.pattern_id, hit.kind, str(PATTERN_KINDS.get(hit.kind, hit.kind)), localized(info.name),
                           localized(info.explanation), variants, values, refs, localized(info.prompt))

    def prompts(self) -> tuple[Prompt, ...]:
        specific = []
        seen = set()
        for hit in self.result.patterns:
            text = localized(hit.info.prompt)
            if text and text not in seen:
                seen.add(text)
                specific.append(Prompt(text, localized(hit.info.name)))
        specific.extend(self.unknown_prompts())
        for item in self.result.priorities.discussion[:MAX_DISCUSSION_PROMPTS]:
            specific.append(Prompt(_("Opinions differ on “%(name)s”. What does each of you see that others may not?",
                                     name=self.unit_name(item.unit)), self.element_name(item.element_id)))
        prompts = [Prompt(str(text)) for text in GENERIC_PROMPTS[:1]] + specific[:MAX_SPECIFIC_PROMPTS]
        if self.result.priorities.rethink:
            prompts.append(Prompt(_("Is continuing this innovation still the right choice, or should we adapt or "
                                    "stop it?")))
        prompts.extend(Prompt(str(text)) for text in GENERIC_PROMPTS[1:])
        return tuple(prompts)

    def unknown_prompts(self) -> list[Prompt]:
        """Elements (or poles) where many answered "don't know": a finding to talk about, not only a
        footnote. The share exists only when at least the minimum answered (scoring.profile)."""
        found = []
        for label, info in self.result.profile.scores.items():
            element = self.elements.get(label) or self.elements.get(label[:-1])
            if element is None or (label not in self.elements and element.polarity == "unipolar"):
                continue  # groups, and a unipolar element's own facets (part of its score)
            share = info.dont_know_share
            if share is not None and shown.percent(share) >= shown.percent(self.config.high_dont_know):
                found.append(Prompt(_("%(share)s of the answers on “%(name)s” were “don't know”: the team does not "
                                      "know this. Who could know, and how do we find out?",
                                      share=self.percent(share), name=self.unit_name(label)),
                                    self.element_name(element.id)))
        return found

    def priority_view(self, item: PriorityItem) -> PriorityView:
        reasons = []
        for reason in item.reasons:
            if reason.code == "pattern":
                hit = next((h for h in self.result.patterns if h.pattern_id == reason.value), None)
                if hit is not None:
                    reasons.append(_("Part of the pattern “%(pattern)s”.", pattern=localized(hit.info.name)))
            elif reason.code == "phase":
                reasons.append(_("Matters in your phase (%(phase)s).", phase=self.phase_name(str(reason.value))))
            elif reason.code == "school_gap" and isinstance(reason.value, float) and shown.score(reason.value) != 0:
                if reason.value < 0:
                    reasons.append(_("%(gap)s below the school mean.", gap=self.num(-reason.value)))
                else:
                    reasons.append(_("%(gap)s above the school mean.", gap=self.num(reason.value)))
            elif reason.code in ("spread", "agreement", "polarised"):
                text = _("Colleagues see this very differently: talk about it first.")
                if text not in reasons:
                    reasons.append(text)
            elif reason.code == "perception_gap" and isinstance(reason.value, float):
                reasons.append(_("Teachers and leaders see this differently (%(gap)s).", gap=self.signed(reason.value)))
        band = str(BAND_LABELS.get(item.band, ""))
        return PriorityView(item.rank, item.element_id, self.unit_name(item.unit), self.num(item.value), band,
                            tuple(reasons))

    def chart_desc(self, views: Sequence[ElementView]) -> str:
        parts = []
        for view in views:
            if view.score is None:
                continue
            text = f"{view.name}: {view.score.text}"
            if view.score.band_label:
                text += f" ({view.score.band_label})"
            if view.compare.school_text and view.compare.teams > 1:
                text += " · " + _("school %(value)s", value=view.compare.school_text)
            if view.compare.previous_text:
                text += " · " + _("previous round %(value)s", value=view.compare.previous_text)
            parts.append(text)
        return "; ".join(parts)

    def legend_items(self) -> list[tuple[str, str]]:
        """The key to the charts: band colours with their thresholds, the spread, the markers."""
        return [(STRENGTH, _("strength (%(value)s or more)", value=self.num(self.config.band_high))),
                (ATTENTION, str(BAND_LABELS[ATTENTION])),
                (BOTTLENECK, _("bottleneck (below %(value)s)", value=self.num(self.config.band_low))),
                ("spread", _("spread (± 1 standard deviation)")),
                ("school", _("school mean")), ("previous", _("previous round"))]
