"""How counts of respondents are shown: never a small group's exact number (a shared piece under the
features: rounds, dashboard, reports and their templates use it)."""
from flask import current_app
from flask_babel import gettext as _


def shown_count(count: int) -> str:
    """One team's number of respondents as staff and teams may see it: below the minimum group size
    only "fewer than N" (the mirror promises no more than that), otherwise the number."""
    minimum = current_app.config["MIN_GROUP_SIZE"]
    return _("fewer than %(n)d", n=minimum) if count < minimum else str(count)


def shown_total(count: int, hidden_teams: int) -> str:
    """Several teams' number (see RoundTotals): exact when every team reaches the minimum."""
    if not hidden_teams:
        return str(count)
    if count:
        return _("at least %(n)d", n=count)
    return _("fewer than %(n)d per team", n=current_app.config["MIN_GROUP_SIZE"])
