"""the release step each response entered its team's snapshot in (differencing between snapshots)

Revision ID: 0013_released_in
Revises: r18_conversation
Create Date: 2026-12-03 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_released_in"
down_revision = "r18_conversation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released_in", sa.Integer(), nullable=True))
    # What is released already was released before steps were recorded: one step, the first.
    op.execute("UPDATE response SET released_in = 1 WHERE released")


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("released_in")
