"""screenings lose `priority`, which nothing read; the queue index keys on what the queue filters by

`screenings.priority` (the harshest reason's score, reject reasons first) was computed at every
save and indexed, but the review queue orders by its reasons' categories and scores
(models/review_store.py) and never read it. The queue index `ix_screenings_queue` was
(decision, is_current, review_state, priority, screened_at); it becomes (review_state, decision,
is_current, role): each tab of the queue asks for one review state (the escalated tab for no
particular decision), current, live screenings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index('ix_screenings_queue')
        batch_op.drop_column('priority')
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.create_index('ix_screenings_queue', ['review_state', 'decision', 'is_current', 'role'], unique=False)


def downgrade() -> None:
    # the screenings stored meanwhile get priority 0 (their reasons still say how harsh they were)
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index('ix_screenings_queue')
        batch_op.add_column(sa.Column('priority', sa.Float(), nullable=False, server_default='0'))
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.alter_column('priority', server_default=None)
        batch_op.create_index('ix_screenings_queue', ['decision', 'is_current', 'review_state', 'priority',
                                                      'screened_at'], unique=False)
