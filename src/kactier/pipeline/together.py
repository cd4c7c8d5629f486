"""Several workbooks graded as one list (SPEC §13): the customer sheet of every input, their columns matched field
by field, laid out as one sheet whose rows remember their file.

Each input is read as a single run reads it, with its own header matching (the files may word a header
differently, and a file may lack a column the others have: its rows are blank there). The combined sheet holds the
fields in the order the inputs first show them, then every other column by its header, then 来源文件 / Source file
and 来源工作表 / Source sheet. Its rows follow one another as the output's data sheet shows them (header in row 1),
so everything downstream grades them as one list: Pareto, quantile and computed ABC over the whole company, a
customer id in two files a duplicate. :class:`Origins` turns a row of the combined sheet back into its file and
row for the Issues sheet, the terminal and ``--json``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..config.models import Config
from ..fields import normalize_header
from ..i18n import Lang, Note, text
from ..problems import IssueCode, Origin, RowIssue
from ..read.cells import RawSheet
from ..validate.mapping import HeaderMapping, map_fields
from ..validate.rows import name_columns

SOURCE_KEYS = ("source_file", "source_sheet")  # the two columns the combined sheet adds
_HEADER_ROW = 1  # the combined sheet's header row, as the output's data sheet has it
_PLACED = (IssueCode.DUPLICATE_ID, IssueCode.LOOKALIKE_ID)  # issues whose detail names another row
_SOURCE = -1  # the combined column of an input's own source column: the combined sheet's source columns


@dataclass(frozen=True, slots=True)
class Origins:
    """Where each row of the combined sheet comes from: input ``files[i]`` (its name and sheet), and its row there."""

    files: tuple[Origin, ...]
    file_of_row: tuple[int, ...]  # per combined row: index into ``files``
    row_in_file: tuple[int, ...]  # per combined row: its Excel row in that file

    def place(self, row: int) -> tuple[Origin, int] | None:
        """The file and row of the combined sheet's Excel ``row``, or None for a row that is not a data row."""
        index = row - _HEADER_ROW - 1
        if not 0 <= index < len(self.file_of_row):
            return None
        return self.files[self.file_of_row[index]], self.row_in_file[index]

    def readdress(self, issue: RowIssue) -> RowIssue:
        """``issue`` with its row as its file numbers it and the file named; a detail naming an earlier row too."""
        if issue.origin is not None or issue.row is None:
            return issue
        found = self.place(issue.row)
        if found is None:
            return issue
        origin, row = found
        detail = issue.detail
        if issue.code in _PLACED and isinstance(detail, Note) and "row" in detail.fields:
            earlier = self.place(int(str(detail.fields["row"])))
            if earlier is not None:
                detail = Note("place.file_row", file=earlier[0].file, row=earlier[1])
        return replace(issue, row=row, origin=origin, detail=detail)


@dataclass(frozen=True, slots=True)
class Combined:
    """The combined sheet, where its rows come from, and how each field was matched (first file showing it)."""

    raw: RawSheet
    origins: Origins
    columns: dict[str, str]  # field -> the combined sheet's header of it (the mapping every file agreed to)
    mappings: list[HeaderMapping]


def combine_sheets(
    raws: Sequence[RawSheet], config: Config, lang: Lang, columns: dict[str, str] | None = None
) -> Combined:
    """One sheet of the rows of every sheet in ``raws``; see the module docstring."""
    layout = _Layout(lang)
    for index, raw in enumerate(raws):
        layout.add(index, raw, config, columns)
    return layout.combined(raws)


