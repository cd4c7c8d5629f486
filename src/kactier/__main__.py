"""``python -m kactier`` runs the command line."""

from .cli import main

main()
