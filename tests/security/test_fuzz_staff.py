"""Property-based tests for the staff side: every route of accounts, org, rounds, dashboard, plans and
reports answers hostile input — random, malformed, huge and missing fields, wrong types, bodies of the
wrong kind, unknown ids, ids that overflow the database's integers and other schools' ids — with a 4xx or
a form error, never a 500; a refused request stores nothing; another school's ids answer 403/404 and
never show its data.

ROUTES below is the list of what is fuzzed, one entry per endpoint and method; the respondent side
(core, survey) is fuzzed in test_fuzz_endpoints.py. test_every_route_is_fuzzed fails when a route
appears in the app without an entry in one of the two.

Ids in a path are drawn per request: the logged-in user's own (school Noord), the other school's
(Zuiderlicht: 403/404 and nothing changed), an unknown one, 0, or one beyond the database's integers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.conftest import PASSWORD
from tests.security.helpers import (
    bodies,
    csrf_values,
    form_data,
    nasty_text,
    path_segment,
    snapshot,
    token_from,
)

FAST = settings(max_examples=20, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

UNKNOWN_ID, HUGE_ID = 987_654, 10**20  # HUGE_ID: beyond SQLite's and PostgreSQL's integers


def dates() -> st.SearchStrategy[str]:
    today = date.today()
    return st.one_of(st.dates(min_value=today - timedelta(days=40), max_value=today + timedelta(days=200))
                     .map(date.isoformat),
                     st.dates().map(date.isoformat),
                     st.sampled_from(["2026-02-30", "26-3-1", "01/03/2026", "2026-13-01", "0000-00-00", "today"]))


def numbers(low=-5, high=20) -> st.SearchStrategy[str]:
    return st.one_of(st.integers(low, high).map(str), st.sampled_from(["1.5", "1e3", "", "x", "99999999999999999999"]))


def text(*honest: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(honest), nasty_text()) if honest else nasty_text()


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    path: str
    role: str                                     # who may use it (logged in as this role)
    fields: object = None                         # callable(world) → {name: strategy}: form or query args
    writes: frozenset = frozenset()               # tables a successful request may change
    write_statuses: tuple = (302,)                # "successful": post/redirect/get
    denied: tuple = ()                            # roles that must get 403/404 even for their own school's ids
    tenant: bool = True                           # whether other schools' ids must be refused for `role`
    gone: tuple = ()                              # also fine for an unknown id: one that was just removed
    examples: int = 20

    def __str__(self):
        return f"{self.method} {self.endpoint}"


def org_name(w):
    return {"name": text("Nieuwe naam", "Zuiderlicht College", "Alfa", "Beta", "  Gamma  ", "x" * 201)}


def round_form(w):
    own, other = w.ids["own"], w.ids["other"]
    return {
        "name": text("Afname 2027"), "innovation_name": text("Leren met feedback"),
        "innovation_description": text("Kort", "y" * 2001), "opens_on": dates(), "closes_on": dates(),
        "default_language": text("nl", "en", "fr", "de"), "modules": text("sustainability", "policy", "other"),
        "teams": st.sampled_from([str(own["tid"]), str(other["tid"]), str(UNKNOWN_ID), str(HUGE_ID), "x"]),
        "sprint_count": numbers(), "sprint_weeks": numbers(),
    }


def sprint_form(w):
    return {"goal": text("Samen beter", "g" * 1000), "starts_on": dates(), "ends_on": dates(),
            "indicator": text("Minder uitval"), "cimo_context": text(), "cimo_intervention": text(),
            "cimo_mechanism": text(), "cimo_outcome": text()}


def user_form(w):
    own, other = w.ids["own"], w.ids["other"]
    ids = st.sampled_from(["0", str(own["sid"]), str(other["sid"]), str(own["tid"]), str(UNKNOWN_ID), str(HUGE_ID),
                           "-1", "x", ""])
    return {"action": text("add-role", "reset-link", "remove-role", "toggle-active"),
            "role": text("admin", "school_leader", "coach", "facilitator", "root"),
            "school_id": ids, "team_id": ids, "membership_id": ids}


ROUTES = [
    # -- accounts ------------------------------------------------------------------------------------
    Route("accounts.login", "GET", "/login", "anonymous", lambda w: {"next": text("/dashboard", "//evil.example")}),
    Route("accounts.login", "POST", "/login", "anonymous",
          lambda w: {"email": text(w.users["leader"].email, "nobody@example.org", "LEADER@EXAMPLE.ORG"),
                     "password": text("correct horse battery", "wrong")}),
    Route("accounts.logout", "POST", "/logout", "admin", examples=8),
    Route("accounts.change_password", "GET", "/account/password", "coach"),
    Route("accounts.change_password", "POST", "/account/password", "coach",
          lambda w: {"current": text("correct horse battery", "wrong password"),
                     "password": text("a new long password"), "confirm": text("a new long password")},
          writes=frozenset({"user"})),
    Route("accounts.reset", "GET", "/reset/{token}", "anonymous"),
    Route("accounts.reset", "POST", "/reset/{token}", "anonymous",
          lambda w: {"password": text("a new long password"), "confirm": text("a new long password")},
          writes=frozenset({"user", "password_reset"})),
    Route("accounts.users", "GET", "/admin/users", "admin", denied=("leader",), tenant=False),
    Route("accounts.new_user", "GET", "/admin/users/new", "admin", denied=("leader",), tenant=False),
    Route("accounts.new_user", "POST", "/admin/users/new", "admin",
          lambda w: {"email": text("new@example.org", w.users["leader"].email, "no-at-sign"), "name": text("Nieuw")},
          writes=frozenset({"user"}), denied=("leader",), tenant=False),
    Route("accounts.user", "GET", "/admin/users/{uid}", "admin", denied=("leader",), tenant=False),
    Route("accounts.user", "POST", "/admin/users/{uid}", "admin", user_form,
          writes=frozenset({"user", "membership", "password_reset"}), write_statuses=(200, 302),
          denied=("leader",), tenant=False),
    # -- dashboard -----------------------------------------------------------------------------------
    Route("dashboard.index", "GET", "/dashboard", "admin",
          lambda w: {"q": text("Noord", "%", "_", "zuid", "x" * 300), "page": text("2", "0", "-1", "x", str(HUGE_ID))},
          tenant=False),
    Route("dashboard.school", "GET", "/schools/{sid}", "coach", denied=("facilitator",)),
    # -- boards --------------------------------------------------------------------------------------
    Route("boards.results", "GET", "/boards/{bid}/results", "admin",
          lambda w: {"view": text("groups", "pillars", "elements", "")}, denied=("leader", "coach", "facilitator"),
          tenant=False),
    # -- org -----------------------------------------------------------------------------------------
    Route("org.index", "GET", "/org/", "leader", denied=("coach",)),
    Route("org.new_board", "POST", "/org/boards", "admin", lambda w: {"board-name": text("Nieuw bestuur")},
          writes=frozenset({"board"}), denied=("leader",), tenant=False),
    Route("org.board", "GET", "/org/boards/{bid}", "admin", denied=("leader",), tenant=False),
    Route("org.board", "POST", "/org/boards/{bid}", "admin",
          lambda w: {"action": text("rename", "add-school", "archive", "restore"), "rename-name": text("Bestuur"),
                     "school-name": text("Nieuwe school")},
          writes=frozenset({"board", "school"}), denied=("leader",), tenant=False),
    Route("org.school", "GET", "/org/schools/{sid}", "leader", denied=("coach",)),
    Route("org.school", "POST", "/org/schools/{sid}", "leader",
          lambda w: {"action": text("add-teams", "rename", "archive", "restore"), "rename-name": text("School"),
                     "teams-names": text("Delta\nEpsilon", "Alfa", "Zeta\nzeta", "\n".join(f"T{i}" for i in range(101)))},
          writes=frozenset({"team", "school"}), denied=("coach",)),
    Route("org.delete_school", "GET", "/org/schools/{sid}/delete", "admin", denied=("leader",), tenant=False),
    Route("org.delete_school", "POST", "/org/schools/{sid}/delete", "admin",
          # near misses only: the real name would delete the school the other examples need
          lambda w: {"confirm": text("Noord", "Noord Lyceum!", "Zuiderlicht College ")},
          denied=("leader",), tenant=False),
    Route("org.team", "GET", "/org/teams/{tid}", "leader", denied=("coach",)),
    Route("org.team", "POST", "/org/teams/{tid}", "leader",
          lambda w: {"action": text("rename", "archive", "restore", "members"), "rename-name": text("Alfa 2", "Beta", "BETA"),
                     "members-members": text("12", "0", "501", "-3", "drie", "")},
          writes=frozenset({"team"}), denied=("coach",)),
    # -- rounds --------------------------------------------------------------------------------------
    Route("rounds.new", "GET", "/schools/{sid}/rounds/new", "leader", denied=("coach",)),
    Route("rounds.new", "POST", "/schools/{sid}/rounds/new", "leader", round_form,
          writes=frozenset({"round", "round_team"}), denied=("coach",)),
    Route("rounds.detail", "GET", "/rounds/{rid}", "leader", denied=("coach",)),
    Route("rounds.edit", "GET", "/rounds/{rid}/edit", "leader", denied=("coach",)),
    Route("rounds.edit", "POST", "/rounds/{rid}/edit", "leader", round_form,
          writes=frozenset({"round", "round_team"}), denied=("coach",)),
    Route("rounds.open_now", "POST", "/rounds/{rid}/open", "leader", writes=frozenset({"round"}), denied=("coach",)),
    Route("rounds.close", "GET", "/rounds/{rid}/close", "leader", denied=("coach",)),
    Route("rounds.close", "POST", "/rounds/{rid}/close", "leader", writes=frozenset({"round"}), denied=("coach",)),
    Route("rounds.reopen", "POST", "/rounds/{rid}/reopen", "leader", lambda w: {"closes_on": dates()},
          writes=frozenset({"round"}), denied=("coach",)),
    Route("rounds.delete", "GET", "/rounds/{rid}/delete", "leader", denied=("coach",)),
    Route("rounds.delete", "POST", "/rounds/{rid}/delete", "leader",
          lambda w: {"confirm": text("Afname", "Afname 2026 x", "Zuidronde Geheim")}, denied=("coach",)),
    Route("rounds.posters", "GET", "/rounds/{rid}/posters", "leader", denied=("coach",)),
    Route("rounds.poster", "GET", "/rounds/{rid}/posters/{rtid}", "leader", denied=("coach",)),
    Route("rounds.live", "GET", "/rounds/{rid}/live", "coach", denied=("facilitator",)),
    Route("rounds.live_json", "GET", "/rounds/{rid}/live.json", "coach", denied=("facilitator",)),
    Route("rounds.study_day", "GET", "/rounds/{rid}/teams/{rtid}/study-day", "facilitator"),
    Route("rounds.slips", "GET", "/rounds/{rid}/teams/{rtid}/slips", "facilitator", denied=("coach",)),
    Route("rounds.slips", "POST", "/rounds/{rid}/teams/{rtid}/slips", "facilitator",
          lambda w: {"count": text("10", "0", "201", "x", "")}, writes=frozenset({"slip"}), write_statuses=(200,),
          denied=("coach",)),
    Route("rounds.study_day_json", "GET", "/rounds/{rid}/teams/{rtid}/study-day.json", "facilitator"),
    Route("rounds.compare", "GET", "/rounds/{rid}/compare", "coach",
          lambda w: {"view": text("groups", "elements", "pillars", "GROUPS", "poles")}, denied=("facilitator",)),
    Route("rounds.trend", "GET", "/schools/{sid}/trend", "coach",
          lambda w: {"team": st.sampled_from([str(w.ids["own"]["tid"]), str(w.ids["other"]["tid"]), str(HUGE_ID),
                                              "-1", "x"])},
          denied=("facilitator",)),
    Route("rounds.export_csv", "GET", "/rounds/{rid}/export.csv", "coach", denied=("facilitator",)),
    Route("rounds.export_xlsx", "GET", "/rounds/{rid}/export.xlsx", "coach", denied=("facilitator",), examples=10),
    Route("rounds.instrument", "GET", "/instrument.json", "facilitator", tenant=False, examples=5),
    # -- plans ---------------------------------------------------------------------------------------
    Route("plans.show", "GET", "/plan/{rtid}", "facilitator"),
    Route("plans.create", "POST", "/plan/{rtid}/create", "facilitator",
          lambda w: {"mode": text("proposal", "empty")}, writes=frozenset({"plan", "sprint", "plan_action"})),
    Route("plans.focus", "GET", "/plan/{rtid}/focus", "facilitator"),
    Route("plans.focus", "POST", "/plan/{rtid}/focus", "facilitator",
          lambda w: {"elements": text(*w.element_ids, "Z9")}, writes=frozenset({"plan"})),
    Route("plans.edit_sprint", "GET", "/plan/{rtid}/sprint/{n}", "facilitator"),
    Route("plans.edit_sprint", "POST", "/plan/{rtid}/sprint/{n}", "facilitator", sprint_form,
          writes=frozenset({"plan", "sprint"})),
    Route("plans.review", "GET", "/plan/{rtid}/sprint/{n}/review", "facilitator"),
    Route("plans.review", "POST", "/plan/{rtid}/sprint/{n}/review", "facilitator",
          lambda w: {"happened": text("Veel"), "learned": text("Meer"),
                     "decision": text("continue", "adapt", "stop", "explode"), "reason": text("Omdat"),
                     "value_practice": text("y", "", "nee"), "example_insights": text("Anders kijken", "x" * 501)},
          writes=frozenset({"plan", "sprint"})),
    Route("plans.add_action", "GET", "/plan/{rtid}/sprint/{n}/add", "facilitator",
          lambda w: {"element": text(*w.element_ids, "Z9")}),
    Route("plans.add_action", "POST", "/plan/{rtid}/sprint/{n}/add", "facilitator",
          lambda w: {"action_id": text(*w.action_ids, "no-such-action"), "own_text": text("Eigen actie"),
                     "owner": text("team", "leadership")},
          writes=frozenset({"plan", "plan_action"})),
    Route("plans.edit_action", "GET", "/plan/{rtid}/action/{paid}", "facilitator"),
    Route("plans.edit_action", "POST", "/plan/{rtid}/action/{paid}", "facilitator",
          lambda w: {"own_text": text("Anders samen voorbereiden"), "owner": text("team"),
                     "sprint": numbers(-1, 5)},
          writes=frozenset({"plan", "plan_action"})),
    # An action id that is not (or no longer) in the plan, as after a second click on "remove": back to
    # the plan with "This action is no longer in the plan", nothing changed.
    Route("plans.move_action", "POST", "/plan/{rtid}/action/{paid}/move", "facilitator",
          lambda w: {"direction": text("up", "down", "left"), "position": numbers(-1, 4)},
          writes=frozenset({"plan", "plan_action"}), gone=(302,)),
    Route("plans.remove_action", "POST", "/plan/{rtid}/action/{paid}/remove", "facilitator", examples=10,
          writes=frozenset({"plan", "plan_action"}), gone=(302,)),
    # a pulse round of the plan's focus points (a plan without focus points: a message, nothing stored)
    Route("plans.start_pulse", "POST", "/plan/{rtid}/pulse", "facilitator", examples=8,
          writes=frozenset({"round", "round_team"})),
    Route("plans.share", "POST", "/plan/{rtid}/share", "facilitator", lambda w: {"shared": text("yes", "no", "maybe", "")},
          writes=frozenset({"plan"})),
    Route("plans.discard", "GET", "/plan/{rtid}/discard", "facilitator"),
    Route("plans.discard", "POST", "/plan/{rtid}/discard", "facilitator",
          lambda w: {"confirm": st.sampled_from(["", "n", "false", "y"])},
          writes=frozenset({"plan", "sprint", "plan_action"})),  # last: the plan is gone afterwards
    # -- learning across teams (a facilitator sees shared plans and their own; another school: 404) ----
    Route("learning.school", "GET", "/schools/{sid}/learning", "coach",
          lambda w: {"element": text(*w.element_ids, "Z9", "<b>", "")}),
    Route("learning.board", "GET", "/boards/{bid}/learning", "admin", lambda w: {"element": text("S1", "Z9")},
          denied=("leader", "coach", "facilitator"), tenant=False),
    # -- the team conversation (a facilitator's; a coach does not facilitate) -----------------------------
    Route("conversation.start", "GET", "/conversation/{rtid}", "facilitator", denied=("coach",)),
    Route("conversation.step", "GET", "/conversation/{rtid}/{n}", "facilitator", denied=("coach",), examples=10),
    Route("conversation.note", "POST", "/conversation/{rtid}/{n}/note", "facilitator",
          lambda w: {"text": text("Roosters", "z" * 2001)}, writes=frozenset({"team_note"}), denied=("coach",)),
    Route("conversation.open_vote", "POST", "/conversation/{rtid}/vote/open", "facilitator",
          lambda w: {"elements": text(*w.element_ids, "Z9")}, writes=frozenset({"vote", "tally", "ballot"}),
          denied=("coach",)),
    Route("conversation.close_vote", "POST", "/conversation/{rtid}/vote/close", "facilitator",
          writes=frozenset({"vote"}), denied=("coach",), gone=(404,)),
    Route("conversation.focus", "POST", "/conversation/{rtid}/focus", "facilitator",
          lambda w: {"elements": text(*w.element_ids, "Z9")}, writes=frozenset({"plan", "sprint", "plan_action"}),
          denied=("coach",)),
    # -- reports -------------------------------------------------------------------------------------
    Route("reports.release", "POST", "/mirror/{rtid}/release", "facilitator", writes=frozenset({"round_team", "response"}),
          denied=("coach",)),
    Route("reports.mirror", "GET", "/mirror/{rtid}", "facilitator", lambda w: {"lang": text("nl", "en", "fr", "de")},
          examples=8),
    # printed on the queue and kept per data version: the first request of a version stores the job and the PDF
    Route("reports.mirror_pdf", "GET", "/mirror/{rtid}.pdf", "facilitator",
          lambda w: {"lang": text("nl", "en", "fr", "de"), "items": text("1", "0", "")}, examples=4,
          writes=frozenset({"job", "stored_result"}), write_statuses=(200,)),
    Route("reports.round_mirrors", "GET", "/mirror/round/{rid}", "leader"),  # a facilitator sees their team
    Route("reports.round_mirrors", "POST", "/mirror/round/{rid}", "leader",
          lambda w: {"lang": text("", "nl", "en", "fr", "de"), "items": text("y", "", "on")},
          writes=frozenset({"job", "stored_result"})),  # submitting removes results past their age
    Route("reports.job", "GET", "/mirror/jobs/{jid}", "leader", denied=("coach",)),
    Route("reports.job_status", "GET", "/mirror/jobs/{jid}.json", "leader", denied=("coach",)),
    Route("reports.job_download", "GET", "/mirror/jobs/{jid}/download", "leader", denied=("coach",)),
]

# Fuzzed in test_fuzz_endpoints.py (the respondent side and the public pages).
RESPONDENT_SIDE = {"core.home", "core.join", "core.healthz", "core.set_language", "survey.join", "survey.start",
                   "survey.resume", "survey.page", "survey.answer", "survey.review", "survey.done", "survey.another",
                   "survey.vote", "static"}


def test_every_route_is_fuzzed(fuzz_web):
    """A new route, or a new method of one, needs an entry in ROUTES (or in test_fuzz_endpoints.py)."""
    covered = {(r.endpoint, r.method) for r in ROUTES}
    missing = []
    for rule in fuzz_web.url_map.iter_rules():
        if rule.endpoint in RESPONDENT_SIDE:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, f"routes without a fuzz test: {missing}"
    assert {r.endpoint for r in ROUTES} <= {rule.endpoint for rule in fuzz_web.url_map.iter_rules()}
    assert len(covered) == len(ROUTES)


# -- the fuzzing ------------------------------------------------------------------------------------


def _path(route: Route, w, scope: str, data) -> str:
    values = dict(w.ids["own"])
    if scope == "other":
        values = dict(w.ids["other"])
    elif scope in ("unknown", "zero", "huge"):
        bad = {"unknown": UNKNOWN_ID, "zero": 0, "huge": HUGE_ID}[scope]
        # one placeholder (or all) of the path is the bad id; the others stay valid
        names = [n for n in values if "{" + n + "}" in route.path]
        for name in data.draw(st.sampled_from([names, *([[n] for n in names])]), label="bad ids"):
            values[name] = bad
    if "{token}" in route.path:
        values["token"] = data.draw(st.one_of(st.just(w.reset_token), path_segment()), label="token")
    return route.path.format(**values)


def _no_leak(w, response, typed=frozenset()) -> None:
    if response.mimetype in ("text/html", "application/json", "text/csv"):
        body = response.get_data(as_text=True)
        leaked = [s for s in w.secrets if s in body and not any(s in value for value in typed)]
        assert not leaked, f"{response.request.path} shows the other school's {leaked}"


def _allowed_writes(route: Route):
    def check(before, after, response):
        changed = {table for table in before if before[table] != after[table]}
        assert changed <= route.writes, f"{route} changed {changed - route.writes}"
    return check


@pytest.fixture
def reset_token(staff_world):
    from spiegel.accounts.services import new_reset_token

    staff_world.reset_token = new_reset_token(staff_world.users["victim"])
    return staff_world.reset_token


def fuzz_route(route: Route, w, data) -> None:
    scopes = ["own", "own", "own", "unknown", "zero", "huge"]
    if route.tenant and route.path.count("{") and "{token}" not in route.path:
        scopes += ["other", "other"]
    if "{" not in route.path or "{token}" in route.path:
        scopes = ["own"]
    scope = data.draw(st.sampled_from(scopes), label="ids")
    role = route.role
    if route.denied and scope == "own" and data.draw(st.integers(0, 4), label="denied role?") == 0:
        role = data.draw(st.sampled_from(route.denied), label="role")
    token = w.tokens.get(role)
    client = w.clients.get(role)
    if role == "anonymous" or route.endpoint == "accounts.logout":
        # a session of its own: a successful log-in or log-out must not change the other examples' clients
        client = w.web.test_client()
        token = token_from(client.get("/login").text)
        if route.endpoint == "accounts.logout":
            client.post("/login", data={"csrf_token": token, "email": w.users["admin"].email,
                                        "password": PASSWORD})
            token = token_from(client.get("/account/password").text)
    path = _path(route, w, scope, data)
    method = route.method
    if data.draw(st.integers(0, 9), label="wrong method?") == 0:
        method = data.draw(st.sampled_from(["PUT", "DELETE", "PATCH"]), label="method")
    fields = dict(route.fields(w)) if route.fields else {}
    kwargs = {}
    if method == "GET":
        kwargs["query_string"] = data.draw(form_data(fields), label="query")
    else:
        fields["csrf_token"] = csrf_values(token)
        if data.draw(st.integers(0, 7), label="wrong body?") == 0:
            kwargs = data.draw(bodies(), label="body")
        else:
            kwargs["data"] = data.draw(form_data(fields), label="form")

    before = snapshot()
    response = client.open(path, method=method, **kwargs)
    status = response.status_code
    assert status < 500, (method, path, status, response.get_data(as_text=True)[:300])
    after = snapshot()
    refused = scope != "own" or role != route.role or method != route.method
    if refused or status not in route.write_statuses or not route.writes:
        assert after == before, f"{method} {path} → {status} changed the database"
    else:
        _allowed_writes(route)(before, after, response)
    if method != route.method:
        assert status in (400, 404, 405, 413), (method, path, status)
    elif scope == "other" or role != route.role:
        assert status in (400, 403, 404, 413), f"{method} {path} as {role} → {status}: another school's data?"
    elif scope in ("unknown", "zero", "huge"):
        assert status in (400, 403, 404, 413, *route.gone), (method, path, status)
    if role != "admin":
        # A form shown again holds what was typed in it: that is not the other school's data.
        sent = kwargs.get("data") or kwargs.get("query_string")
        typed = {value for _, value in sent.items(multi=True)} if isinstance(sent, MultiDict) else set()
        _no_leak(w, response, typed)


GROUPS = sorted({r.endpoint.split(".")[0] for r in ROUTES})
# SPIEGEL_FUZZ_SCALE=10 runs ten times the examples (a deeper search before a release).
SCALE = float(os.environ.get("SPIEGEL_FUZZ_SCALE", "1"))


@pytest.mark.parametrize("group", GROUPS)
def test_staff_routes(staff_world, reset_token, group):
    """Each route of the feature with its own hypothesis run (one world per feature: building it and
    logging in costs more than the requests)."""
    for route in (r for r in ROUTES if r.endpoint.split(".")[0] == group):
        @settings(FAST, max_examples=max(1, int(route.examples * SCALE)))
        @given(data=st.data())
        def run(data):
            note(f"route: {route}")  # noqa: B023  (run() runs within this iteration)
            fuzz_route(route, staff_world, data)  # noqa: B023

        run()


# -- what fuzzing alone would rarely reach ----------------------------------------------------------


def test_forms_with_honest_values_save(staff_world):
    """The fuzzed forms can succeed at all: with honest values the same requests save (so a test above
    that only ever saw refusals would not pass by accident)."""
    w = staff_world
    own = w.ids["own"]
    checks = [
        ("admin", "/org/boards", {"board-name": "Nieuw bestuur"}, "board"),
        ("leader", f"/org/schools/{own['sid']}", {"action": "add-teams", "teams-names": "Delta\nEpsilon"}, "team"),
        ("facilitator", f"/plan/{own['rtid']}/sprint/1/add", {"own_text": "Eigen actie", "owner": "team"},
         "plan_action"),
        ("facilitator", f"/plan/{own['rtid']}/sprint/1/review",
         {"happened": "Veel", "learned": "Meer", "decision": "adapt"}, "sprint"),
        ("leader", f"/mirror/round/{own['rid']}", {"lang": "en"}, "job"),
    ]
    for role, path, form, table in checks:
        before = snapshot()
        response = w.client(role).post(path, data={"csrf_token": w.tokens[role], **form})
        assert response.status_code == 302, (path, response.status_code)
        assert snapshot()[table] != before[table], path


def test_huge_ids_are_not_found(staff_world):
    """Ids beyond the database's integer range answer 404 (not a database error)."""
    client = staff_world.client("admin")
    for path in ("/rounds/{}", "/org/schools/{}", "/plan/{}", "/mirror/{}", "/mirror/jobs/{}.json",
                 "/admin/users/{}", "/org/boards/{}"):
        response = client.get(path.format(HUGE_ID))
        assert response.status_code == 404, (path, response.status_code)
    own = staff_world.ids["own"]
    response = client.get(f"/schools/{own['sid']}/trend", query_string={"team": str(HUGE_ID)})
    assert response.status_code == 404
    before = snapshot()
    response = client.post(f"/admin/users/{own['uid']}", data={"csrf_token": staff_world.tokens["admin"],
                                                               "action": "remove-role", "membership_id": str(HUGE_ID)})
    assert response.status_code == 400 and snapshot() == before


