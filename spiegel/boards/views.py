"""The view across a board's schools, for the board's staff (board role) and administrators."""
from flask import Blueprint, render_template, request

from spiegel.accounts.access import board_or_404, can_view_school, login_required
from spiegel.boards import services
from spiegel.results import numbers
from spiegel.results.profiles import scoring_config
from spiegel.scoring.stats import band
from spiegel.shared.clock import utcnow

bp = Blueprint("boards", __name__)


@bp.get("/boards/<int:board_id>/results")
@login_required
def results(board_id):
    board = board_or_404(board_id)
    data = services.board_results(board, request.args.get("view", "groups"), utcnow())
    # Drill-down to a school only where the viewer's own scope reaches it.
    drill = {row.school.id for row in data.rows if can_view_school(row.school.id)}
    config = scoring_config()
    return render_template("boards/results.html", data=data, views=services.VIEWS, drill=drill,
                           band=lambda mean: band(mean, config), num=numbers.score, signed=numbers.change)
