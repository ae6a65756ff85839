"""background jobs on a queue: job key, heartbeat, attempts, worker; results stored in the database

Revision ID: q19_queue
Revises: 0011
Create Date: 2026-11-25 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "q19_queue"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("touched", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("worker", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_job_key"), ["key"], unique=False)
    op.create_table(
        "stored_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mimetype", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_result")),
        sa.UniqueConstraint("key", name=op.f("uq_stored_result_key")),
    )
    with op.batch_alter_table("stored_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_result_created"), ["created"], unique=False)
    # Results of the old runner were files in the instance folder: forget them (they are not served any more).
    op.execute("UPDATE job SET result = NULL")


def downgrade():
    with op.batch_alter_table("stored_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_result_created"))
    op.drop_table("stored_result")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_key"))
        batch_op.drop_column("worker")
        batch_op.drop_column("attempts")
        batch_op.drop_column("touched")
        batch_op.drop_column("key")
