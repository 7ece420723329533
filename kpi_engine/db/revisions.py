"""The migration heads of this code base, read from the version scripts without importing Alembic.

Every command that opens the database asks whether it is at head; Alembic's own answer (`ScriptDirectory`)
costs its import (~130 ms) plus parsing every script, so it is kept for when a migration actually runs.
A test checks that both give the same heads.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def script_revisions(text: str) -> tuple[str, tuple[str, ...]]:
    """A version script's `revision` and the revisions it revises (none, one, or several for a merge)."""
    values: dict[str, object] = {}
    for name, value in _ASSIGNMENT.findall(text):
        values.setdefault(name, ast.literal_eval(value))
    down = values.get("down_revision")
    downs = tuple(down) if isinstance(down, tuple | list) else () if down is None else (down,)
    return str(values["revision"]), tuple(str(d) for d in downs)


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """This code base's heads (read once per process)."""
    return heads_in(VERSIONS_DIR)


def heads_in(versions_dir: Path) -> frozenset[str]:
    """The revisions of the scripts in `versions_dir` that no other script revises."""
    revised: set[str] = set()
    revisions: set[str] = set()
    for path in versions_dir.glob("*.py"):
        revision, downs = script_revisions(path.read_text(encoding="utf-8"))
        revisions.add(revision)
        revised.update(downs)
    return frozenset(revisions - revised)
