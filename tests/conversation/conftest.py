"""The conversation tests use the plan tests' scored team and facilitator."""
from tests.plans.conftest import answer_team, facilitator, scored_team  # noqa: F401
