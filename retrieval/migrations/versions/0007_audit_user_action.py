"""Audit log: an index on (user, action, seq) for a user's latest entries of one kind.

Revision ID: 0007_audit_user_action
Revises: 0006_conversations
Create Date: 2026-12-04

``AuditLog.latest`` (when a worker last looked at What's new; the answers they were shown,
for feedback and exports) asks for one user's newest entries of one action. Without this
index every such request scanned the whole log, which only grows.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0007_audit_user_action"
down_revision: Union[str, Sequence[str], None] = "0006_conversations"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_audit_log_user_action", "audit_log", ["user", "action", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_user_action", table_name="audit_log")
