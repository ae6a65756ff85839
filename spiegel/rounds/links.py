"""Links the staff pages share: a team's absolute join link, and its mirror (web and PDF) when the
reports feature is installed and the viewer may see that team."""
from collections.abc import Iterable

from flask import current_app, g, url_for
from werkzeug.routing import BuildError

from spiegel.accounts.access import viewable_team_ids

MIRROR_ENDPOINT = "reports.mirror"
MIRROR_PDF_ENDPOINTS = ("reports.mirror_pdf", "reports.pdf")


def join_url(code: str) -> str:
    """What the poster's QR code opens. PUBLIC_URL (e.g. https://spiegel.school.be) when configured,
    else the host of the current request."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("survey.join", code=code)
    return url_for("survey.join", code=code, _external=True)


def site_address() -> str:
    """The address people type on a phone to reach the code page, without "https://"."""
    base = current_app.config.get("PUBLIC_URL") or url_for("core.home", _external=True)
    return base.split("://", 1)[-1].rstrip("/")


def _may_view(team_id: int) -> bool:
    """can_view_team, with the user's visible teams looked up once per request (pages list many)."""
    if "viewable_team_ids" not in g:
        g.viewable_team_ids = viewable_team_ids()
    return g.viewable_team_ids is None or team_id in g.viewable_team_ids


def mirror_url(round_team_id: int, team_id: int, pdf: bool = False) -> str | None:
    """The team's mirror page (or its PDF), or None when that view does not exist or is not allowed."""
    if not _may_view(team_id):
        return None
    endpoints = MIRROR_PDF_ENDPOINTS if pdf else (MIRROR_ENDPOINT,)
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, round_team_id=round_team_id)
            except BuildError:  # the reports feature names its parameters differently
                return None
    return None


def round_mirrors_url(round_id: int, team_ids: Iterable[int] | None = None) -> str | None:
    """Printing all (visible) mirrors of a round at once, when the reports feature offers it. With
    ``team_ids`` (the round's teams): only when the viewer may see at least one of them, as the
    printing page itself requires."""
    if team_ids is not None and not any(_may_view(team_id) for team_id in team_ids):
        return None
    if "reports.round_mirrors" in current_app.view_functions:
        try:
            return url_for("reports.round_mirrors", round_id=round_id)
        except BuildError:
            return None
    return None


def template_helpers() -> dict:
    return {"join_url": join_url, "mirror_url": mirror_url, "round_mirrors_url": round_mirrors_url}
