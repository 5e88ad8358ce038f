"""依申请公开, second part: online requests, replies through the chain, deliveries, cases.

- information_requests: ``received_on`` and ``registered_by_id`` may be empty (an online request
  the office has not yet confirmed: Art. 31; confirming sets both), ``tracking_code_hash`` (the portal's 查询码, hashed), ``outcome`` (the
  reply type or closure, one row of the annual report's table 三), ``proactive_item_id`` (Art. 44:
  the proactive draft started from the request). SQLite rebuilds the table (it has no triggers);
- items.request_id: the reply to a request is an item that walks the chain and is sent, not
  published (one reply per request); revisions.reply_type and revisions.reply_public_item_id
  (已主动公开: the published item pointed to). Added with ALTER TABLE ... ADD COLUMN: a table
  rebuild would drop the sealed-revision triggers;
- request_pauses.party (the third party or other body consulted) and .amount (a fee, yuan);
- request_deliveries: each document sent, how and when, with the proof file;
- request_cases: 行政复议 and 行政诉讼 over a request, with their result (table 四).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("information_requests", schema=None) as batch_op:
        batch_op.alter_column("received_on", existing_type=sa.Date(), nullable=True)
        batch_op.alter_column("registered_by_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("tracking_code_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("proactive_item_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_information_requests_tracking_code_hash"), ["tracking_code_hash"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_information_requests_proactive_item_id_items"),
            "items",
            ["proactive_item_id"],
            ["id"],
        )
    # one statement both databases accept (Alembic's add_column cannot add a foreign key on SQLite)
    op.execute(
        "ALTER TABLE items ADD COLUMN request_id INTEGER "
        "CONSTRAINT fk_items_request_id_information_requests REFERENCES information_requests (id)"
    )
    # partial: most items are not replies, and "request_id IS NULL" must not read this index
    op.create_index(
        "ix_items_request_id",
        "items",
        ["request_id"],
        unique=True,
        sqlite_where=sa.text("request_id IS NOT NULL"),
        postgresql_where=sa.text("request_id IS NOT NULL"),
    )
    op.execute("ALTER TABLE revisions ADD COLUMN reply_type VARCHAR(32)")
    op.execute(
        "ALTER TABLE revisions ADD COLUMN reply_public_item_id INTEGER "
        "CONSTRAINT fk_revisions_reply_public_item_id_items REFERENCES items (id)"
    )
    op.add_column("request_pauses", sa.Column("party", sa.String(length=200), nullable=True))
    op.add_column(
        "request_pauses", sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True)
    )
    op.create_table(
        "request_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("proof_filename", sa.String(length=200), nullable=True),
        sa.Column("proof_storage_name", sa.String(length=100), nullable=True),
        sa.Column("proof_content_type", sa.String(length=100), nullable=True),
        sa.Column("proof_size", sa.Integer(), nullable=True),
        sa.Column("proof_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "document IN ('reply', 'correction', 'extension', 'third_party')",
            name=op.f("ck_request_deliveries_document"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_request_deliveries_request_id_information_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_request_deliveries_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_deliveries")),
    )
    op.create_index(op.f("ix_request_deliveries_request_id"), "request_deliveries", ["request_id"])
    op.create_table(
        "request_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("after_review", sa.Boolean(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("case_number", sa.String(length=100), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('review', 'litigation')", name=op.f("ck_request_cases_kind")),
        sa.CheckConstraint(
            "result IN ('upheld', 'corrected', 'other', 'pending')",
            name=op.f("ck_request_cases_result"),
        ),
        sa.CheckConstraint(
            "(kind = 'review' AND after_review = false) OR kind = 'litigation'",
            name=op.f("ck_request_cases_after_review_litigation_only"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_request_cases_request_id_information_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_request_cases_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_request_cases_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_cases")),
    )
    op.create_index(op.f("ix_request_cases_request_id"), "request_cases", ["request_id"])
    op.create_index("ix_request_cases_body_filed", "request_cases", ["body_id", "filed_on"])


def downgrade():
    op.drop_index("ix_request_cases_body_filed", table_name="request_cases")
    op.drop_index(op.f("ix_request_cases_request_id"), table_name="request_cases")
    op.drop_table("request_cases")
    op.drop_index(op.f("ix_request_deliveries_request_id"), table_name="request_deliveries")
    op.drop_table("request_deliveries")
    op.drop_column("request_pauses", "amount")
    op.drop_column("request_pauses", "party")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the tables' triggers
    op.execute("ALTER TABLE revisions DROP COLUMN reply_public_item_id")
    op.execute("ALTER TABLE revisions DROP COLUMN reply_type")
    op.drop_index("ix_items_request_id", table_name="items")
    op.execute("ALTER TABLE items DROP COLUMN request_id")
    # requests still awaiting confirmation have no day of receipt: they go with the downgrade
    op.execute(
        "DELETE FROM request_pauses WHERE request_id IN "
        "(SELECT id FROM information_requests WHERE received_on IS NULL)"
    )
    op.execute("DELETE FROM information_requests WHERE received_on IS NULL")
    with op.batch_alter_table("information_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_information_requests_proactive_item_id_items"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_information_requests_tracking_code_hash"), type_="unique"
        )
        batch_op.drop_column("proactive_item_id")
        batch_op.drop_column("outcome")
        batch_op.drop_column("tracking_code_hash")
        batch_op.alter_column("received_on", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("registered_by_id", existing_type=sa.Integer(), nullable=False)
