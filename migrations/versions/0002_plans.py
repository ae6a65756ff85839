"""plans: Plan → Sprint → PlanAction (the sprint improvement plan of a round-team)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 12:50:25.189321

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_team_id', sa.Integer(), nullable=False),
    sa.Column('generated', sa.Boolean(), nullable=False),
    sa.Column('focus', sa.JSON(), nullable=False),
    sa.Column('discussion', sa.JSON(), nullable=False),
    sa.Column('rethink', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_team_id'], ['round_team.id'], name=op.f('fk_plan_round_team_id_round_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('round_team_id', name=op.f('uq_plan_round_team_id'))
    )
    op.create_table('sprint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('goal', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('cimo_context', sa.Text(), nullable=False),
    sa.Column('cimo_intervention', sa.Text(), nullable=False),
    sa.Column('cimo_mechanism', sa.Text(), nullable=False),
    sa.Column('cimo_outcome', sa.Text(), nullable=False),
    sa.Column('review_happened', sa.Text(), nullable=False),
    sa.Column('review_learned', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('continue', 'adapt', 'deepen', 'broaden', 'stop')", name=op.f('ck_sprint_decision')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_sprint_dates')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_sprint_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sprint')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_sprint_plan_id'))
    )
    with op.batch_alter_table('sprint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sprint_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sprint_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.String(length=40), nullable=True),
    sa.Column('own_text', sa.String(length=300), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.CheckConstraint('(action_id IS NULL) <> (own_text IS NULL)', name=op.f('ck_plan_action_source')),
    sa.ForeignKeyConstraint(['sprint_id'], ['sprint.id'], name=op.f('fk_plan_action_sprint_id_sprint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_sprint_id'), ['sprint_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_sprint_id'))

    op.drop_table('plan_action')
    with op.batch_alter_table('sprint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sprint_plan_id'))

    op.drop_table('sprint')
    op.drop_table('plan')