def test_a_blank_choice_is_no_choice(staff_world):
    """A decision or library action of only spaces: no decision (saved as none), and no action (a form
    error) — not a failure behind the form (WTForms' Optional() skips the choice check for blanks)."""
    from spiegel.plans.models import Sprint
    from spiegel.shared.extensions import db
    from tests.conftest import fresh

    w, rtid = staff_world, staff_world.ids["own"]["rtid"]
    client, token = w.client("facilitator"), w.tokens["facilitator"]
    response = client.post(f"/plan/{rtid}/sprint/1/review",
                           data={"csrf_token": token, "happened": "Veel", "learned": "", "decision": "   "})
    assert response.status_code == 302
    fresh()
    sprint = db.session.scalars(db.select(Sprint).where(Sprint.review_happened == "Veel")).one()
    assert sprint.decision is None
    before = snapshot()
    response = client.post(f"/plan/{rtid}/sprint/1/add", data={"csrf_token": token, "action_id": "  ", "owner": "x"})
    assert response.status_code == 400 and snapshot() == before


def test_a_nul_character_in_the_school_search_is_ignored(staff_world):
    """PostgreSQL cannot compare text holding a NUL (the dashboard's school search gave a 500 there)."""
    from spiegel.dashboard.services import clean_query

    assert clean_query(" Ath\x00eneum ") == "Atheneum"
    assert staff_world.client("admin").get("/dashboard", query_string={"q": "\x00"}).status_code == 200


