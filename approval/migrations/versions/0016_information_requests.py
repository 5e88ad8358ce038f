"""依申请公开: the request register (approval/requests/).

- information_requests: one row per request for government information: the 申请编号, the state
  and version (compare-and-swap), the applicant (a natural person or an organisation, with the
  annual report's kind), what is asked for and how it is to be provided, the channel and its
  dates with the day of receipt (Art. 31), the assigned department, the 补正 notice and the
  corrected request (Art. 30), the extension (Art. 33) and who registered it; indexes for the
  register (a body's requests, by state or all, newest first) and for a department's requests;
- request_pauses: the time that does not count (third party, another body, a fee), start and end;
- request_sequences: the last 申请编号 sequence number per body and year (never reused).

Revision ID: 0016
Revises: 0015 (0015_chain_versions: written at the same time; this one goes after it)
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "information_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applicant_kind", sa.String(length=16), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("id_type", sa.String(length=32), nullable=True),
        sa.Column("id_number", sa.String(length=64), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("legal_representative", sa.String(length=100), nullable=True),
        sa.Column("contact_person", sa.String(length=100), nullable=True),
        sa.Column("organisation_kind", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("provision", sa.String(length=16), nullable=False),
        sa.Column("pickup", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("signed_for_on", sa.Date(), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("applicant_confirmed", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("correction_requested_on", sa.Date(), nullable=True),
        sa.Column("correction_items", sa.Text(), nullable=True),
        sa.Column("correction_deadline", sa.Date(), nullable=True),
        sa.Column("correction_received_on", sa.Date(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("extension_approved_by_id", sa.Integer(), nullable=True),
        sa.Column("extension_approved_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "extension_days BETWEEN 0 AND 20",
            name=op.f("ck_information_requests_extension_days"),
        ),
        sa.CheckConstraint(
            "applicant_kind IN ('person', 'organisation')",
            name=op.f("ck_information_requests_applicant_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_information_requests_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_information_requests_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["extension_approved_by_id"],
            ["users.id"],
            name=op.f("fk_information_requests_extension_approved_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["users.id"],
            name=op.f("fk_information_requests_registered_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_requests")),
        sa.UniqueConstraint(
            "body_id", "number", name=op.f("uq_information_requests_body_id_number")
        ),
    )
    op.create_index(
        "ix_information_requests_body_state",
        "information_requests",
        ["body_id", "state", "created_at", "id"],
    )
    op.create_index(
        "ix_information_requests_body_created",
        "information_requests",
        ["body_id", "created_at", "id"],
    )
    op.create_index(
        "ix_information_requests_department",
        "information_requests",
        ["department_id", "created_at", "id"],
    )
    op.create_table(
        "request_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_request_pauses_dates_in_order"),
        ),
        sa.CheckConstraint(
            "kind IN ('third_party', 'other_body', 'fee')", name=op.f("ck_request_pauses_kind")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_request_pauses_request_id_information_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_request_pauses_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_pauses")),
    )
    op.create_index(
        op.f("ix_request_pauses_request_id"), "request_pauses", ["request_id"], unique=False
    )
    op.create_table(
        "request_sequences",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_request_sequences_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("body_id", "year", name=op.f("pk_request_sequences")),
    )


def downgrade():
    op.drop_table("request_sequences")
    op.drop_index(op.f("ix_request_pauses_request_id"), table_name="request_pauses")
    op.drop_table("request_pauses")
    op.drop_index("ix_information_requests_department", table_name="information_requests")
    op.drop_index("ix_information_requests_body_created", table_name="information_requests")
    op.drop_index("ix_information_requests_body_state", table_name="information_requests")
    op.drop_table("information_requests")
