"""`flask spiegel …` commands."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from spiegel.shared.extensions import db

spiegel_cli = AppGroup("spiegel", help="Spiegel administration commands.")


@spiegel_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds a board.")
@click.option("--seed", default=2026, show_default=True, help="Random seed for the synthetic answers.")
def demo_command(if_empty: bool, seed: int):
    """Load a demo school board with rounds and synthetic answers, and print the team codes."""
    from spiegel.demo import DEMO_BOARD, load_demo
    from spiegel.org.models import Board

    existing = db.session.scalar(select(Board).limit(1))
    if existing is not None and if_empty:
        click.echo("The database already holds data; demo not loaded.")
        return
    board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    if board is None:
        board = load_demo(seed=seed)
        click.echo(f"Loaded the demo board {board.name!r}.")
    else:
        click.echo(f"The demo board {board.name!r} is already loaded.")
    _print_codes(board)
    from spiegel.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    click.echo(f"\nStaff log-in at /login (password for all: {DEMO_PASSWORD}):")
    for email, role, _scope in DEMO_ACCOUNTS:
        click.echo(f"  {email:32} {role}")


def _print_codes(board):
    from spiegel.demo import open_round_teams

    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    click.echo(f"{'school':28} {'team':20} {'code':8} {'answers':>7}  join link")
    for round_team, submitted in open_round_teams(board):
        click.echo(f"{round_team.team.school.name:28} {round_team.team.name:20} {round_team.code:8} "
                   f"{submitted:>7}  {base}/t/{round_team.code}")


@spiegel_cli.command("create-admin")
@click.option("--email", prompt=True, help="E-mail address of the administrator.")
@click.password_option(help="At least 10 characters.")
def create_admin_command(email: str, password: str):
    """Create an administrator account (the first one, or another)."""
    from spiegel.accounts.forms import MIN_PASSWORD
    from spiegel.accounts.services import create_user, user_by_email

    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="password")
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="email")
    if user_by_email(email) is not None:
        raise click.ClickException(f"an account for {email} already exists")
    create_user(email, password, role="admin")
    click.echo(f"Administrator {email.strip().lower()} created. Log in at /login.")


@spiegel_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@click.option("--months", type=click.IntRange(min=1), default=None,
              help="Retention in months (default: the RETENTION_MONTHS setting).")
def purge_command(dry_run: bool, months: int | None):
    """Delete the raw responses of rounds closed longer ago than the retention period."""
    from spiegel.rounds.services import purge_expired

    months = months or int(current_app.config.get("RETENTION_MONTHS", 24))
    found = purge_expired(months, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    for item in found:
        click.echo(f"{verb} {item.responses} responses of round {item.round_name!r} ({item.school_name}), "
                   f"closed {item.closed_at:%Y-%m-%d}.")
    total = sum(item.responses for item in found)
    if found:
        click.echo(f"{verb} {total} responses in {len(found)} rounds closed more than {months} months ago.")
    else:
        click.echo(f"Nothing to purge: no responses in rounds closed more than {months} months ago.")
    if not dry_run:
        from spiegel.jobs import remove_old_results

        removed = remove_old_results()
        hours = current_app.config.get("JOB_RESULTS_MAX_AGE_HOURS")
        click.echo(f"Deleted {removed} results of background jobs made more than {hours} hours ago.")


from spiegel.jobs.cli import worker_command  # noqa: E402  (commands of other packages, registered here)
from spiegel.reports.cli import report_command  # noqa: E402

spiegel_cli.add_command(worker_command)
spiegel_cli.add_command(report_command)
