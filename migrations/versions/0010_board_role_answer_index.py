"""a board role (membership.board_id); drop ix_answer_response_id, which the unique
(response_id, item_id) index already covers

Revision ID: 0010
Revises: r15
Create Date: 2026-11-24 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "r15"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('admin', 'school_leader', 'coach', 'facilitator')"
ROLES_AFTER = "role IN ('admin', 'school_leader', 'coach', 'facilitator', 'board')"


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_response_id"))
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("board_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_membership_board_id_board"), "board", ["board_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index(batch_op.f("ix_membership_board_id"), ["board_id"], unique=False)
        batch_op.drop_constraint(batch_op.f("ck_membership_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_membership_role"), ROLES_AFTER)


def downgrade():
    op.execute("DELETE FROM membership WHERE role = 'board'")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_membership_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_membership_role"), ROLES_BEFORE)
        batch_op.drop_index(batch_op.f("ix_membership_board_id"))
        batch_op.drop_constraint(batch_op.f("fk_membership_board_id_board"), type_="foreignkey")
        batch_op.drop_column("board_id")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_response_id"), ["response_id"], unique=False)
