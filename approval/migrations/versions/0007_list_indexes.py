"""Indexes that let every list read in its own order, however many rows there are:

- the department's list of items (本部门信息: every state, newest change first);
- the body's audit trail by id (replacing the index on body_id alone, which PostgreSQL could not
  read in id order);
- revisions by category (whether a category is in use, on the office's catalog page).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_items_department_updated", "items", ["department_id", "updated_at", "id"])
    op.create_index("ix_audit_entries_body", "audit_entries", ["body_id", "id"])
    op.drop_index("ix_audit_entries_body_id", table_name="audit_entries")
    op.create_index("ix_revisions_category_id", "revisions", ["category_id"])


def downgrade():
    op.drop_index("ix_revisions_category_id", table_name="revisions")
    op.create_index("ix_audit_entries_body_id", "audit_entries", ["body_id"])
    op.drop_index("ix_audit_entries_body", table_name="audit_entries")
    op.drop_index("ix_items_department_updated", table_name="items")
