"""The command line: the Typer app with its one error handler, the commands and the terminal rendering."""

# Importing a command module registers its commands, in the order --help lists them.
from . import grading, forms, unattended, rules, handback  # noqa: F401, I001
from .app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
