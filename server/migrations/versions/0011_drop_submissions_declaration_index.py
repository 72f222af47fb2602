"""drop the index of ``submissions.declaration_number``

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

No query looks submissions up by their declaration number: a declaration's final
assessment is found through the unique ``final_key``, a case's declaration is read from
its submission row. Keeping the index cost every ingested item about 1.4 % of its
instructions (``bench/ingest_instructions.py``).
"""
from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_submissions_declaration_number", table_name="submissions")


def downgrade() -> None:
    op.create_index("ix_submissions_declaration_number", "submissions", ["declaration_number"], unique=False)