def test_a_nul_character_refuses_the_whole_form(staff_world):
    """PostgreSQL cannot store NUL in text (a 500 there, silently stored on SQLite): every form that
    carries one is refused with 400 and stores nothing, whichever field it is in."""
    w = staff_world
    own = w.ids["own"]
    cases = [
        ("admin", "/org/boards", {"board-name": "Nieuw\x00bestuur"}),
        ("admin", "/admin/users/new", {"email": "nieuw@example.org", "name": "Ni\x00euw"}),
        ("leader", f"/org/schools/{own['sid']}", {"action": "add-teams", "teams-names": "Delta\nEps\x00ilon"}),
        ("leader", f"/org/teams/{own['tid']}", {"action": "rename", "rename-name": "Alfa\x00"}),
        ("facilitator", f"/plan/{own['rtid']}/sprint/1/add", {"own_text": "Eigen\x00actie", "owner": "team"}),
        ("facilitator", f"/plan/{own['rtid']}/sprint/1/review", {"happened": "ok", "learned": "\x00"}),
        ("facilitator", f"/plan/{own['rtid']}/action/{own['paid']}", {"own_text": "ok", "owner": "te\x00am",
                                                                       "sprint": "1"}),
    ]
    for role, path, form in cases:
        before = snapshot()
        response = w.client(role).post(path, data={"csrf_token": w.tokens[role], **form})
        assert response.status_code == 400, (path, response.status_code)
        assert snapshot() == before, path
