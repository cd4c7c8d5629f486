"""Acceptance: nothing is lost between the input workbook and the graded output.

Every row below the header is either in the output data sheet with every input cell unchanged (same value, same
type, same column order) or listed in the Issues sheet with its Excel row number and a reason code. A cell read
another way (``85分``, ``2024.3.5``) is in the data sheet as understood (a number or a date), and in the Issues sheet
as ``value_coerced`` with its original value. Title rows above
the header are listed in the Issues sheet too. Text that looks like a formula comes back as text, never a formula.
Checked on the shipped examples and on generated workbooks (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EN_HEADERS, ZH_HEADERS, write_workbook
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kactier.cli import app
from kactier.errors import ExitCode
from kactier.problems import IssueCode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REASON_CODES = frozenset(code.value for code in IssueCode)
runner = CliRunner()
EN_SCORES = EN_HEADERS[2:]


# -- the check ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kept: int  # input rows found unchanged in the data sheet
    listed: int  # input rows (below the header) found in the Issues sheet
    formula_like_checked: int  # formula-like input texts checked to be text cells in the output


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_value(given_value: Any, written: Any) -> bool:
    """Equal value and kind: text stays text, numbers stay equal numbers, dates stay equal dates."""
    if given_value is None or written is None:
        return given_value is None and written is None
    if isinstance(given_value, str) or isinstance(written, str):
        return type(given_value) is str and type(written) is str and given_value == written
    if isinstance(given_value, bool) or isinstance(written, bool):
        return type(given_value) is type(written) and given_value == written
    if _is_number(given_value) or _is_number(written):
        return _is_number(given_value) and _is_number(written) and given_value == written
    if isinstance(given_value, dt.datetime) or isinstance(written, dt.datetime):
        return type(given_value) is type(written) and given_value == written
    return bool(type(given_value) is type(written) and given_value == written)


def _issues_sheet(book: Any) -> Any:
    names = [n for n in ("问题", "Issues") if n in book.sheetnames]
    assert len(names) == 1, f"expected one Issues sheet (问题/Issues), got sheets {book.sheetnames}"
    return book[names[0]]


def _issues_by_row(book: Any) -> dict[int, list[str]]:
    """Excel row number -> the reason codes the Issues sheet lists for it."""
    sheet = _issues_sheet(book)
    chinese = sheet.title == "问题"
    header = [c.value for c in sheet[1]]
    row_col = header.index("行" if chinese else "Row")
    code_col = header.index("代码" if chinese else "Code")
    listed: dict[int, list[str]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        number, code = row[row_col], row[code_col]
        if _is_number(number):
            assert code in REASON_CODES, f"Issues row for row {number} has no known reason code: {row!r}"
            listed.setdefault(int(number), []).append(code)
    return listed


def coerced_cells(book: Any) -> dict[tuple[int, str], Any]:
    """(Excel row, column) -> the original value of each cell the Issues sheet lists as read another way
    (``value_coerced``): the data sheet holds such a cell as understood, the Issues sheet the text as typed."""
    sheet = _issues_sheet(book)
    chinese = sheet.title == "问题"
    header = [c.value for c in sheet[1]]
    row_col, column_col = (
        header.index("行" if chinese else "Row"),
        header.index("列" if chinese else "Column"),
    )
    value_col, code_col = (
        header.index("原值" if chinese else "Value"),
        header.index("代码" if chinese else "Code"),
    )
    return {
        (int(row[row_col]), row[column_col]): row[value_col]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if _is_number(row[row_col]) and row[code_col] == "value_coerced"
    }


def _kept(
    values: tuple[Any, ...], cells: Any, number: int, names: list[Any], coerced: dict[Any, Any]
) -> bool:
    """Each cell unchanged, or written as understood (a number or a date) with its original in the Issues sheet."""
    for value, cell, name in zip(values, cells, names, strict=True):
        if same_value(value, cell.value):
            continue
        understood = _is_number(cell.value) or isinstance(cell.value, dt.date)
        if not (understood and (number, name) in coerced and same_value(value, coerced[number, name])):
            return False
    return True


def _is_blank(row: tuple[Any, ...]) -> bool:
    return all(v is None for v in row)


def assert_nothing_lost(source: Path, output: Path, *, sheet: str, header_row: int) -> Outcome:
    """The acceptance check; see the module docstring. ``header_row`` is the Excel row number of the header."""
    given_book = openpyxl.load_workbook(source)
    written_book = openpyxl.load_workbook(output)
    try:
        given_sheet = given_book[sheet]
        assert sheet in written_book.sheetnames, (
            f"data sheet {sheet!r} missing from {written_book.sheetnames}"
        )
        written_sheet = written_book[sheet]
        given_rows = list(given_sheet.iter_rows(values_only=True))
        width = len(given_rows[header_row - 1])
        listed = _issues_by_row(written_book)

        # Title rows (and any other non-blank row) above the header are listed.
        for number, row in enumerate(given_rows[: header_row - 1], start=1):
            if not _is_blank(row):
                assert number in listed, f"row {number} above the header {row!r} is not in the Issues sheet"

        header = [c.value for c in written_sheet[1]][:width]
        for column, (was, now) in enumerate(zip(given_rows[header_row - 1], header, strict=True)):
            if was is not None:
                assert same_value(was, now), f"header of column {column + 1} changed: {was!r} -> {now!r}"

        written_cells = [row[:width] for row in written_sheet.iter_rows(min_row=2)]
        coerced = coerced_cells(written_book)
        position, kept, listed_count, formula_like = 0, 0, 0, 0
        for number, row in enumerate(given_rows[header_row:], start=header_row + 1):
            values = tuple(row[:width])
            assert all(v is None for v in row[width:]), f"row {number} has cells beyond the header"
            if position < len(written_cells) and _kept(
                values, written_cells[position], number, header, coerced
            ):
                for value, cell in zip(values, written_cells[position], strict=True):
                    if isinstance(value, str) and isinstance(cell.value, str):
                        assert cell.data_type == "s", (
                            f"{cell.coordinate} {value!r} is written as {cell.data_type!r}"
                        )
                        formula_like += value.startswith(FORMULA_STARTS)
                position, kept = position + 1, kept + 1
                continue
            shown = written_cells[position] if position < len(written_cells) else None
            assert number in listed, (
                f"input row {number} {values!r} is neither in the data sheet unchanged "
                f"(next output row: {[c.value for c in shown] if shown else None!r}) nor in the Issues sheet"
            )
            # ... and the reason given is one that takes a row out of the data sheet.
            assert any(code.endswith("_skipped") for code in listed[number]), (
                f"input row {number} {values!r} is missing from the data sheet, but the Issues sheet only "
                f"says {listed[number]!r}"
            )
            listed_count += 1
            # The row number must point at the right row: a row listed as blank really is blank.
            if "blank_row_skipped" in listed[number]:
                assert _is_blank(values), f"row {number} is listed as blank but holds {values!r}"
        extra = [[c.value for c in r] for r in written_cells[position:]]
        assert not extra, f"the data sheet has rows that match no input row: {extra!r}"

        # Formula-like text (kept cells, and original values quoted in the Issues sheet) is never a formula.
        for checked in (written_sheet, _issues_sheet(written_book)):
            for row in checked.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (
                        f"{checked.title}!{cell.coordinate} is a formula: {cell.value!r}"
                    )
        return Outcome(kept, listed_count, formula_like)
    finally:
        given_book.close()
        written_book.close()


def score(source: Path, output: Path) -> None:
    result = runner.invoke(app, ["score", str(source), "-o", str(output), "--quiet"])
    assert result.exit_code == ExitCode.OK, result.output
    assert output.is_file()


# -- the shipped examples -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sheet", "header_row"),
    [("key_accounts_zh.xlsx", "客户信息", 3), ("key_accounts_en.xlsx", "Customers", 1)],
)
def test_examples_lose_nothing(tmp_path: Path, name: str, sheet: str, header_row: int) -> None:
    source = EXAMPLES / name
    before = source.read_bytes()
    output = tmp_path / "out.xlsx"

    score(source, output)

    outcome = assert_nothing_lost(source, output, sheet=sheet, header_row=header_row)
    assert outcome.kept > 50
    assert source.read_bytes() == before


def test_zh_example_keeps_its_formula_like_notes_as_text(tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    score(EXAMPLES / "key_accounts_zh.xlsx", output)

    book = openpyxl.load_workbook(output)
    data = book["客户信息"]
    header = [c.value for c in data[1]]
    notes = {row[0].value: row[header.index("备注")] for row in data.iter_rows(min_row=2)}
    assert notes["KH0037"].value == "=重点关注"
    assert notes["KH0037"].data_type == "s"
    assert notes["KH0142"].value == "+86 138 1234 5678（采购部王经理）"
    assert notes["KH0142"].data_type == "s"


def test_handmade_edge_rows_lose_nothing(tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [
        [*ZH_HEADERS, "备注", "首次合作日期"],
        ["00123", "零开头公司", 90, 80, 75, 85, 95, "=SUM(A1:A9)", dt.datetime(2020, 2, 29)],
        ["=1+1", "+公式公司", 80, 75, 80, 90, 80, "@mention", dt.datetime(2021, 3, 4, 13, 45, 6)],
        ["-7", "@公司", "85", " 70 ", 60.5, 0, 100, "\t制表符开头", None],
        None,
        [None, "无编号公司", 80, 80, 80, 80, 80, "缺编号", None],
        ["C009", "超范围公司", 101, -1, 80, 80, 80, None, None],
        ["C010", "文本分数公司", "很高", "=A1", "@x", "-", "+", None, "2024年1月31日"],
        ["00123", "重复编号公司", 70, 70, 70, 70, 70, 3.14159, 44927],
        [None, "合计", 500, 480, 460, 490, 500, None, None],
    ]
    source = write_workbook(tmp_path / "edge.xlsx", rows, title=["2026年度大客户分级评估表", "（内部资料）"])
    output = tmp_path / "edge.out.xlsx"

    score(source, output)

    outcome = assert_nothing_lost(source, output, sheet="客户信息", header_row=3)
    assert outcome.kept == 7
    assert outcome.listed == 2  # the blank row and the total row
    assert outcome.formula_like_checked >= 8


def test_a_customer_named_total_is_graded_not_skipped(tmp_path: Path) -> None:
    # SPEC §2: only a *trailing* total row (合计/总计/Total) is not data. A customer with its own id in the middle
    # of the sheet whose name happens to be "Total" (TotalEnergies was "Total S.A.") is a customer: it must be in
    # the data sheet and graded, not set aside as a total row.
    rows: list[list[Any] | None] = [
        ["Customer ID", "Customer Name", *EN_SCORES],
        ["C001", "Acme", 80, 80, 80, 80, 80],
        ["C002", "Total", 90, 90, 90, 90, 90],
        ["C003", "Beta", 70, 70, 70, 70, 70],
        [None, "Total", 240, 240, 240, 240, 240],
    ]
    source = write_workbook(tmp_path / "total.xlsx", rows, sheet="Customers")
    output = tmp_path / "total.out.xlsx"

    score(source, output)

    outcome = assert_nothing_lost(source, output, sheet="Customers", header_row=1)
    data = openpyxl.load_workbook(output)["Customers"]
    header = [c.value for c in data[1]]
    graded = {row[0]: row[header.index("Tier")] for row in data.iter_rows(min_row=2, values_only=True)}
    assert "C002" in graded, "customer C002 (named 'Total') was skipped as a total row"
    assert graded == {"C001": "B", "C002": "A", "C003": "B"}
    assert (outcome.kept, outcome.listed) == (3, 1)  # only the trailing total row (no id) is skipped


# -- generated workbooks ------------------------------------------------------------------------------------------

_ALPHABET = "0123456789abcXYZ 客户公司华东甲乙.-"
_plain_text = st.text(alphabet=_ALPHABET, min_size=1, max_size=8)
_formula_like = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["=", "+", "-", "@", "\t", "=SUM(", "=HYPERLINK(", "+1", "-1", "@SUM("]),
    st.text(alphabet=_ALPHABET + "()\"',:!", max_size=8),
)
_leading_zeros = st.integers(0, 99999).map(lambda n: f"{n:05d}")
_cjk = st.text(alphabet="客户公司华东华南上海北京有限责任股份集团物流医药", min_size=1, max_size=10)
_dates = st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31))
_datetimes = st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
_floats = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False, allow_subnormal=False)
any_cell = st.one_of(
    st.none(),
    _plain_text,
    _formula_like,
    _leading_zeros,
    _cjk,
    st.integers(-(10**9), 10**9),
    _floats,
    _dates,
    _datetimes,
)
id_cell = st.one_of(
    st.none(), _leading_zeros, _formula_like, _cjk, _plain_text, st.integers(1, 10**6), st.just("C001")
)
score_cell = st.one_of(
    st.integers(0, 100),
    st.floats(0, 100, allow_nan=False),
    st.integers(101, 1000),
    st.integers(-1000, -1),
    st.integers(0, 100).map(str),
    st.none(),
    _formula_like,
    _dates,
)
data_row = st.tuples(
    id_cell, st.one_of(_cjk, _formula_like, st.none()), *[score_cell] * 5, any_cell, any_cell
)
HEADERS = [*ZH_HEADERS, "备注", "其他"]
# A row that is always gradable, so the run succeeds; no generated id can equal its id.
ANCHOR = ["VALID-ANCHOR", "保底客户", 80, 80, 80, 80, 80, None, None]


@st.composite
def customer_sheets(draw: st.DrawFn) -> tuple[list[list[Any] | None], list[str]]:
    """Header, then data rows with blank rows, one always-gradable row and sometimes a total row; 0–3 rows
    (titles, blank rows) above the header."""
    rows: list[list[Any] | None] = [list(row) for row in draw(st.lists(data_row, max_size=8))]
    for _ in range(draw(st.integers(0, 2))):
        rows.insert(draw(st.integers(0, len(rows))), None)
    rows.insert(draw(st.integers(0, len(rows))), list(ANCHOR))
    if draw(st.booleans()):
        total = draw(st.sampled_from([[None, "合计"], ["合计", None], ["总计", None]]))
        rows.append([*total, 400, 400, 400, 400, 400, None, None])
    titles = draw(
        st.sampled_from(
            [
                [],
                ["2026年度大客户分级评估表"],
                ["客户评估", "（内部资料）"],
                ["", "客户评估", ""],
                ["=标题", "", "+副标题"],
            ]
        )
    )
    return [HEADERS, *rows], titles


@pytest.mark.slow
# Each example runs the whole CLI (~0.3 s); shrinking is left out so that a failure is reported in seconds, not
# minutes. The examples are small enough (≤ 12 rows) to read unshrunk.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(customer_sheets())
def test_generated_workbooks_lose_nothing(sheet: tuple[list[list[Any] | None], list[str]]) -> None:
    rows, titles = sheet
    with tempfile.TemporaryDirectory() as folder:
        source = write_workbook(Path(folder) / "generated.xlsx", rows, title=titles)
        output = Path(folder) / "generated.out.xlsx"

        score(source, output)

        outcome = assert_nothing_lost(source, output, sheet="客户信息", header_row=len(titles) + 1)
    body = rows[1:]
    while body and body[-1] is None:  # trailing blank rows are not in the file at all
        body.pop()
    assert outcome.kept >= 1  # the anchor row
    assert outcome.kept + outcome.listed == len(body)
