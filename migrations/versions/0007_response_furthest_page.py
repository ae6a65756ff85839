"""responses remember the furthest page they saved, so later pages are shown blank without a query

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 20:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Existing responses get the largest page number: "may have answers on any page", always looked up.
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("furthest_page", sa.Integer(), server_default="2147483647", nullable=False))


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("furthest_page")
