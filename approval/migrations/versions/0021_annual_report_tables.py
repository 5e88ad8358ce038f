"""年度报告 (issue 23): the tables as sent (送审), kept with the report so that the published item
shows the figures that were signed, not the figures as the register reads later.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("annual_reports") as batch:
        batch.add_column(sa.Column("sent_tables", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("annual_reports") as batch:
        batch.drop_column("sent_tables")
