"""re-screening: a screening can be superseded; one active screening per (revision, role)

`modscreen rescreen` (after a policy or model change) marks a revision's active screening
superseded and screens the revision again. The unique key (revision_id, role) becomes a
partial unique index over the active (not superseded) screenings, so a revision is still
screened at most once per role at a time (the idempotency guarantee is unchanged), and the
screenings it replaced are kept as history with the moderator decisions that point at them.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_screenings_revision_id_role', type_='unique')
        batch_op.create_index('uq_screenings_active_revision_role', ['revision_id', 'role'], unique=True,
                              sqlite_where=sa.text('superseded_at IS NULL'),
                              postgresql_where=sa.text('superseded_at IS NULL'))


def downgrade() -> None:
    # the old key allows one screening per (revision, role): keep the active one (or, where a
    # re-screen is still pending, the newest superseded one), move moderator decisions onto it
    op.execute(
        "UPDATE screenings SET superseded_at = NULL WHERE id IN (SELECT max(s.id) FROM screenings s "
        "WHERE NOT EXISTS (SELECT 1 FROM screenings a WHERE a.revision_id = s.revision_id AND a.role = s.role "
        "AND a.superseded_at IS NULL) GROUP BY s.revision_id, s.role)")
    op.execute(
        "UPDATE moderator_decisions SET screening_id = (SELECT a.id FROM screenings a JOIN screenings s "
        "ON a.revision_id = s.revision_id AND a.role = s.role WHERE s.id = moderator_decisions.screening_id "
        "AND a.superseded_at IS NULL) "
        "WHERE screening_id IN (SELECT id FROM screenings WHERE superseded_at IS NOT NULL)")
    op.execute("DELETE FROM reasons WHERE screening_id IN (SELECT id FROM screenings WHERE superseded_at IS NOT NULL)")
    op.execute("DELETE FROM screenings WHERE superseded_at IS NOT NULL")
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index('uq_screenings_active_revision_role',
                            sqlite_where=sa.text('superseded_at IS NULL'),
                            postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.create_unique_constraint('uq_screenings_revision_id_role', ['revision_id', 'role'])
        batch_op.drop_column('superseded_at')
