"""bodies.settings_version: incremented whenever a body's chain steps or step time limits, or the
national working-day calendar, change (``approval/settings_cache.py``), so that each worker
process may keep them between requests and still see a change at its next request.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "bodies", sa.Column("settings_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade():
    # plain ALTER (SQLite >= 3.35, PostgreSQL), as the other migrations drop columns
    op.execute("ALTER TABLE bodies DROP COLUMN settings_version")
