"""Jinja setup shared by every page."""
from flask import Flask, request, url_for
from flask_babel import format_date
from markupsafe import Markup, escape

from spiegel.shared.anonymity import shown_count, shown_total
from spiegel.shared.i18n import LANGUAGE_NAMES, current_language, localized_filter


def init_templates(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["tr"] = localized_filter
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    # Numbers of respondents as staff may see them (never a small team's exact number).
    app.jinja_env.globals.update(shown_count=shown_count, shown_total=shown_total)
    app.jinja_env.globals["resume_code_markup"] = lambda code: Markup('<strong class="code">%s</strong>') % escape(code)

    @app.context_processor
    def language_switch():
        def switch_url(lang: str) -> str:
            return url_for("core.set_language", lang=lang, next=request.full_path.rstrip("?"))

        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "switch_url": switch_url,
        }

