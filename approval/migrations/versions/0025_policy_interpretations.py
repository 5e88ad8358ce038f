"""政策解读 (issue 24): a 解读 names the policy it explains; the office may ask that a policy be
published only with its 解读 (publication/interpretations.py).

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    # plain ALTERs, as 0017: a batch rebuild of items would drop its triggers and, on SQLite with
    # foreign keys on, cannot drop a table that others reference
    op.execute(
        "ALTER TABLE items ADD COLUMN interprets_id INTEGER "
        "CONSTRAINT fk_items_interprets_id_items REFERENCES items (id)"
    )
    op.add_column(
        "items",
        sa.Column("needs_interpretation", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_items_interprets_id", "items", ["interprets_id"])


def downgrade():
    op.drop_index("ix_items_interprets_id", table_name="items")
    op.execute("ALTER TABLE items DROP COLUMN needs_interpretation")
    op.execute("ALTER TABLE items DROP COLUMN interprets_id")
