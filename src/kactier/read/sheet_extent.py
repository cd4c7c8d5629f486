"""The largest cell position of a sheet, found from its XML without reading every cell when the sheet is honest.

calamine allocates every cell from A1 to the last one, so one cell at XFD1048576 makes it allocate the whole
sheet and abort the process: the last cell must be known before calamine parses the sheet.
"""

from __future__ import annotations

import re

from ..errors import InputError, Phrase
from ..excel import MAX_COLUMNS, MAX_ROWS, column_index, column_letters
from .limits import DENSE_FACTOR, DENSE_FLOOR
from .sheet_facts import SheetFacts
from .sheet_xml import NORM

# A cell that may hold a value: a self-closed ``<c .../>`` holds none, and calamine neither places nor counts it
# (so a sheet styled out to XFD1048576 without values does not reach that far). :func:`normalise` marks "/>".
_SELF_CLOSED = b"\x01\x01"
_HOLDS_VALUE = rb"(?![^<\x01]*\x01)"
_ANY_CELL = re.compile(rb'<c (?:r="([A-Za-z]*[0-9]*)"|(?!r="))' + _HOLDS_VALUE)
_SPLIT_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")


def normalise(chunk: bytes) -> bytes:
    """A chunk of sheet XML as :class:`Extent` reads it: :data:`~kactier.read.sheet_xml.NORM` applied, and each
    "/>" marked, so that a self-closed (value-less) cell is told apart; as long as the chunk."""
    return chunk.replace(b"/>", _SELF_CLOSED).translate(NORM)


class Extent:
    """The largest cell position of a sheet, from its XML in chunks.

    With a claim (the ``<dimension>`` last cell) a chunk is first searched, without capturing anything, for a
    reference that may lie beyond it or a cell without a position; only a chunk with one is read reference by
    reference, and only those references are. Without a claim every reference is read. A cell whose position is
    not its first attribute counts as unplaced (the exact path decides those). Row numbers do not matter: calamine
    places a cell that has a reference by that reference. A self-closed cell (``<c r="XFD1" s="1"/>``, a style
    without a value) is not a cell to calamine and does not count.
    """

    def __init__(self, where: Phrase, claim: tuple[int, int] | None) -> None:
        self.where = where
        self.claim = claim
        self.max_row, self.max_column = claim or (0, 0)
        self.cells = 0
        self.counted = claim is not None and claim[0] * claim[1] > DENSE_FLOOR  # cells must be counted
        self.quick: re.Pattern[bytes] | None = None
        if claim is None:
            self.cell_pattern = _ANY_CELL
            return
        rows = _at_least(claim[0]).encode()
        columns = _columns_from(claim[1]).encode()
        letters = column_letters(claim[1])
        # A test that nearly every cell fails: long enough for a row beyond the claim, more letters, or a later
        # first letter; the references that pass it get the exact test.
        fast = b'[^"]{%d}|[A-Za-z]{%d}' % (len(str(claim[0])) + 1, max(len(letters), 2))
        if len(letters) == 1 and letters != "Z":
            after = chr(ord(letters) + 1)
            fast += b"|[%s-Z%s-z]" % (after.encode(), after.lower().encode())
        self.quick = re.compile(rb'<c (?:r="(?:%s)|(?!r="))' % fast)
        self.cell_pattern = re.compile(
            rb'<c (?:r="(?=%s)(?=(?:%s|[A-Za-z]+(?:%s)"))([A-Za-z]*[0-9]*)"|(?!r="))%s'
            % (fast, columns, rows, _HOLDS_VALUE)
        )

    def add(self, norm: bytes) -> bool:
        """Read one chunk (:func:`normalise`); True when it has an unplaced cell."""
        if self.counted:
            self.cells += norm.count(b"<c ")
        if self.quick is not None and self.quick.search(norm) is None:
            return False
        refs = self.cell_pattern.findall(norm)
        if self.claim is None:
            self.cells += len(refs)
        if b"" in refs:
            return True
        for ref in set(refs):
            row, column = _split_ref(self.where, ref)
            self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        return False

    def result(self) -> tuple[int, int, int]:
        """(last row, last column, cells counted) so far."""
        return self.max_row, self.max_column, self.cells

    def needs_exact(self, facts: SheetFacts) -> bool:
        """True when the claimed area is too large to accept as it is: the real cells may be far fewer."""
        if self.claim is None:
            return False
        area = facts.max_row * facts.max_column
        return area > max(DENSE_FLOOR, DENSE_FACTOR * facts.cells)


def claimed_last_cell(dimension: str) -> tuple[int, int] | None:
    """(last row, last column) the ``<dimension ref>`` claims, or None when it is missing or unusable."""
    match = re.fullmatch(r"(?:[A-Za-z]{1,3}[0-9]{1,7}:)?([A-Za-z]{1,3})([0-9]{1,7})", dimension.strip())
    if match is None:
        return None
    row, column = int(match.group(2)), column_index(match.group(1))
    if not (1 <= row <= MAX_ROWS and 1 <= column <= MAX_COLUMNS):
        return None
    return row, column


def _split_ref(where: Phrase, ref: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference; beyond-Excel references are refused at once."""
    match = _SPLIT_REF.fullmatch(ref)
    letters, digits = (match.group(1), match.group(2)) if match else (b"", b"")
    if len(digits) > 7 or (digits and int(digits) > MAX_ROWS):
        raise InputError(
            "input.cell_beyond_rows", where=where, ref=ref[:16].decode("ascii", "replace"), max_rows=MAX_ROWS
        )
    if len(letters) > 3 or column_index(letters) > MAX_COLUMNS:
        raise InputError("input.cell_beyond_columns", where=where, ref=ref[:16].decode("ascii", "replace"))
    return int(digits or 0), column_index(letters)


def _at_least(number: int) -> str:
    """A regular expression for the decimal numbers (no sign) that may exceed ``number``: those with more digits,
    and those with as many whose first three digits are at least ``number``'s. A lookahead on the length comes
    first so that the usual, shorter numbers fail at once."""
    digits = str(number)
    size, keep = len(digits), min(3, len(digits))
    head, rest = digits[:keep], size - keep
    choices = [f"[0-9]{{{size + 1},}}"]
    for i in range(keep):
        low = int(head[i]) + (0 if i == keep - 1 else 1)
        if low <= 9:
            choices.append(f"{head[:i]}[{low}-9][0-9]{{{keep - 1 - i + rest}}}")
    return f"(?=[0-9]{{{size}}})(?:{'|'.join(choices)})"


def _columns_from(column: int) -> str:
    """A regular expression for column letters (followed by a digit) beyond ``column``: more letters, or as many
    and later in the alphabet (either case)."""
    letters = column_letters(column)
    size = len(letters)
    choices = [f"[A-Za-z]{{{size + 1},}}[0-9]"]
    for i, letter in enumerate(letters):
        if letter != "Z":
            after = chr(ord(letter) + 1)
            same = "".join(f"[{c}{c.lower()}]" for c in letters[:i])
            choices.append(f"{same}[{after}-Z{after.lower()}-z][A-Za-z]{{{size - 1 - i}}}[0-9]")
    return "|".join(choices)
