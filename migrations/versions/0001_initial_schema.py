"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 12:05:52.357008

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('board',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board'))
    )
    op.create_table('school',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_school_board_id_board'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school'))
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_board_id'), ['board_id'], unique=False)

    op.create_table('round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('modules', sa.JSON(), nullable=False),
    sa.Column('instrument_versions', sa.JSON(), nullable=False),
    sa.Column('innovation_name', sa.String(length=200), nullable=False),
    sa.Column('innovation_description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('default_language', sa.String(length=5), nullable=False),
    sa.Column('sprint_count', sa.Integer(), nullable=False),
    sa.Column('sprint_weeks', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_round_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round'))
    )
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_school_id'), ['school_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_team_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_school_id'), ['school_id'], unique=False)

    op.create_table('round_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_round_team_round_id_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_round_team_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_team')),
    sa.UniqueConstraint('code', name=op.f('uq_round_team_code')),
    sa.UniqueConstraint('round_id', 'team_id', name=op.f('uq_round_team_round_id'))
    )
    with op.batch_alter_table('round_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_team_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_team_team_id'), ['team_id'], unique=False)

    op.create_table('response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_team_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=10), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('resume_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['round_team_id'], ['round_team.id'], name=op.f('fk_response_round_team_id_round_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response')),
    sa.UniqueConstraint('round_team_id', 'resume_hash', name=op.f('uq_response_round_team_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_response_token_hash'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_round_team_id'), ['round_team_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_answer_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('response_id', 'item_id', name=op.f('uq_answer_response_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_response_id'), ['response_id'], unique=False)

    op.create_table('open_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_open_answer_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_answer')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_open_answer_response_id'))
    )
    with op.batch_alter_table('open_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_answer_response_id'), ['response_id'], unique=False)




def downgrade():

    with op.batch_alter_table('open_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_answer_response_id'))

    op.drop_table('open_answer')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_response_id'))

    op.drop_table('answer')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_round_team_id'))

    op.drop_table('response')
    with op.batch_alter_table('round_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_team_team_id'))
        batch_op.drop_index(batch_op.f('ix_round_team_round_id'))

    op.drop_table('round_team')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_school_id'))

    op.drop_table('team')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_school_id'))

    op.drop_table('round')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_board_id'))

    op.drop_table('school')
    op.drop_table('board')

