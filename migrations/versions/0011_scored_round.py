"""a round's scored results, stored with its released snapshot

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scored_round",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=False),
        sa.Column("summary", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_scored_round_round_id_round"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_scored_round")),
    )


def downgrade():
    op.drop_table("scored_round")
