"""Column widths that fit a column's header and a sample of its values, for the sheets kactier writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

MAX_WIDTH = 48
WIDTH_SAMPLE = 200  # rows sampled from the top of a sheet


def column_width(values: Sequence[Any]) -> float:
    """A column width that fits the sampled values; CJK characters count double."""
    longest = 0
    for value in values:
        if value == "" or value is None:
            continue
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in shown))
    return float(min(max(longest + 2, 8), MAX_WIDTH))
