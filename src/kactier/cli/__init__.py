"""The command line: the Typer app with its one error handler, the commands and the terminal rendering."""

from .commands import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
