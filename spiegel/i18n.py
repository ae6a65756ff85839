"""Language choice: explicit choice, then the round's language, then the browser, then Dutch."""
from functools import lru_cache

from babel import Locale
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale as babel_locale

from spiegel.extensions import babel


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen not in languages:
        chosen = g.get("round_language")
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return _locale(chosen)


@lru_cache(maxsize=None)
def _locale(code: str) -> Locale:
    """Parsed once per process: Flask-Babel would parse the code (and look for its data file on
    disk) on every request."""
    return Locale.parse(code)


def current_language() -> str:
    return str(babel_locale() or "nl")


def localized(text) -> str:
    """Pick the current language from an instrument text {"nl": …, "en": …, "fr": …}."""
    if text is None:
        return ""
    return text.get(current_language()) or text["nl"]


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
