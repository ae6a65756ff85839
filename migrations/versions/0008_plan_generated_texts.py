"""generated plan texts as ids and parameters: a sprint's goal and indicator, an action's owner role

Revision ID: 0008_plan_texts
Revises: 0007
Create Date: 2026-11-22 10:00:00

The proposal's texts used to be stored as sentences in the language of the page the plan was made on.
Now a generated goal or indicator is stored as a key with parameters and an owner as a role, and each
is written in the language of the page or PDF that shows it. Owners already stored as one of the
proposal's role labels (in nl, en or fr) become that role; older generated goals and indicators stay
as they are (shown as typed).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_plan_texts"
down_revision = "0007"
branch_labels = None
depends_on = None

# The owner labels the proposal wrote (spiegel.plans.services.OWNER_LABELS in the three catalogs).
OWNER_LABELS = {
    "team": ("The whole team", "Het hele team", "Toute l'équipe"),
    "leadership": ("School leadership", "Schoolleiding", "Direction"),
    "coordinator": ("Coordinator", "Coördinator", "Coordinateur"),
    "board": ("School board", "Schoolbestuur", "Pouvoir organisateur"),
}


def upgrade():
    with op.batch_alter_table("sprint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("generated_goal", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("generated_indicator", sa.JSON(), nullable=True))
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_role", sa.String(length=20), nullable=True))
    plan_action = sa.table("plan_action", sa.column("owner", sa.String), sa.column("owner_role", sa.String))
    for role, labels in OWNER_LABELS.items():
        op.execute(plan_action.update().where(plan_action.c.owner.in_(labels))
                   .values(owner_role=role, owner=""))


def downgrade():
    # Back to sentences: a role becomes its Dutch label (the default language).
    plan_action = sa.table("plan_action", sa.column("owner", sa.String), sa.column("owner_role", sa.String))
    for role, labels in OWNER_LABELS.items():
        op.execute(plan_action.update().where(plan_action.c.owner_role == role).values(owner=labels[1]))
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.drop_column("owner_role")
    with op.batch_alter_table("sprint", schema=None) as batch_op:
        batch_op.drop_column("generated_indicator")
        batch_op.drop_column("generated_goal")
