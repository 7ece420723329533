"""sessions clustered by its key on SQLite (WITHOUT ROWID): one B-tree fewer to write per session

A rowid table with a two-column primary key keeps the rows and a separate unique index of the key; clustered,
the key is the table. The rows are copied over, so nothing needs rebuilding. Other engines are unchanged.

Revision ID: 0014_sessions_clustered
Revises: 0013_drop_user_days
"""

from __future__ import annotations

from alembic import op

revision = "0014_sessions_clustered"
down_revision = "0013_drop_user_days"
branch_labels = None
depends_on = None

INDEXES = {"ix_sessions_started_at": "started_at", "ix_sessions_user_id_started_at": "user_id, started_at"}
COLUMNS = "user_id, session_key, started_at, ended_at, events"


def _recreate(clustered: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("""CREATE TABLE sessions_copy (
        user_id VARCHAR(128) NOT NULL, session_key VARCHAR(240) NOT NULL, started_at DATETIME NOT NULL,
        ended_at DATETIME NOT NULL, events INTEGER NOT NULL,
        CONSTRAINT pk_sessions PRIMARY KEY (user_id, session_key))""" + (" WITHOUT ROWID" if clustered else ""))
    op.execute(f"INSERT INTO sessions_copy ({COLUMNS}) SELECT {COLUMNS} FROM sessions ORDER BY user_id, session_key")
    op.execute("DROP TABLE sessions")
    op.execute("ALTER TABLE sessions_copy RENAME TO sessions")
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON sessions ({columns})")


def upgrade() -> None:
    _recreate(clustered=True)


def downgrade() -> None:
    _recreate(clustered=False)
