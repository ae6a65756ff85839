"""Language choice: an explicit choice on this device, then the language of the respondent's own
response (kept across devices), then the browser's, then the round's, then Dutch."""
from functools import cache

from babel import Locale, support
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale as babel_locale
from jinja2 import pass_context

from spiegel.shared.extensions import babel

# Each language's name in that language: what a language choice shows, whatever the page's language.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "fr": "Français"}


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or a job: the installation's language, unless forced
        return _locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen not in languages:
        chosen = g.get("respondent_language")
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages)
    if chosen not in languages:
        chosen = g.get("round_language")
    if chosen not in languages:
        chosen = current_app.config["BABEL_DEFAULT_LOCALE"]
    return _locale(chosen)


@cache
def _locale(code: str) -> Locale:
    """Parsed once per process: Flask-Babel would parse the code (and look for its data file on
    disk) on every request."""
    return Locale.parse(code)


def current_language() -> str:
    # The app's languages are bare language codes, so `language` is the whole code; str(locale)
    # would build the identifier anew on every call.
    locale = babel_locale()
    return locale.language if locale else "nl"


def localized(text, language: str | None = None) -> str:
    """Pick a language (by default the current one) from an instrument text {"nl": …, "en": …, "fr": …}."""
    if text is None:
        return ""
    return text.get(language or current_language()) or text["nl"]


@pass_context
def localized_filter(context, text) -> str:
    """`|tr` in templates: the language the page is rendered in is already in its context."""
    return localized(text, context.get("current_language"))


@cache
def _catalog(directory: str, language: str) -> support.Translations:
    return support.Translations.load(directory, [language], "messages")


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # `_()` in templates: Flask-Babel looks the catalog up through several context locals for every
    # string (~8 % of a questionnaire page). The page's language is in its context, and a catalog
    # does not change while the app runs: look it up once per language.
    directory = app.config["BABEL_TRANSLATION_DIRECTORIES"]

    def catalog(context):
        return _catalog(directory, context.get("current_language") or current_language())

    app.jinja_env.install_gettext_callables(
        gettext=pass_context(lambda context, s: catalog(context).ugettext(s)),
        ngettext=pass_context(lambda context, s, p, n: catalog(context).ungettext(s, p, n)),
        pgettext=pass_context(lambda context, c, s: catalog(context).upgettext(c, s)),
        npgettext=pass_context(lambda context, c, s, p, n: catalog(context).unpgettext(c, s, p, n)),
        newstyle=True,
    )
