"""Attachments' public names and the portal's site identity (issue 24).

- attachments.display_name: the public name the author gives an attachment (NULL: its file name,
  so no row is rewritten: the attachments of sealed revisions are immutable, their triggers refuse
  an UPDATE, and a plain ADD COLUMN keeps those triggers on SQLite);
- site_identities: a body's 主办单位, 网站标识码, ICP备案号, 公安机关备案号 and contact details,
  set by its general office and shown in the portal's footer.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("attachments", sa.Column("display_name", sa.String(length=200), nullable=True))
    op.create_table(
        "site_identities",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("sponsor", sa.String(length=100), nullable=False),
        sa.Column("site_code", sa.String(length=20), nullable=False),
        sa.Column("icp_number", sa.String(length=64), nullable=False),
        sa.Column("police_number", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_site_identities_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_site_identities_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("body_id", name=op.f("pk_site_identities")),
    )


def downgrade():
    op.drop_table("site_identities")
    # SQLite: DROP COLUMN (3.35+) leaves the table and its immutability triggers in place
    op.drop_column("attachments", "display_name")
