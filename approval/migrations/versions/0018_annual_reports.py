"""政府信息公开工作年度报告 (issue 23): the report per body and year (the office's texts and entered
figures; the tables are computed; the item it is published as) and per body the figures of the
year before the system; every body's catalog gets the fixed category 政府信息公开年报 (code 年报).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("other_matters", sa.Text(), nullable=False),
        sa.Column("licensing", sa.Integer(), nullable=True),
        sa.Column("penalty", sa.Integer(), nullable=True),
        sa.Column("coercion", sa.Integer(), nullable=True),
        sa.Column("fees", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_annual_reports_year")),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_annual_reports_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_annual_reports_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_annual_reports_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint("body_id", "year", name=op.f("uq_annual_reports_body_id_year")),
    )
    op.create_table(
        "annual_report_baselines",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("regulation_current", sa.Integer(), nullable=False),
        sa.Column("normative_current", sa.Integer(), nullable=False),
        sa.Column("carried_out_json", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_annual_report_baselines_year")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_annual_report_baselines_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_annual_report_baselines_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("body_id", name=op.f("pk_annual_report_baselines")),
    )

    # every body's catalog gets the 政府信息公开年报 category, last among its top level
    op.execute(
        "INSERT INTO categories (body_id, code, name, parent_id, position) "
        "SELECT b.id, '年报', '政府信息公开年报', NULL, "
        "(SELECT COALESCE(MAX(c.position), -1) + 1 FROM categories c WHERE c.body_id = b.id) "
        "FROM bodies b WHERE NOT EXISTS "
        "(SELECT 1 FROM categories c WHERE c.body_id = b.id AND c.code = '年报')"
    )


def downgrade():
    # the category stays where items use it (their 主题分类), else it goes
    op.execute(
        "DELETE FROM categories WHERE code = '年报' AND id NOT IN "
        "(SELECT category_id FROM revisions WHERE category_id IS NOT NULL) AND id NOT IN "
        "(SELECT category_id FROM items WHERE category_id IS NOT NULL)"
    )
    op.drop_table("annual_report_baselines")
    op.drop_table("annual_reports")
