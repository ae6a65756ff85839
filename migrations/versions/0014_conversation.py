"""the team conversation: the team's notes on its results, and focus votes from the phones

Revision ID: r18_conversation
Revises: r18_cycle
Create Date: 2026-12-03 09:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r18_conversation"
down_revision = "r18_cycle"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_team_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["round_team_id"], ["round_team.id"], name=op.f("fk_team_note_round_team_id_round_team"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_note")),
        sa.UniqueConstraint("round_team_id", "element_id", name=op.f("uq_team_note_round_team_id")),
    )
    op.create_index(op.f("ix_team_note_round_team_id"), "team_note", ["round_team_id"], unique=False)
    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_team_id", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["round_team_id"], ["round_team.id"], name=op.f("fk_vote_round_team_id_round_team"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote")),
        sa.UniqueConstraint("round_team_id", name=op.f("uq_vote_round_team_id")),
    )
    op.create_table(
        "ballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["vote_id"], ["vote.id"], name=op.f("fk_ballot_vote_id_vote"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot")),
        sa.UniqueConstraint("vote_id", "voter_hash", name=op.f("uq_ballot_vote_id")),
    )
    op.create_index(op.f("ix_ballot_vote_id"), "ballot", ["vote_id"], unique=False)
    op.create_table(
        "tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["vote_id"], ["vote.id"], name=op.f("fk_tally_vote_id_vote"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally")),
        sa.UniqueConstraint("vote_id", "element_id", name=op.f("uq_tally_vote_id")),
    )
    op.create_index(op.f("ix_tally_vote_id"), "tally", ["vote_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_tally_vote_id"), table_name="tally")
    op.drop_table("tally")
    op.drop_index(op.f("ix_ballot_vote_id"), table_name="ballot")
    op.drop_table("ballot")
    op.drop_table("vote")
    op.drop_index(op.f("ix_team_note_round_team_id"), table_name="team_note")
    op.drop_table("team_note")
