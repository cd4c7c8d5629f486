"""Header matching: how a header was matched to a field, near misses and their fixes, in Chinese and English."""

HEADERS: dict[str, tuple[str, str]] = {}