class _Layout:
    """The combined sheet, built one input at a time."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.keys: list[str] = []  # per combined column: "field:<key>" or "header:<casefolded header>"
        self.headers: list[str] = []
        self.rows = 0
        self.issues: list[RowIssue] = []
        self.percent: set[tuple[int, int]] = set()
        self.groups: dict[int, str] = {}
        self.files: list[Origin] = []
        self.file_of_row: list[int] = []
        self.row_in_file: list[int] = []
        self.field_headers: dict[str, str] = {}
        self.mappings: list[HeaderMapping] = []
        self.targets: list[list[int]] = []  # per input: the combined column of each of its columns
        self.sources: list[dict[str, int]] = []  # per input: its own 来源文件 / 来源工作表 columns, if any

    def add(self, index: int, raw: RawSheet, config: Config, columns: dict[str, str] | None) -> None:
        names, renamed = name_columns(raw, self.lang)
        mapped = map_fields(raw, names, config, self.lang, columns, require=False)
        field_of = {column: key for key, column in mapped.columns.items()}
        for mapping in mapped.used:  # every file's wording of a field is shown; the first names the column
            self.field_headers.setdefault(mapping.field, names[mapped.columns[mapping.field]])
            if mapping not in self.mappings:
                self.mappings.append(mapping)
        origin = Origin(index, raw.path.name, raw.sheet)
        self.files.append(origin)
        own = {text(k, self.lang).casefold(): k for k in SOURCE_KEYS}  # a file graded together before
        self.sources.append({own[n.casefold()]: c for c, n in enumerate(names) if n.casefold() in own})
        target = [
            _SOURCE if name.casefold() in own else self._column(field_of.get(c), name)
            for c, name in enumerate(names)
        ]
        for column, group in raw.header_groups.items():
            if target[column] != _SOURCE:
                self.groups.setdefault(target[column], group)
        first = self.rows
        self.targets.append(target)
        self.rows += len(raw.rows)
        self.file_of_row += [index] * len(raw.rows)
        self.row_in_file += range(raw.first_row, raw.first_row + len(raw.rows))
        self.percent.update((first + r, target[c]) for r, c in raw.percent_cells if target[c] != _SOURCE)
        self.issues += [self._placed(issue, raw, origin, first) for issue in [*raw.issues, *renamed]]

    def _column(self, key: str | None, name: str) -> int:
        wanted = f"field:{key}" if key is not None else f"header:{name.strip().casefold()}"
        if wanted in self.keys:
            return self.keys.index(wanted)
        self.keys.append(wanted)
        self.headers.append(name)
        return len(self.keys) - 1

    def _placed(self, issue: RowIssue, raw: RawSheet, origin: Origin, first: int) -> RowIssue:
        """A read issue of one input: on a data row, moved to its combined row (re-addressed at the end); above the
        data (title rows, the header), kept at its file's row with the file named."""
        if issue.row is not None and issue.row >= raw.first_row:
            return replace(issue, row=_HEADER_ROW + 1 + first + issue.row - raw.first_row)
        return replace(issue, origin=origin)

    def combined(self, raws: Sequence[RawSheet]) -> Combined:
        width = len(self.headers)
        headers = [*self.headers, *(text(k, self.lang) for k in SOURCE_KEYS)]
        rows: list[list[Any]] = []
        for source, target, origin, own in zip(raws, self.targets, self.files, self.sources, strict=True):
            blank = len(target)  # the index of the "" each row is given for the columns its file lacks
            taken = [blank] * width
            for column, at in enumerate(target):
                if at != _SOURCE:
                    taken[at] = column
            # the file and sheet each row came from: the input's, or what an input graded together before says
            ends = [own.get(key, blank + 1 + i) for i, key in enumerate(SOURCE_KEYS)]
            rows += _placed_rows(source, itemgetter(*taken, *ends), origin, headers)
        first = raws[0]
        raw = RawSheet(
            path=Path(", ".join(o.file for o in self.files)),
            sheet=first.sheet if all(r.sheet == first.sheet for r in raws) else "",
            header_row=_HEADER_ROW,
            headers=headers,
            rows=rows,
            issues=self.issues,
            date1904=first.date1904,
            percent_cells=frozenset(self.percent),
            flagged_cells=sum(r.flagged_cells for r in raws),
            source_format=first.source_format,
            header_groups=self.groups,
        )
        origins = Origins(tuple(self.files), tuple(self.file_of_row), tuple(self.row_in_file))
        return Combined(raw, origins, dict(self.field_headers), self.mappings)


def _placed_rows(raw: RawSheet, pick: itemgetter[Any], origin: Origin, headers: list[str]) -> list[list[Any]]:
    """The rows of ``raw`` in the combined sheet's columns (``pick`` of the row, a blank and the two source
    cells), as a single sheet's rows would be classified: a blank row stays blank, and a repeat of the file's
    own header row becomes the combined header."""
    ends = ["", origin.file, origin.sheet]
    blanks = ["", "", ""]
    width = len(raw.headers)
    header = [normalize_header(h) for h in raw.headers]
    first_header = next((h for h in raw.headers if isinstance(h, str) and h.strip()), None)
    placed = []
    for row in raw.rows:
        if row.count("") == width:
            placed.append(list(pick([*row, *blanks])))
        elif first_header in row and [normalize_header(c) for c in row] == header:
            placed.append(list(headers))
        else:
            placed.append(list(pick([*row, *ends])))
    return placed


def inputs_sha256(paths: Sequence[Path], digests: Sequence[str]) -> str:
    """The identity of several inputs graded together: SHA-256 over each file's name and SHA-256, in order."""
    digest = hashlib.sha256()
    for path, each in zip(paths, digests, strict=True):
        digest.update(path.name.encode("utf-8") + b"\0" + each.encode("ascii"))
    return digest.hexdigest()
