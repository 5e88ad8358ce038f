"""互动回应 (issue 25): the public's messages and their answers (approval/interaction/).

- interaction_events: a 政务公开日 (date, place, people received) and, in
  interaction_event_departments, the departments present;
- interaction_messages: one row per message (subject, category, text, the sender's name and
  contact details, may it be published, channel, day received, working days and due day, the
  portal's 查询码 as SHA-256, department, review step, 转办, reopened once), state and version;
- interaction_replies: the department's answer per round with its leader's and the office's
  approval; interaction_ratings: the sender's 满意/基本满意/不满意 per round;
- interaction_time_limits: the office's working days per category;
- interaction_faqs: the office's 常见问题.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade():
    op.create_table(
        "interaction_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("people_received", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("interaction_events", "body_id", "bodies"),
        _fk("interaction_events", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_events")),
    )
    op.create_index(op.f("ix_interaction_events_body_id"), "interaction_events", ["body_id"])
    op.create_table(
        "interaction_event_departments",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        _fk("interaction_event_departments", "event_id", "interaction_events"),
        _fk("interaction_event_departments", "department_id", "departments"),
        sa.PrimaryKeyConstraint(
            "event_id", "department_id", name=op.f("pk_interaction_event_departments")
        ),
    )
    op.create_table(
        "interaction_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sender_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("may_publish", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("tracking_code_hash", sa.String(length=64), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("review_step", sa.String(length=16), nullable=True),
        sa.Column("transferred_to", sa.String(length=100), nullable=True),
        sa.Column("transfer_note", sa.String(length=500), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("reopened_on", sa.Date(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "category IN ('consultation', 'suggestion', 'complaint', 'other')",
            name=op.f("ck_interaction_messages_category"),
        ),
        sa.CheckConstraint(
            "reopened_count BETWEEN 0 AND 1", name=op.f("ck_interaction_messages_reopened_once")
        ),
        _fk("interaction_messages", "body_id", "bodies"),
        _fk("interaction_messages", "event_id", "interaction_events"),
        _fk("interaction_messages", "department_id", "departments"),
        _fk("interaction_messages", "registered_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_messages")),
        sa.UniqueConstraint(
            "tracking_code_hash", name=op.f("uq_interaction_messages_tracking_code_hash")
        ),
    )
    op.create_index(
        "ix_interaction_messages_body_state",
        "interaction_messages",
        ["body_id", "state", "received_on", "id"],
    )
    op.create_index(
        "ix_interaction_messages_department", "interaction_messages", ["department_id", "state"]
    )
    op.create_index(op.f("ix_interaction_messages_event_id"), "interaction_messages", ["event_id"])
    op.create_table(
        "interaction_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("returned_reason", sa.String(length=500), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("interaction_replies", "message_id", "interaction_messages"),
        _fk("interaction_replies", "drafted_by_id", "users"),
        _fk("interaction_replies", "leader_id", "users"),
        _fk("interaction_replies", "office_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_replies")),
    )
    op.create_index(
        op.f("ix_interaction_replies_message_id"), "interaction_replies", ["message_id"]
    )
    op.create_table(
        "interaction_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "rating IN ('satisfied', 'basically', 'dissatisfied')",
            name=op.f("ck_interaction_ratings_rating"),
        ),
        _fk("interaction_ratings", "message_id", "interaction_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_ratings")),
        sa.UniqueConstraint(
            "message_id", "round", name=op.f("uq_interaction_ratings_message_id_round")
        ),
    )
    op.create_table(
        "interaction_time_limits",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        _fk("interaction_time_limits", "body_id", "bodies"),
        sa.PrimaryKeyConstraint("body_id", "category", name=op.f("pk_interaction_time_limits")),
    )
    op.create_table(
        "interaction_faqs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=4000), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("interaction_faqs", "body_id", "bodies"),
        _fk("interaction_faqs", "message_id", "interaction_messages"),
        _fk("interaction_faqs", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_faqs")),
    )
    op.create_index(op.f("ix_interaction_faqs_body_id"), "interaction_faqs", ["body_id"])


def downgrade():
    op.drop_index(op.f("ix_interaction_faqs_body_id"), table_name="interaction_faqs")
    op.drop_table("interaction_faqs")
    op.drop_table("interaction_time_limits")
    op.drop_table("interaction_ratings")
    op.drop_index(op.f("ix_interaction_replies_message_id"), table_name="interaction_replies")
    op.drop_table("interaction_replies")
    op.drop_index(op.f("ix_interaction_messages_event_id"), table_name="interaction_messages")
    op.drop_index("ix_interaction_messages_department", table_name="interaction_messages")
    op.drop_index("ix_interaction_messages_body_state", table_name="interaction_messages")
    op.drop_table("interaction_messages")
    op.drop_table("interaction_event_departments")
    op.drop_index(op.f("ix_interaction_events_body_id"), table_name="interaction_events")
    op.drop_table("interaction_events")
