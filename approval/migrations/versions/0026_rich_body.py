"""Rich 正文 (issue 24): the sanitized HTML of a revision's 正文, beside its text rendering in
``body`` (approval/core/rich_text.py, docs/rich-text.md). NULL: a plain-text 正文, as before.

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN, outside batch mode: a batch rebuild of revisions would drop the
    # triggers that keep sealed revisions immutable
    op.add_column("revisions", sa.Column("body_html", sa.Text(), nullable=True))


def downgrade():
    op.execute("ALTER TABLE revisions DROP COLUMN body_html")
