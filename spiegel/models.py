"""Every model, imported in one place so Alembic and the CLI see the whole schema."""
from spiegel.accounts.models import Membership, PasswordReset, User  # noqa: F401
from spiegel.jobs.models import Job  # noqa: F401
from spiegel.org.models import Board, School, Team  # noqa: F401
from spiegel.plans.models import Plan, PlanAction, Sprint  # noqa: F401
from spiegel.rounds.models import Round, RoundTeam  # noqa: F401
from spiegel.shared.ratelimit import RateLimit  # noqa: F401
from spiegel.survey.models import Answer, OpenAnswer, Response  # noqa: F401
