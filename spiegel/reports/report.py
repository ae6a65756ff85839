"""The team mirror as plain data: what every page of the report shows, with every text already in the
reader's language (built by :mod:`spiegel.reports.context`, printed by the templates)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

MAX_HIGHLIGHTS = 8  # strengths and bottlenecks listed by name; the rest counted ("and 4 more")
MAX_ONE_LOOK_STRENGTHS = 6  # strengths named in the one-look page's line; the list in the detail has more


@dataclass(frozen=True)
class FocusTrend:
    """A focus point across the team's full rounds and pulses (issue 18): one text per point of
    ``Report.focus_points`` (a score, "fewer than N", or "—" when not asked)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ScoreView:
    """A score as the report shows it: the number and its texts, or only "fewer than N"."""

    shown: bool
    mean: float | None
    text: str
    band: str | None = None
    band_label: str = ""
    n: int | None = None
    sd: float | None = None
    sd_text: str = ""
    agreement_text: str = ""
    dont_know_text: str = ""
    low_agreement: bool = False


@dataclass(frozen=True)
class CompareView:
    school_mean: float | None = None
    school_text: str = ""
    teams: int = 0
    previous: float | None = None
    previous_text: str = ""
    delta_text: str = ""


@dataclass(frozen=True)
class FacetView:
    label: str
    name: str
    score: ScoreView


@dataclass(frozen=True)
class ElementView:
    id: str
    name: str
    definition: str
    polarity: str
    weak_evidence: bool
    score: ScoreView | None  # None for bipolar and balance elements (read by pole)
    facets: tuple[FacetView, ...]
    compare: CompareView
    details: str = ""  # spread, agreement, "don't know", facets, comparison, as one line


@dataclass(frozen=True)
class GroupSection:
    id: str
    kind: str
    name: str
    score: ScoreView
    compare: CompareView
    elements: tuple[ElementView, ...]  # unipolar ones, charted
    poles: tuple[ElementView, ...]  # bipolar/balance ones of this group
    chart: Markup
    pole_chart: Markup | None = None


@dataclass(frozen=True)
class PoleView:
    id: str
    name: str
    a_name: str
    b_name: str
    a: ScoreView
    b: ScoreView
    expected: tuple[str, ...]
    expected_names: tuple[str, ...]
    flagged: tuple[str, ...]
    flagged_names: tuple[str, ...]


@dataclass(frozen=True)
class NetworkView:
    phase_name: str | None
    poles: tuple[PoleView, ...]
    chart: Markup | None


@dataclass(frozen=True)
class PatternView:
    id: str
    kind: str
    kind_label: str
    name: str
    explanation: str
    variants: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (unit name, value text)
    refs: tuple[str, ...]
    prompt: str


@dataclass(frozen=True)
class GapView:
    label: str
    name: str
    teachers: str
    leaders: str
    gap_text: str
    large: bool


@dataclass(frozen=True)
class RolesView:
    shown: bool
    fewer_than: int | None
    teachers: int | None
    leaders: int | None
    gaps: tuple[GapView, ...]
    large_count: int
    chart: Markup | None


@dataclass(frozen=True)
class Highlight:
    id: str
    name: str
    score: ScoreView
    group: str
    note: str = ""  # e.g. "low for your phase" for a pole (poles have no band)


@dataclass(frozen=True)
class OpenQuestionView:
    id: str
    question: str
    answers: tuple[str, ...]  # empty when not shown
    shown: bool


@dataclass(frozen=True)
class Prompt:
    text: str
    source: str = ""  # the pattern or element it comes from


@dataclass(frozen=True)
class PriorityView:
    rank: int
    element_id: str
    name: str
    value_text: str
    band_label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ItemView:
    id: str
    text: str
    reverse: bool
    score: ScoreView
    distribution: tuple[int, ...] | None
    dont_know: int | None
    spark: str  # the distribution as block characters (see charts.sparkline)


@dataclass(frozen=True)
class ItemGroup:
    name: str
    elements: tuple[tuple[str, str, tuple[ItemView, ...]], ...]  # (element id, name, items)


@dataclass(frozen=True)
class MethodView:
    min_group_size: int
    band_high: str
    band_low: str
    low_agreement_sd: str
    agreement_window: str
    gap_threshold: str
    weak_evidence: tuple[str, ...]
    modules: tuple[tuple[str, int], ...]  # (name, version)
    access: str = "team"  # how respondents got in: one open team code, or single-use personal slips
    school_compared: bool = True  # at least two other teams show results, so the school mean is shown
    module_ids: tuple[str, ...] = ()  # the round's modules, e.g. to credit the optional learning school
    members: int | None = None  # declared team size, when the team has more responses than that


@dataclass(frozen=True)
class Report:
    """One team's mirror. ``suppressed``: fewer respondents than the minimum; only the cover facts
    (never the number of respondents) and the method note are filled."""

    lang: str
    round_team_id: int
    round_id: int
    team: str
    school: str
    round_name: str
    innovation: str
    innovation_description: str
    window: str
    suppressed: bool
    fewer_than: int | None
    respondents: int | None
    phase_name: str | None
    phase_detail: str
    previous_round: str | None
    method: MethodView
    overview_chart: Markup | None = None
    overview: tuple[ElementView, ...] = ()
    sections: tuple[GroupSection, ...] = ()
    network: NetworkView | None = None
    patterns: tuple[PatternView, ...] = ()
    roles: RolesView | None = None
    strengths: tuple[Highlight, ...] = ()
    bottlenecks: tuple[Highlight, ...] = ()
    open_questions: tuple[OpenQuestionView, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    priorities: tuple[PriorityView, ...] = ()
    discussion: tuple[PriorityView, ...] = ()
    rethink: bool = False
    plan: object | None = None
    previous_plan: object | None = None
    plans_available: bool = False
    decisions: tuple[str, ...] = ()  # a sprint review's choices, for the printed plan's review room
    # The team's focus points (the plan's, else the proposal's first choices), with their reasons: marked
    # wherever the element appears, so the one-look page, the detail, the network page and the plan agree.
    focus: tuple[PriorityView, ...] = ()
    focus_ids: frozenset[str] = frozenset()
    # The focus points across the rounds and pulses: the columns (round name, date, pulse?) and one row each.
    focus_points: tuple[tuple[str, str, bool], ...] = ()
    focus_trend: tuple[FocusTrend, ...] = ()
    with_items: bool = False  # the item appendix (a separate download, not part of the mirror by default)
    items: tuple[ItemGroup, ...] = ()
    legend: Markup | None = None
    one_look_strengths: ClassVar[int] = MAX_ONE_LOOK_STRENGTHS

    def listed(self, highlights: Sequence[Highlight], limit: int = MAX_HIGHLIGHTS) -> tuple[tuple[Highlight, ...], int]:
        """The first ``limit`` of a strengths or bottlenecks list, and every focus point among the rest
        (a focus point is visible wherever it belongs); with how many are left out."""
        shown = tuple(h for index, h in enumerate(highlights) if index < limit or h.id in self.focus_ids)
        return shown, len(highlights) - len(shown)
