"""Versioned chains: chain_steps.version and items.chain_version.

Changing a body's chain writes the whole new chain as a new version; a round records the version
it started on, so an item already in a round finishes on the chain it started with
(``approval/models/chain.py``). Existing rows and items are version 0: the chain they were on.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chain_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_chain_steps_body_id_key", type_="unique")
        batch_op.drop_constraint("uq_chain_steps_body_id_position", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_chain_steps_body_id_version_key"), ["body_id", "version", "key"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_chain_steps_body_id_version_position"),
            ["body_id", "version", "position"],
        )
    op.add_column(
        "items", sa.Column("chain_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade():
    # plain ALTER (SQLite >= 3.35, PostgreSQL), as the other migrations drop columns
    op.execute("ALTER TABLE items DROP COLUMN chain_version")
    # only the current version of each body's chain survives a downgrade
    op.execute(
        "DELETE FROM chain_steps WHERE version < "
        "(SELECT MAX(newest.version) FROM chain_steps AS newest "
        "WHERE newest.body_id = chain_steps.body_id)"
    )
    with op.batch_alter_table("chain_steps", schema=None) as batch_op:
        batch_op.drop_constraint("uq_chain_steps_body_id_version_key", type_="unique")
        batch_op.drop_constraint("uq_chain_steps_body_id_version_position", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_chain_steps_body_id_key"), ["body_id", "key"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_chain_steps_body_id_position"), ["body_id", "position"]
        )
        batch_op.drop_column("version")
