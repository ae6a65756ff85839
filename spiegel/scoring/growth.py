"""One rule against differencing two released snapshots: a group figure is shown only where every
group behind it grew by none or by at least the minimum since it was last shown.

A team's snapshot grows by at least the minimum of responses at a time (spiegel.results.profiles),
but a group inside it need not: three new responses can be two teachers and one leader, or three
respondents of whom two answered "don't know" on an item. The leaders' mean before (3 leaders) and
after (4) would then give the new leader's own answers (4·m₄ − 3·m₃). So each figure is replayed over
the release steps (``ResponseData.step``), counts only:

- at each step the figure passes today's rule on the groups as they were then (``passes``), and
- each group's size differs from its size at the last step where the figure was shown by 0 (same
  people, same figure) or by at least the minimum.

The snapshot shows the figure only if it is shown at its last step. Steps are numbered across teams
in the order they happened, so a figure over several teams (the school leaders' pool) replays the
states a reader saw. Sizes are counts of respondents
(per unit: those with a value on it), so the replay is cheap and pure.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


def steps_of(members: Iterable[int]) -> list[int]:
    """The distinct release steps of these respondents' steps, in order."""
    return sorted(set(members))


def sizes(steps: Sequence[int], member_steps: Iterable[int]) -> list[int]:
    """How many of the members (given by their release steps) are in the snapshot at each step."""
    ordered = sorted(member_steps)
    found, count = [], 0
    for step in steps:
        while count < len(ordered) and ordered[count] <= step:
            count += 1
        found.append(count)
    return found


def shown_after_growth(history: Iterable[Sequence[int]], minimum: int,
                       passes: Callable[..., bool]) -> bool:
    """Whether a figure is shown at the last step. ``history`` gives, per release step in order, the
    sizes of the groups behind the figure (e.g. (teachers, leaders, rest)); ``passes(*sizes)`` is
    today's rule on them."""
    last: Sequence[int] | None = None  # the sizes at the last step where the figure was shown
    shown = False
    for counts in history:
        shown = passes(*counts) and (last is None or all(
            now == then or abs(now - then) >= minimum for now, then in zip(counts, last)))
        if shown:
            last = counts
    return shown


def grew_safely(steps: Sequence[int], groups: Sequence[Iterable[int]], minimum: int,
                passes: Callable[..., bool]) -> bool:
    """:func:`shown_after_growth` over ``steps`` (:func:`steps_of` all respondents concerned) for
    groups given by their members' release steps; with a single step there is nothing to difference."""
    if len(steps) < 2:
        return True
    return shown_after_growth(zip(*(sizes(steps, members) for members in groups)), minimum, passes)
