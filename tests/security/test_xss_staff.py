"""Stored XSS and formula injection on the staff side: board, school, team, round and innovation names,
plan texts (goal, indicator, own action, owner, review) and open answers that contain markup are shown
as text on every staff page, in the mirror (web and PDF) and in the exports; export cells that a
spreadsheet would run as a formula are neutralised."""
import csv
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from spiegel.org.models import Board, School, Team
from spiegel.plans import services as plans
from spiegel.shared.extensions import db
from tests.rounds.conftest import add_responses, make_round, release, staff

MARKUP = {
    "team": "<script>alert(1)</script>",
    "school": '"><img src=x onerror=alert(2)>',
    "board": "<script>alert(3)</script>",
    "round": "<svg onload=alert(4)>",
    "innovation": "</title><script>alert(5)</script>",
    "description": "<iframe src=//evil.example/6></iframe>",
    "answer": "<b onmouseover=alert(7)>answer</b>",
    "action": "<script>alert(8)</script> samen",
    "owner": '"><img src=x onerror=alert(9)>',
    "goal": "<script>alert(10)</script> doel",
    "review": "<script>alert(11)</script> geleerd",
    "indicator": "<img src=x onerror=alert(12)>",
}
# What markup looks like when it is markup; the escaped forms (&lt;script&gt;…) do not match.
RAW = re.compile(r"<script>alert|<img src=x|<svg onload|<iframe src=//evil|<b onmouseover|</title><script")
FORMULAS = ["=1+1", "+2+3", "-4+5", "@SUM(6)", "\t=7", "\r=8"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_text_only(html: str, what: str) -> None:
    found = RAW.findall(html)
    assert not found, f"{what}: {found} rendered as markup"


@pytest.fixture
def hostile(app):
    """A school whose every name and text is markup, with answers (the team is shown), a plan and a
    report batch; an administrator, the school's leader and the team's facilitator."""
    from spiegel import jobs as runner
    from spiegel.reports.tasks import KIND

    board = Board(name=MARKUP["board"])
    school = School(board=board, name=MARKUP["school"])
    team, other = Team(school=school, name=MARKUP["team"]), Team(school=school, name="Beta")
    db.session.add(board)
    db.session.commit()
    round_ = make_round(school, [team, other], name=MARKUP["round"])
    round_.innovation_name, round_.innovation_description = MARKUP["innovation"], MARKUP["description"]
    db.session.commit()
    round_team = next(rt for rt in round_.round_teams if rt.team is team)
    add_responses(round_team, 4, value=4, open_text=MARKUP["answer"])
    add_responses(next(rt for rt in round_.round_teams if rt.team is other), 3, value=2)
    release(round_)
    plan = plans.create_plan(round_team, generate=False, language="nl")
    sprint = plan.sprints[0]
    plans.update_sprint(sprint, goal=MARKUP["goal"], starts_on=sprint.starts_on, ends_on=sprint.ends_on,
                        indicator=MARKUP["indicator"], cimo_context=MARKUP["goal"], cimo_intervention="",
                        cimo_mechanism="", cimo_outcome="")
    action = plans.add_action(sprint, action_id=None, own_text=MARKUP["action"], owner=MARKUP["owner"])
    plans.save_review(sprint, happened=MARKUP["review"], learned=MARKUP["review"], decision="adapt")
    users = {"admin": staff("admin"), "leader": staff("school_leader", school=school),
             "facilitator": staff("facilitator", team=team)}
    job = runner.submit(KIND, user_id=users["admin"].id, start_now=False, round_id=round_.id,
                        round_team_ids=[round_team.id], lang=None)
    return {"board": board, "school": school, "team": team, "round": round_, "round_team": round_team,
            "action": action, "users": users, "job": job}


def staff_pages(h) -> list[str]:
    ids = {"bid": h["board"].id, "sid": h["school"].id, "tid": h["team"].id, "rid": h["round"].id,
           "rtid": h["round_team"].id, "paid": h["action"].id, "uid": h["users"]["facilitator"].id,
           "jid": h["job"].id}
    return [p.format(**ids) for p in [
        "/dashboard", "/schools/{sid}", "/boards/{bid}/results", "/org/", "/org/boards/{bid}", "/org/schools/{sid}", "/org/teams/{tid}",
        "/org/schools/{sid}/delete", "/admin/users", "/admin/users/{uid}",
        "/schools/{sid}/rounds/new", "/rounds/{rid}", "/rounds/{rid}/edit", "/rounds/{rid}/delete",
        "/rounds/{rid}/posters", "/rounds/{rid}/posters/{rtid}", "/rounds/{rid}/live", "/rounds/{rid}/compare",
        "/rounds/{rid}/compare?view=elements", "/rounds/{rid}/compare?view=pillars", "/schools/{sid}/trend",
        "/schools/{sid}/trend?team={tid}", "/mirror/{rtid}", "/mirror/round/{rid}", "/mirror/jobs/{jid}",
        "/plan/{rtid}", "/plan/{rtid}/sprint/1", "/plan/{rtid}/sprint/1/review", "/plan/{rtid}/sprint/1/add",
        "/plan/{rtid}/action/{paid}", "/plan/{rtid}/focus", "/plan/{rtid}/discard",
    ]]


# Where each text must be visible (escaped), so that a page that drops it cannot pass by accident.
SHOWN = {
    "/dashboard": ["school", "round"],  # an administrator's: schools and their current rounds
    "/schools/{sid}": ["team", "school", "round"],
    "/boards/{bid}/results": ["board", "school"],
    "/rounds/{rid}": ["team", "round", "innovation"],
    "/rounds/{rid}/compare": ["team", "round"],
    "/mirror/{rtid}": ["team", "school", "answer", "action", "owner", "goal"],
    "/plan/{rtid}": ["action", "owner", "goal", "review", "indicator"],
    "/org/boards/{bid}": ["board", "school"],
}


def escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_names_and_texts_are_text_on_every_staff_page(client, login, hostile, lang):
    login(client, hostile["users"]["admin"])
    client.get(f"/lang/{lang}")
    pages = staff_pages(hostile)
    ids = {"bid": hostile["board"].id, "sid": hostile["school"].id, "rid": hostile["round"].id,
           "rtid": hostile["round_team"].id}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        assert_text_only(response.text, page)
    for template, keys in SHOWN.items():
        html = client.get(template.format(**ids)).text
        for key in keys:
            assert escaped(MARKUP[key]) in html, f"{template}: {key} is not shown as text"


@pytest.mark.parametrize("role", ["leader", "facilitator"])
def test_names_are_text_for_scoped_staff(client, login, hostile, role):
    login(client, hostile["users"][role])
    for page in ("/dashboard", f"/mirror/{hostile['round_team'].id}", f"/plan/{hostile['round_team'].id}"):
        response = client.get(page)
        assert response.status_code == 200
        assert_text_only(response.text, f"{page} as {role}")
        assert escaped(MARKUP["team"]) in response.text


def test_json_and_exports_carry_names_as_data(client, login, hostile):
    login(client, hostile["users"]["admin"])
    rid = hostile["round"].id
    live = client.get(f"/rounds/{rid}/live.json")
    assert live.status_code == 200 and not RAW.search(live.text)
    rows = list(csv.reader(io.StringIO(client.get(f"/rounds/{rid}/export.csv").data.decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert MARKUP["team"] in cells and MARKUP["school"] in cells  # data, unchanged: a CSV is not HTML


@pytest.fixture
def formula_round(app):
    """Names typed to run as spreadsheet formulas: school, round, innovation and teams."""
    school = School(board=Board(name="Board"), name="@SUM(1+1)*cmd|' /C calc'!A0")
    teams = [Team(school=school, name=name) for name in FORMULAS]
    db.session.add(school)
    db.session.commit()
    round_ = make_round(school, teams, name="=HYPERLINK(\"http://evil.example\",\"klik\")")
    round_.innovation_name = "-2+3+cmd|' /C calc'!A0"
    db.session.commit()
    for round_team in round_.round_teams[:2]:
        add_responses(round_team, 3, value=4)
    release(round_)
    return round_, staff("admin")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_export_neutralises_formulas(client, login, formula_round):
    round_, admin = formula_round
    login(client, admin)
    rows = list(csv.reader(io.StringIO(client.get(f"/rounds/{round_.id}/export.csv").data.decode("utf-8-sig"),
                                       newline="")))
    cells = [cell for row in rows for cell in row]
    dangerous = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert not dangerous, dangerous
    for name in [*FORMULAS, round_.name, round_.school.name]:
        assert "'" + name in cells, name  # shown, with the apostrophe that makes it text


def test_xlsx_export_has_no_formulas(client, login, formula_round):
    round_, admin = formula_round
    login(client, admin)
    book = load_workbook(io.BytesIO(client.get(f"/rounds/{round_.id}/export.xlsx").data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_START)], texts
    for name in [*FORMULAS, round_.name, round_.school.name, round_.innovation_name]:
        # (XML turns a carriage return into a line feed: compare without the blanks)
        assert any(t.startswith("'") and t[1:].strip() == name.strip() for t in texts), name


@pytest.mark.pdf
def test_pdf_shows_markup_as_literal_text(client, login, hostile, tmp_path):
    login(client, hostile["users"]["admin"])
    response = client.get(f"/mirror/{hostile['round_team'].id}.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "mirror.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = " ".join(text.split())
    for key in ("team", "answer", "action", "goal"):
        assert " ".join(MARKUP[key].split()) in flat, f"{key} is not in the PDF as literal text"
    # Escaping must not show twice: no entity shows up as text.
    assert "&lt;" not in flat and "&amp;" not in flat and "&#" not in flat
