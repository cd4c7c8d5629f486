"""Command-line option problems and hints, in Chinese and English."""

CLI: dict[str, tuple[str, str]] = {}
