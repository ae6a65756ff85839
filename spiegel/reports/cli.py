"""`flask spiegel report`: print team mirrors from the command line (coaches, cron, scripts)."""
from pathlib import Path

import click
from sqlalchemy import func, select

from spiegel.rounds.models import RoundTeam
from spiegel.shared.extensions import db


@click.command("report")
@click.option("--round", "round_id", type=int, required=True, help="The round's id.")
@click.option("--team", "team", help="The team's join code (or its exact name in this round).")
@click.option("--all", "all_teams", is_flag=True, help="Every team of the round, one PDF each.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The PDF file (with --team) or a folder (with --all).")
@click.option("--lang", type=click.Choice(["nl", "en", "fr"]), default=None,
              help="Language of the report (default: the round's language).")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Processes rendering PDFs in parallel (with --all).")
def report_command(round_id: int, team: str | None, all_teams: bool, out: Path, lang: str | None, workers: int):
    """Render a team's mirror (--team CODE --out FILE.pdf) or every team's (--all --out DIR/)."""
    from spiegel.reports.services import team_pdf
    from spiegel.reports.tasks import render_many, round_teams_of

    if bool(team) == all_teams:
        raise click.UsageError("give either --team CODE or --all")
    try:
        round_, teams = round_teams_of(round_id)
    except LookupError as error:
        raise click.ClickException(f"there is no round {round_id}") from error
    if team:
        match = _find_team(round_id, team)
        if match is None:
            raise click.ClickException(f"round {round_id} has no team with code or name {team!r}")
        if out.is_dir():
            raise click.UsageError("--out must be a file name with --team")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(team_pdf(match, lang))
        click.echo(f"{match.team.name}: {out}")
        return
    out.mkdir(parents=True, exist_ok=True)
    for round_team, filename, data in render_many(round_, teams, lang, workers=workers):
        (out / filename).write_bytes(data)
        click.echo(f"{round_team.team.name}: {out / filename}")
    click.echo(f"{len(teams)} reports in {out} (round {round_.name!r}).")


def _find_team(round_id: int, value: str) -> RoundTeam | None:
    value = value.strip()
    by_code = db.session.scalar(select(RoundTeam).where(RoundTeam.round_id == round_id,
                                                        func.upper(RoundTeam.code) == value.upper()))
    if by_code is not None:
        return by_code
    from spiegel.org.models import Team

    return db.session.scalar(select(RoundTeam).join(Team, Team.id == RoundTeam.team_id)
                             .where(RoundTeam.round_id == round_id, Team.name == value))
