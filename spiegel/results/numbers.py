"""Shown numbers in the reader's language: the one rounding rule (:mod:`spiegel.scoring.shown`) with
the locale's decimal sign. The team mirror (web and PDF), the plan, the comparison heat map, the trend
and the exports all print scores, changes and shares through these functions, so one number reads the
same everywhere and every label next to it was decided on exactly that number."""
from __future__ import annotations

from functools import cache
from math import copysign

from babel.numbers import get_decimal_symbol, get_minus_sign_symbol
from flask_babel import get_locale
from flask_babel import gettext as _

from spiegel.scoring import shown

MINUS = "\u2212"


def _lang(lang: str | None) -> str:
    return lang or str(get_locale() or "nl")


@cache
def _symbols(lang: str) -> tuple[str, str]:
    return get_decimal_symbol(lang), get_minus_sign_symbol(lang)


def _decimal(value: float | int, digits: int, lang: str) -> str:
    """What babel's format_decimal(value, "0.0" or "0") gives, without its ~40 µs a call (a mirror
    prints a thousand numbers): the value is already rounded, only the symbols are the locale's."""
    decimal, minus = _symbols(lang)
    text = f"{abs(value):.{digits}f}".replace(".", decimal)
    return minus + text if copysign(1, value) < 0 else text  # -0.0 too, as babel


def score(value: float | None, lang: str | None = None, empty: str = "–") -> str:
    """A score with one decimal, half up: 2.45 → "2,5" in Dutch."""
    if value is None:
        return empty
    return _decimal(shown.score(value), 1, _lang(lang))


def change(value: float | None, lang: str | None = None) -> str:
    """A difference of two shown values (see :func:`spiegel.scoring.shown.difference`), signed:
    "+0,3", "−0,3" or "±0,0"."""
    if value is None:
        return ""
    value = shown.score(value)
    text = score(abs(value), lang)
    if value == 0:
        return "±" + text
    return ("+" if value > 0 else MINUS) + text


def percent(share: float | None, lang: str | None = None) -> str:
    """A share as a whole percentage, half up."""
    if share is None:
        return ""
    return _("%(share)s%%", share=_decimal(shown.percent(share), 0, _lang(lang)))
