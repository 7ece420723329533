"""`kpibot rotate-tokens`: re-encrypt the stored OAuth tokens with the first key of KPIBOT_ENCRYPTION_KEY."""

from __future__ import annotations

import typer

from bot.cli.context import database, err_console, load_app_settings


def register(app: typer.Typer) -> None:
    @app.command("rotate-tokens")
    def rotate() -> None:
        """Re-encrypt every stored Slack token with the first key (KPIBOT_ENCRYPTION_KEY="new,old")."""
        from bot.installations import EncryptionKeyError, TokenCipher, rotate_tokens

        settings = load_app_settings()
        try:
            cipher = TokenCipher(settings.slack.encryption_key or "")
        except EncryptionKeyError as exc:
            err_console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        changed = rotate_tokens(database(settings.data), cipher)
        typer.echo(f"{changed} token(s) re-encrypted with the first key; the old key can now be removed.")
