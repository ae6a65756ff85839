"""the cycle after the study day: sprint review value and reason, pulse rounds, shared plans

Revision ID: r18_cycle
Revises: q19_queue
Create Date: 2026-12-03 09:30:00

A sprint review records the reason for its decision and the value the sprint created (seed 004's five
kinds, as kind ids with the team's example). A round is "full" or a "pulse": a short re-measurement of
one team's focus elements and the sustainability indicators (``pulse_elements``). A plan may be shared
with the facilitators of the school's other teams (off by default).
"""
import sqlalchemy as sa
from alembic import op

revision = "r18_cycle"
down_revision = "q19_queue"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sprint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("value", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="full"))
        batch_op.add_column(sa.Column("pulse_elements", sa.JSON(), nullable=True))
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("shared")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("pulse_elements")
        batch_op.drop_column("kind")
    with op.batch_alter_table("sprint", schema=None) as batch_op:
        batch_op.drop_column("value")
        batch_op.drop_column("decision_reason")
