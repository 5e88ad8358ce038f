"""Full-text search of the public portal: search_documents, and per database the index of its
bigram tokens (SQLite: the FTS5 table search_fts; PostgreSQL: tsvector columns with GIN).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ordinal", sa.BigInteger(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("validity", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_search_documents_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_search_documents_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_search_documents_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_search_documents_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("ordinal", name=op.f("uq_search_documents_ordinal")),
    )
    op.create_index("ix_search_documents_body_year", "search_documents", ["body_id", "year"])
    op.create_index("ix_search_documents_body_ordinal", "search_documents", ["body_id", "ordinal"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN tsv tsvector NOT NULL, "
            "ADD COLUMN title_tsv tsvector NOT NULL"
        )
        op.execute(
            "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv) "
            "WITH (fastupdate = off)"
        )
        op.execute(
            "CREATE INDEX ix_search_documents_title_tsv ON search_documents "
            "USING gin (title_tsv) WITH (fastupdate = off)"
        )
    else:
        from approval.search.sqlite_backend import CREATE_FTS

        op.execute(CREATE_FTS)
    # Items already published are indexed by `init-db` after the upgrade (search.ensure_indexed),
    # with the application code of that day: a migration must not run code that changes later.


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    op.drop_index("ix_search_documents_body_ordinal", table_name="search_documents")
    op.drop_index("ix_search_documents_body_year", table_name="search_documents")
    op.drop_table("search_documents")
