"""The counting window of an order sheet: the ``N`` calendar months ending at the as-of date ``T``.

``start < date ≤ T`` with ``start = months_before(T, N)``; the previous window is ``months_before(T, 2N) < date ≤
start`` (docs/methods.md §11).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DEFAULT_WINDOW_MONTHS = 12


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months.

    The same day of the month, clamped to the target month's length; the last day of a month maps to the last
    day of the target month, so a window ending at a month's end is whole calendar months
    (2024-06-30 → 2024-05-31, 2024-03-31 → 2024-02-29, 2024-02-29 minus 12 → 2023-02-28, 2024-06-15 → 2024-05-15).
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Window:
    """The ``months`` calendar months ending at ``as_of``: ``start < date ≤ as_of`` (``start`` excluded)."""

    as_of: dt.date
    months: int = DEFAULT_WINDOW_MONTHS

    @property
    def start(self) -> dt.date:
        """The day before the window's first day."""
        return months_before(self.as_of, self.months)

    @property
    def previous_start(self) -> dt.date:
        """The day before the previous window's first day (that window ends at :attr:`start`)."""
        return months_before(self.as_of, 2 * self.months)

    @property
    def first_day(self) -> dt.date:
        """The window's first day."""
        return self.start + dt.timedelta(days=1)
