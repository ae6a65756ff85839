"""`flask spiegel report`: one team's PDF or every team's, from the command line."""
import pytest

pytestmark = [pytest.mark.pdf]


def test_one_team_by_code(runner, mirror_data, tmp_path):
    out = tmp_path / "alfa.pdf"
    result = runner.invoke(args=["spiegel", "report", "--round", str(mirror_data.current.id), "--team",
                                 mirror_data.a.code.lower(), "--out", str(out), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and "Team Alfa" in result.output


def test_all_teams_in_a_folder(runner, mirror_data, tmp_path):
    out = tmp_path / "round"
    result = runner.invoke(args=["spiegel", "report", "--round", str(mirror_data.current.id), "--all",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 3 and all(name.startswith("spiegel-atheneum-noord-team-") for name in files)
    assert {f"-nl-{rt.id}.pdf" for rt in (mirror_data.a, mirror_data.b, mirror_data.c)} == \
        {name[name.index("-nl-"):] for name in files}
    assert any("team-gamma" in name for name in files)
    assert all((out / name).read_bytes().startswith(b"%PDF-") for name in files)
    assert "3 reports in" in result.output


def test_usage_errors(runner, mirror_data, tmp_path):
    round_id = str(mirror_data.current.id)
    out = str(tmp_path / "x.pdf")
    neither = runner.invoke(args=["spiegel", "report", "--round", round_id, "--out", out])
    assert neither.exit_code != 0 and "either --team" in neither.output
    both = runner.invoke(args=["spiegel", "report", "--round", round_id, "--team", "X", "--all", "--out", out])
    assert both.exit_code != 0
    unknown = runner.invoke(args=["spiegel", "report", "--round", round_id, "--team", "NOPE", "--out", out])
    assert unknown.exit_code != 0 and "no team" in unknown.output
    no_round = runner.invoke(args=["spiegel", "report", "--round", "99999", "--all", "--out", str(tmp_path)])
    assert no_round.exit_code != 0 and "no round" in no_round.output
