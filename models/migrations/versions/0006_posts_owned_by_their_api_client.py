"""posts are owned by the API client that submitted them first

Post ids were global: any API client could read (`GET /v1/posts/{id}`) and revise (submit a new
revision of) any other client's post. `posts.client` records the client that submitted the post
first; the HTTP API then lets a client read and revise only its own posts, unless
`MODSCREEN_API_SHARED_POST_IDS` is set. Existing posts take the client of their first revision
(NULL for posts recorded by Python backends through the Submitter, which have none).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client', sa.String(length=128), nullable=True))
    op.execute(
        "UPDATE posts SET client = (SELECT r.client FROM post_revisions r WHERE r.post_id = posts.id "
        "ORDER BY r.id LIMIT 1)")


def downgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('client')
