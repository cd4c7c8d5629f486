"""What the terminal shows: the run summary, progress, notes, the batch and history tables, in Chinese and English."""

TERMINAL: dict[str, tuple[str, str]] = {}
