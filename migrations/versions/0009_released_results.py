"""released results (responses in a team's released snapshot), personal-code rounds and their slips,
declared team sizes

Revision ID: r15
Revises: 0008_plan_texts
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r15"
down_revision = "0008_plan_texts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("round_team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("access", sa.String(length=10), server_default="team", nullable=False))
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members", sa.Integer(), nullable=True))
    op.create_table(
        "slip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_team_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["round_team_id"], ["round_team.id"], name=op.f("fk_slip_round_team_id_round_team"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slip")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_slip_code_hash")),
    )
    with op.batch_alter_table("slip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slip_round_team_id"), ["round_team_id"], unique=False)


def downgrade():
    with op.batch_alter_table("slip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slip_round_team_id"))
    op.drop_table("slip")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("members")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("access")
    with op.batch_alter_table("round_team", schema=None) as batch_op:
        batch_op.drop_column("released_at")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("released")
