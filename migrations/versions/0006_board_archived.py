"""boards can be archived, like schools and teams

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 14:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.drop_column("archived")
