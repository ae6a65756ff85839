"""Exports: aggregates only, never below the minimum group size, formulas neutralised; the instrument
as JSON."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from spiegel.results.profiles import round_profiles
from spiegel.rounds.exports import aggregate_rows, neutralise, to_csv
from spiegel.scoring import shown
from spiegel.shared.extensions import db


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+31 6", "'+31 6"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Team A", "Team A"), ("", ""),
    (3.5, 3.5), (None, None), (-2, -2),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def read_csv(response):
    assert response.status_code == 200
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    return book, [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]


@pytest.fixture
def leader(world, client, login):
    login(client, world.users["leader"])
    client.get("/lang/en")
    return client


def test_csv_has_aggregates_and_never_a_suppressed_number(world, leader):
    rows = read_csv(leader.get(f"/rounds/{world.own_round.id}/export.csv"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Round", "School", "Team", "Respondents"]
    teams = {row[2] for row in body}
    assert teams == {"Alfa", "Beta", "Gamma", "School mean"}
    gamma = [row for row in body if row[2] == "Gamma"]
    assert len(gamma) == 1  # one row, no units
    assert gamma[0][3] == "fewer than 3" and all(cell == "" for cell in gamma[0][4:12])
    assert "2" not in gamma[0]  # its size never shows
    alfa = {row[5]: row for row in body if row[2] == "Alfa"}
    assert alfa["I"][3] == "4" and alfa["BV"][8] != ""
    # Scores come from the scoring service, rounded as the mirror prints them (one decimal, half up).
    profiles = round_profiles(world.own_round.id)
    alfa_profile = profiles.teams[world.rt(world.own_round, "Alfa").id].profile
    assert float(alfa["P"][8]) == shown.score(alfa_profile.scores["P"].mean) == 3.7  # 3.667
    # Gamma's answers (all 5) never reach the school mean: only Alfa and Beta count.
    school = {row[5]: row for row in body if row[2] == "School mean"}
    assert float(school["P"][8]) == shown.score(profiles.result.school.means["P"])
    assert school["P"][13] == "mean of 2 teams"
    # Units within a shown team that fewer than the minimum answered carry no number either.
    for row in body:
        if row[13].startswith("fewer than"):
            assert row[8:12] == ["", "", "", ""]


def test_formulas_typed_as_names_are_neutralised(world, leader):
    world.own.name = "=HYPERLINK(\"http://evil.example\",\"klik\")"
    world.own_teams[0].name = "+cmd|' /C calc'!A0"
    world.own_teams[1].name = "@SUM(1+1)"
    world.own_round.name = "-2+3"
    db.session.commit()
    rows = read_csv(leader.get(f"/rounds/{world.own_round.id}/export.csv"))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(row[1] == "'=HYPERLINK(\"http://evil.example\",\"klik\")" for row in rows)
    assert any(row[2] == "'+cmd|' /C calc'!A0" for row in rows)

    book, cells = read_xlsx(leader.get(f"/rounds/{world.own_round.id}/export.xlsx"))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    assert any(row[2] == "'@SUM(1+1)" for row in cells)
    assert any(row[0] == "'-2+3" for row in cells)


def test_xlsx_matches_csv_and_keeps_numbers_numeric(world, leader):
    csv_rows = read_csv(leader.get(f"/rounds/{world.own_round.id}/export.csv"))
    book, rows = read_xlsx(leader.get(f"/rounds/{world.own_round.id}/export.xlsx"))
    assert len(rows) == len(csv_rows) and rows[0] == csv_rows[0]
    alfa_group = next(row for row in rows if row[2] == "Alfa" and row[5] == "P")
    assert isinstance(alfa_group[8], float) and alfa_group[3] == 4
    gamma = next(row for row in rows if row[2] == "Gamma")
    assert gamma[3] == "fewer than 3" and gamma[8] is None
    about = book.worksheets[1]
    assert "minimum group size of 3" in " ".join(str(c.value) for c in about["A"])


def test_export_in_dutch(world, leader):
    leader.get("/lang/nl")
    rows = read_csv(leader.get(f"/rounds/{world.own_round.id}/export.csv"))
    assert rows[0][2] == "Team" and any(row[3] == "minder dan 3" for row in rows)


def test_aggregate_rows_of_a_round_without_answers(world, app):
    from tests.rounds.conftest import make_round

    empty = make_round(world.own, world.own_teams, name="Leeg")
    with app.test_request_context():
        rows = aggregate_rows(empty)
    assert all(row[8] is None for row in rows[1:])
    assert to_csv(rows).count(b"\r\n") == len(rows)


def test_instrument_json(world, leader):
    response = leader.get("/instrument.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.data)
    modules = {m["id"]: m for m in data["modules"]}
    assert {"sustainability", "policy"} <= set(modules)
    first = modules["sustainability"]["groups"][0]["elements"][0]
    assert first["items"][0]["text"]["nl"] and first["items"][0]["source"]
    assert "attachment" in response.headers["Content-Disposition"]


def test_xlsx_keeps_texts_as_typed_and_numbers_as_numbers(app):
    """The sheet is written without openpyxl: a spreadsheet reader gets the texts back as typed (markup,
    quotes, leading blanks, a carriage return), minus the control characters XML cannot hold, never a
    formula; numbers as numbers, rounded as before; the header frozen; the notes on a second sheet."""
    from spiegel.rounds.exports import to_xlsx

    rows = [["Round", "Team", "Mean"], ["R <1> & \"2\"", "  Team\r\nA\x01", 3.123456], ["'=1+1", None, 7]]
    with app.test_request_context():
        data = to_xlsx(rows, 'Afname "2025": [x]', ["Noot <b>", "=SUM(A1)"])
    book = load_workbook(io.BytesIO(data))
    sheet, about = book.worksheets
    assert sheet.title == 'Afname "2025" x'
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Round", "Team", "Mean"], ["R <1> & \"2\"", "  Team\r\nA", 3.1235], ["'=1+1", None, 7]]
    assert sheet.freeze_panes == "A2" and about.freeze_panes is None
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [c.value for c in about["A"]] == ["Noot <b>", "'=SUM(A1)"]
