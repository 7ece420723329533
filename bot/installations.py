"""OAuth installations with their tokens encrypted at rest (Fernet, keys from KPIBOT_ENCRYPTION_KEY).

KPIBOT_ENCRYPTION_KEY holds one key, or several separated by commas during a rotation: the first encrypts,
all of them decrypt (MultiFernet). `kpibot rotate-tokens` re-encrypts every stored token with the first key.
slack_sdk's SQLAlchemy store does the storage; this subclass encrypts on the way in and decrypts on the way out.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, select, update

logger = logging.getLogger(__name__)

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts with its version byte 0x80, base64: "gAAAAA"
INSTALLATION_TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
BOT_TOKENS = ("bot_token", "bot_refresh_token")


class EncryptionKeyError(ValueError):
    pass


class TokenCipher:
    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise EncryptionKeyError("KPIBOT_ENCRYPTION_KEY is empty")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in parts])
        except (ValueError, TypeError) as exc:
            raise EncryptionKeyError("KPIBOT_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), "
                                     "e.g. from `python -c 'from cryptography.fernet import Fernet; "
                                     "print(Fernet.generate_key().decode())'`") from exc

    def encrypt(self, value: str | None) -> str | None:
        if not value or value.startswith(FERNET_PREFIX):
            return value
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None) -> str | None:
        if not value or not value.startswith(FERNET_PREFIX):
            return value  # not encrypted (written before migration 0009): used as is, encrypted on next save
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            logger.error("a stored Slack token cannot be decrypted with KPIBOT_ENCRYPTION_KEY (wrong key?)")
            return None

    def rotate(self, value: str | None) -> str | None:
        if not value:
            return value
        if not value.startswith(FERNET_PREFIX):
            return self.encrypt(value)
        return self._fernet.rotate(value.encode()).decode()


def _with(entity: Any, fields: tuple[str, ...], change: Any) -> Any:
    changed = copy.copy(entity)
    for name in fields:
        if hasattr(changed, name):
            setattr(changed, name, change(getattr(changed, name)))
    return changed


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        super().save(_with(installation, INSTALLATION_TOKENS, self.cipher.encrypt))
        from bot.workspaces import resume_workspace

        if installation.team_id:
            resume_workspace(self.engine, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(_with(bot, BOT_TOKENS, self.cipher.encrypt))

    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        return _with(super().build_installation_entity(row), INSTALLATION_TOKENS, self.cipher.decrypt)

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        return _with(super().build_bot_entity(row), BOT_TOKENS, self.cipher.decrypt)


def encrypted_store(client_id: str, keys: str | None, engine: Engine) -> EncryptedInstallationStore:
    """The store every OAuth path uses (the Bolt app, the scheduler's clients). Raises EncryptionKeyError."""
    return EncryptedInstallationStore(client_id=client_id, engine=engine, cipher=TokenCipher(keys or ""))


def rotate_tokens(engine: Engine, cipher: TokenCipher) -> int:
    """Re-encrypts every stored token with the first key (and encrypts any plain one); returns how many."""
    store = SQLAlchemyInstallationStore(client_id="rotation", engine=engine)
    changed = 0
    with engine.begin() as conn:
        for table, fields in ((store.installations, INSTALLATION_TOKENS), (store.bots, BOT_TOKENS)):
            for row in conn.execute(select(table.c.id, *(table.c[f] for f in fields))).all():
                values = {f: cipher.rotate(row._mapping[f]) for f in fields if row._mapping[f]}
                if values:
                    conn.execute(update(table).where(table.c.id == row.id).values(values))
                    changed += len(values)
    return changed
