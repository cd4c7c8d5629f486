"""The message of every error that stops a run (a KactierError), by key, in Chinese and English."""

ERRORS: dict[str, tuple[str, str]] = {}
