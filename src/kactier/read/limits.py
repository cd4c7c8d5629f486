"""How much kactier agrees to read: the limits of the safety checks on an input.

Excel's own limits (rows, columns, characters in a cell) live in :mod:`kactier.excel`. These are kactier's, set so
that a crafted or damaged file is refused before a parser allocates without bound.
"""

from __future__ import annotations

MAX_MEMBERS = 10_000  # parts in one zip
MAX_PART_BYTES = 1536 * 1024**2  # one part, decompressed: a 1,048,576-row sheet of ~25 columns
MAX_SHARED_STRINGS_BYTES = 512 * 1024**2  # held in memory by calamine
MAX_RATIO = 200  # decompressed / compressed, for parts over RATIO_FROM bytes; XML compresses 5-30x
RATIO_FROM = 10 * 1024**2
DENSE_FLOOR = 4_000_000  # cells calamine may allocate for any sheet (~160 MB)...
DENSE_FACTOR = 4  # ... or this many times the cells the sheet really has
MAX_PARSED_BYTES = 64 * 1024**2  # a part kactier parses whole (workbook, relationships, styles)
SLOW_PATH_SECONDS = 25.0  # the exact (defusedxml) pass over one sheet, at most
