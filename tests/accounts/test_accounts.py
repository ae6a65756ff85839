"""Login, logout, password change, one-time reset links, admin account management, create-admin."""
import re
from datetime import timedelta

from sqlalchemy import select

from spiegel.accounts.models import Membership, PasswordReset, User
from spiegel.org.models import Board, School, Team
from spiegel.shared.extensions import db
from tests.conftest import PASSWORD, fresh
from tests.survey_helpers import csrf_token


def post_form(client, url, data, page_url=None):
    page = client.get(page_url or url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def test_password_is_hashed_strongly(make_user):
    user = make_user("admin")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_and_logout(client, make_user, login):
    user = make_user("admin")
    assert client.get("/dashboard").status_code == 302  # login required
    response = login(client, user)
    assert response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    post_form(client, "/logout", {}, page_url="/dashboard")
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(client, make_user):
    user = make_user("admin")
    client.get("/lang/en")
    wrong = post_form(client, "/login", {"email": user.email, "password": "nope nope nope"})
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match an account" in wrong.text and "do not match an account" in unknown.text


def test_login_error_in_dutch_and_french(client, make_user):
    user = make_user("admin")
    for lang, phrase in (("nl", "komen niet overeen met een account"), ("fr", "ne correspondent à aucun compte")):
        client.get(f"/lang/{lang}")
        response = post_form(client, "/login", {"email": user.email, "password": "wrong wrong wrong"})
        assert phrase in response.text.replace("&#39;", "'")


def test_login_redirects_only_to_local_pages(client, make_user):
    user = make_user("admin")
    page = client.get("/login")
    for target, expected in (("/admin/users", "/admin/users"), ("https://evil.example/x", "/dashboard"),
                             ("//evil.example", "/dashboard")):
        client.get("/lang/nl")  # any request; stays logged out between loops
        response = client.post(f"/login?next={target}", data={
            "csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD})
        assert response.headers["Location"].endswith(expected), target
        post_form(client, "/logout", {}, page_url="/dashboard")


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user("admin")
    user.active = False
    db.session.commit()
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_password_change_ends_other_sessions(web, make_user, login):
    user = make_user("coach", school=None)
    laptop, phone = web.test_client(), web.test_client()
    login(laptop, user)
    login(phone, user)
    response = post_form(laptop, "/account/password", {
        "current": PASSWORD, "password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    assert laptop.get("/dashboard").status_code == 200  # this session goes on
    assert phone.get("/dashboard").status_code == 302   # the other one ended


def test_password_change_validation(client, make_user, login):
    user = make_user("admin")
    login(client, user)
    client.get("/lang/en")
    short = post_form(client, "/account/password", {"current": PASSWORD, "password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.text
    differ = post_form(client, "/account/password", {
        "current": PASSWORD, "password": "long enough one", "confirm": "long enough two"})
    assert differ.status_code == 400 and "differ" in differ.text
    wrong = post_form(client, "/account/password", {
        "current": "not my password", "password": "long enough one", "confirm": "long enough one"})
    assert wrong.status_code == 400 and "not correct" in wrong.text


def test_admin_creates_account_and_reset_link_sets_password_once(web, make_user, login):
    admin_client, newcomer = web.test_client(), web.test_client()
    admin = make_user("admin")
    school = School(board=Board(name="B"), name="Het Lyceum")
    db.session.add(school)
    db.session.commit()
    login(admin_client, admin)
    created = post_form(admin_client, "/admin/users/new", {"email": "Leader@School.be", "name": "An"})
    assert created.status_code == 302
    user_url = created.headers["Location"]
    page = admin_client.get(user_url)
    added = admin_client.post(user_url, data={"csrf_token": csrf_token(page.text), "action": "add-role",
                                              "role": "school_leader", "school_id": str(school.id), "team_id": "0"})
    assert added.status_code == 302
    page = admin_client.get(user_url)
    linked = admin_client.post(user_url, data={"csrf_token": csrf_token(page.text), "action": "reset-link"})
    link = re.search(r"<code>(http[^<]+/reset/[^<]+)</code>", linked.text).group(1)
    path = link.split("localhost", 1)[1]

    fresh()
    user = db.session.scalar(select(User).where(User.email == "leader@school.be"))
    assert [(m.role, m.school_id) for m in user.memberships] == [("school_leader", school.id)]
    assert db.session.scalar(select(PasswordReset.token_hash)) != path.rsplit("/", 1)[1]  # only a hash is kept

    set_ = post_form(newcomer, path, {"password": "my own password", "confirm": "my own password"})
    assert set_.status_code == 302 and newcomer.get("/dashboard").status_code == 200
    assert "Het Lyceum" in newcomer.get("/dashboard").text
    assert web.test_client().get(path).status_code == 404  # used once


def test_expired_reset_link_is_refused(client, make_user):
    from spiegel.accounts.services import new_reset_token

    user = make_user("coach")
    token = new_reset_token(user)
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at -= timedelta(days=4)
    db.session.commit()
    assert client.get(f"/reset/{token}").status_code == 404
    assert client.get("/reset/made-up-token").status_code == 404


def test_admin_pages_are_hidden_from_other_roles(client, make_user, login):
    school = School(board=Board(name="B"), name="S")
    db.session.add(school)
    db.session.commit()
    leader = make_user("school_leader", school=school)
    login(client, leader)
    assert client.get("/admin/users").status_code == 404
    assert client.get(f"/admin/users/{leader.id}").status_code == 404
    assert post_form(client, "/admin/users/new", {"email": "x@y.be"}, page_url="/dashboard").status_code == 404


def test_role_scope_is_validated(client, make_user, login):
    admin = make_user("admin")
    other = make_user(None, email="plain@example.org")
    login(client, admin)
    page = client.get(f"/admin/users/{other.id}")
    for role in ("school_leader", "facilitator", "coach"):
        response = client.post(f"/admin/users/{other.id}", data={
            "csrf_token": csrf_token(page.text), "action": "add-role", "role": role, "school_id": "0", "team_id": "0"})
        assert response.status_code == 400, role
    fresh()
    assert db.session.scalars(select(Membership).where(Membership.user_id == other.id)).all() == []


def test_create_admin_command(runner, app):
    result = runner.invoke(args=["spiegel", "create-admin", "--email", "Boss@Example.org"],
                           input="long password 1\nlong password 1\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert [m.role for m in user.memberships] == ["admin"]
    short = runner.invoke(args=["spiegel", "create-admin", "--email", "x@example.org"], input="short\nshort\n")
    assert short.exit_code != 0 and "10 characters" in short.output
    again = runner.invoke(args=["spiegel", "create-admin", "--email", "boss@example.org"],
                          input="long password 1\nlong password 1\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_access_scopes(app, make_user):
    from spiegel.accounts import access

    board = Board(name="B")
    north, south = School(board=board, name="N"), School(board=board, name="S")
    t1, t2, t3 = Team(school=north, name="t1"), Team(school=north, name="t2"), Team(school=south, name="t3")
    db.session.add_all([t1, t2, t3])
    db.session.commit()
    cases = {
        "admin": (make_user("admin"), None, None),
        "leader": (make_user("school_leader", school=north), {north.id}, {t1.id, t2.id}),
        "school coach": (make_user("coach", school=south), {south.id}, {t3.id}),
        "team coach": (make_user("coach", team=t2), set(), {t2.id}),
        "facilitator": (make_user("facilitator", team=t1), set(), {t1.id}),
    }
    for name, (user, schools, teams) in cases.items():
        assert access.viewable_school_ids(user) == schools, name
        assert access.viewable_team_ids(user) == teams, name
    assert access.managed_school_ids(cases["leader"][0]) == {north.id}
    assert access.managed_school_ids(cases["school coach"][0]) == set()
    assert not access.can_edit_plan(t3.id, cases["facilitator"][0])
    assert access.can_edit_plan(t1.id, cases["facilitator"][0])


def test_login_is_rate_limited_per_account(client, make_user):
    user = make_user("admin")
    client.get("/lang/en")
    for _ in range(5):
        assert post_form(client, "/login", {"email": user.email, "password": "wrong password!"}).status_code == 400
    blocked = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429  # even the right password waits now
    assert "Too many attempts" in blocked.text
    other = make_user("coach")
    assert post_form(client, "/login", {"email": other.email, "password": PASSWORD}).status_code == 302


def test_wrong_passwords_on_one_device_slow_that_device_and_never_lock_another(client, web, make_user, monkeypatch):
    """Finding (c) of issue 16: five wrong passwords for an account from device A locked the account
    on every device. Now device A waits, longer after every further failure; device B logs in."""
    from spiegel.shared import ratelimit

    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: clock["now"])
    user = make_user("admin")
    for _ in range(5):
        assert post_form(client, "/login", {"email": user.email, "password": "wrong password!"}).status_code == 400
    waits = []
    for _ in range(4):
        refused = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
        assert refused.status_code == 429  # even the right password waits on device A
        waits.append(int(refused.headers["Retry-After"]))
        clock["now"] += waits[-1]  # A waits as long as it was told, then types a wrong password again
        assert post_form(client, "/login", {"email": user.email, "password": "wrong password!"}).status_code == 400
    assert waits == [30, 60, 120, 240]
    device_b = web.test_client()
    assert post_form(device_b, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    clock["now"] += 240
    assert post_form(client, "/login", {"email": user.email, "password": "wrong password!"}).status_code == 429
    clock["now"] += 3600  # after the longest delay a correct password works on A as well
    assert post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302


def test_the_login_delay_is_capped(client, make_user, monkeypatch, web):
    from spiegel.shared import ratelimit

    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: clock["now"])
    web.config["LOGIN_DELAY_MAX_SECONDS"] = 100
    user = make_user("admin")
    for _ in range(8):
        clock["now"] += 100  # each failure after the previous delay (at most 100 s) is over
        post_form(client, "/login", {"email": user.email, "password": "wrong password!"})
    refused = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "100"


def test_successful_login_resets_the_account_counter(client, make_user, login):
    user = make_user("admin")
    for _ in range(4):
        post_form(client, "/login", {"email": user.email, "password": "wrong password!"})
    login(client, user)
    post_form(client, "/logout", {}, page_url="/dashboard")
    for _ in range(4):
        assert post_form(client, "/login", {"email": user.email, "password": "wrong password!"}).status_code == 400
    assert post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
