"""Acceptance (issue 13): customer workbooks as people really make them are graded right with no config.

Each variant is a workbook built in code, in zh-Hans, zh-Hant or en: headers as people word them (suffixes, synonyms,
units in brackets, word order and punctuation), one- or two-row headers (a merged group cell such as
"评分指标（0-100）" over the five scores, the id and name merged down or not), values as people type them (``85分``,
``85 points``, ``八十五``, ``一百二十万``, ``2024.3.5``, ``12.5万元``, ``RMB 1,234``), a 合计 / Total row, notes rows
and title rows. Every one is graded by the default preset (key-account) and checked:

- every customer's score is the mean of its five 0–100 values as understood, and its tier is A ≥ 85, B ≥ 70, else C;
- nothing is lost: each input row is in the data sheet with each cell as given or as understood (a number as a
  number in the column's format, a date as a date), the text as typed then in the Issues sheet as ``value_coerced``;
  a row not in the data sheet is in the Issues sheet with its text; every header text above the data is in the
  data sheet's header or in the Issues sheet.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from conftest import EN_HEADERS, HANT_HEADERS, ZH_HEADERS, run

from kactier.errors import ExitCode

AS_OF = "2026-01-01"
TIERS = ((85.0, "A"), (70.0, "B"))  # key-account: A ≥ 85, B ≥ 70, else C
ISSUE_SHEETS = ("问题", "問題", "Issues")
_LITERAL = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


@dataclass(frozen=True)
class Typed:
    """A cell as typed into the workbook (``text``) and the value it means (``value``)."""

    text: str
    value: float | dt.date


Cell = Any  # a Typed, or a value written and understood as it is (number, text, date, None)


def written(cell: Cell) -> Any:
    return cell.text if isinstance(cell, Typed) else cell


def understood(cell: Cell) -> Any:
    return cell.value if isinstance(cell, Typed) else cell


@dataclass
class Record:
    """One input row below the header: a customer (graded), or a row that is not one (total, note, blank)."""

    kind: str  # "customer", "total", "note", "blank"
    cells: list[Cell]


@dataclass
class Case:
    id: str
    lang: str  # "zh-Hans", "zh-Hant", "en"
    headers: list[str]  # the header row as written (the lower row of a two-row header)
    scores: list[int]  # the columns of the five 0–100 scores
    records: list[Record]
    group: str | None = None  # a merged group cell over the five scores, in a row above the header
    merged_ids: bool = False  # with a group: the other headers merged down over both header rows
    titles: list[str] = field(default_factory=list)
    money: set[int] = field(default_factory=set)  # columns holding money (written with a thousands format)

    @property
    def sheet(self) -> str:
        return {"zh-Hans": "客户信息", "zh-Hant": "客戶資料", "en": "Customers"}[self.lang]

    @property
    def header_row(self) -> int:
        """The Excel row of the header (the lower row of a two-row header)."""
        return len(self.titles) + (2 if self.group else 1)

    def write(self, path: Path) -> Path:
        book = xlsxwriter.Workbook(str(path), _LITERAL)
        sheet = book.add_worksheet(self.sheet)
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for row, title in enumerate(self.titles):
            sheet.write_string(row, 0, title)
        header = self.header_row - 1
        if self.group:
            first, last = min(self.scores), max(self.scores)
            assert self.scores == list(range(first, last + 1))
            sheet.merge_range(header - 1, first, header - 1, last, self.group)
        for column, text in enumerate(self.headers):
            if self.group and self.merged_ids and column not in self.scores:
                sheet.merge_range(header - 1, column, header, column, text)
            else:
                sheet.write_string(header, column, text)
        for row, record in enumerate(self.records, start=header + 1):
            for column, cell in enumerate(record.cells):
                value = written(cell)
                if isinstance(value, str):
                    sheet.write_string(row, column, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(row, column, value, date_format)
                elif value is not None:
                    sheet.write_number(row, column, value)
        book.close()
        return path


# -- how people word the headers ---------------------------------------------------------------------------------

# id, name, then the five scores in the key-account order: purchasing power, frequency, history, influence, loyalty.
HEADERS: dict[str, list[list[str]]] = {
    "zh-Hans": [
        ZH_HEADERS,
        ["客户代码", "公司名称", "购买力得分", "交易频率", "合作历史", "市场影响力", "忠诚度"],
        ["编号", "客户", "购买力分", "交易频次分数", "合作历史分值", "市场影响力得分", "客户忠诚度分"],
        [
            "客户ID",
            "单位名称",
            "购买力（分）",
            "交易频次(0-100)",
            "合作历史评分（0-100）",
            "市场影响力（分）",
            "忠诚度(分)",
        ],
        [
            "客户编号",
            "客户名称",
            "购买能力评分",
            "交易频率评分",
            "合作历史得分",
            "市场影响力评分",
            "客户忠诚度得分",
        ],
        [
            "客户编号",
            "客户名称",
            "购买力 评分",
            "交易频次_评分",
            "合作历史·评分",
            "市场影响力（评分）",
            "忠诚度 得分",
        ],
    ],
    "zh-Hant": [
        HANT_HEADERS,
        ["客戶代碼", "公司名稱", "購買力得分", "交易頻率", "合作歷史", "市場影響力", "忠誠度"],
        [
            "編號",
            "客戶",
            "購買力（分）",
            "交易頻次分數",
            "合作歷史得分",
            "市場影響力評分",
            "客戶忠誠度(0-100)",
        ],
    ],
    "en": [
        EN_HEADERS,
        [
            "Customer No.",
            "Company",
            "Purchasing power score",
            "Purchase frequency score",
            "Relationship score",
            "Market influence score",
            "Loyalty score",
        ],
        [
            "Account ID",
            "Account Name",
            "Purchasing Power (0-100)",
            "Frequency Score",
            "History Score",
            "Influence Rating",
            "Loyalty Points",
        ],
        [
            "customer_id",
            "customer_name",
            "purchasing_power",
            "frequency_score",
            "history_score",
            "influence_score",
            "loyalty_score",
        ],
        [
            "Customer ID",
            "Customer",
            "Purchasing Power Score",
            "Transaction Frequency (score)",
            "Relationship History Rating",
            "Market Influence Points",
            "Customer Loyalty Score",
        ],
    ],
}
# The lower row under a group cell names the scores without a suffix, as people do under "评分指标（0-100）".
GROUPED: dict[str, tuple[str, list[str]]] = {
    "zh-Hans": ("评分指标（0-100）", ["购买力", "交易频次", "合作历史", "市场影响力", "客户忠诚度"]),
    "zh-Hant": ("評分指標（0-100）", ["購買力", "交易頻次", "合作歷史", "市場影響力", "客戶忠誠度"]),
    "en": (
        "Scores (0-100)",
        [
            "Purchasing Power",
            "Transaction Frequency",
            "Relationship History",
            "Market Influence",
            "Customer Loyalty",
        ],
    ),
}
EXTRA_HEADERS = {
    "zh-Hans": ("年销售额", "首次合作日期", "备注"),
    "zh-Hant": ("年銷售額", "首次合作日期", "備註"),
    "en": ("Annual Sales", "First Deal Date", "Notes"),
}
TOTAL = {"zh-Hans": "合计", "zh-Hant": "合計", "en": "Total"}
NOTES = {
    "zh-Hans": ["注：各项评分满分 100 分，数据截至 2025 年 12 月", "制表：销售管理部"],
    "zh-Hant": ["註：各項評分滿分 100 分，資料截至 2025 年 12 月", "製表：業務管理部"],
    "en": ["Note: every score is out of 100; data as of December 2025", "Prepared by Sales Operations"],
}
TITLES = {
    "zh-Hans": "2025年度大客户评分表",
    "zh-Hant": "2025年度大客戶評分表",
    "en": "Key account scores 2025",
}
NAMES = {
    "zh-Hans": [
        "华东机电有限公司",
        "XYZ公司",
        "张三五金店",
        "一百二十万贸易行",
        "八十五号商行",
        "南方化工",
        "明远科技",
    ],
    "zh-Hant": [
        "華東機電有限公司",
        "XYZ公司",
        "張三五金行",
        "一百二十萬貿易行",
        "八十五號商行",
        "南方化工",
        "明遠科技",
    ],
    "en": ["Acme Ltd", "XYZ Corp", "Eighty Five Inc", "One Hundred Co", "Northwind", "Contoso", "Fabrikam"],
}
# The five scores of each customer: means 85 (A, on the cut), 81 (B), 65 (C), 70 (B, on the cut), 88 (A),
# 84.6 (B, just under), 87 (A, with halves).
SCORES: list[list[float]] = [
    [90, 80, 75, 85, 95],
    [80, 75, 80, 90, 80],
    [60, 70, 65, 72, 58],
    [70, 70, 70, 70, 70],
    [88, 92, 86, 90, 84],
    [85, 84, 85, 84, 85],
    [92.5, 88, 79, 85.5, 90],
]

# -- how people type the values ------------------------------------------------------------------------------------

NUMERALS = {  # the Chinese numeral of each score used above, as a Chinese analyst types it
    58: "五十八",
    60: "六十",
    65: "六十五",
    70: "七十",
    72: "七十二",
    75: "七十五",
    79: "七十九",
    80: "八十",
    84: "八十四",
    85: "八十五",
    86: "八十六",
    88: "八十八",
    90: "九十",
    92: "九十二",
    95: "九十五",
    92.5: "九十二点五",
    85.5: "八十五点五",
}
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _g(value: float) -> str:
    return f"{value:g}"


Form = Callable[[float], Cell]
FORMS: dict[str, Form] = {
    "number": lambda v: v,
    "fen": lambda v: Typed(f"{_g(v)}分", v),
    "fen_space": lambda v: Typed(f"{_g(v)} 分", v),
    "full_width_fen": lambda v: Typed(f"{_g(v)}分".translate(FULL_WIDTH), v),
    "numeral": lambda v: Typed(NUMERALS[v], v),
    "numeral_fen": lambda v: Typed(f"{NUMERALS[v]}分", v),
    "points": lambda v: Typed(f"{_g(v)} points", v),
    "pts": lambda v: Typed(f"{_g(v)}pts", v),
    "Points": lambda v: Typed(f"{_g(v)} Points", v),
}
STYLES: dict[str, dict[str, list[str]]] = {
    "zh-Hans": {
        "numbers": ["number"],
        "units": ["fen", "number", "fen_space", "full_width_fen"],
        "numerals": ["numeral", "numeral_fen", "number"],
        "mixed": ["fen", "numeral", "fen_space", "number", "numeral_fen", "full_width_fen", "points"],
    },
    "zh-Hant": {
        "numbers": ["number"],
        "units": ["fen", "fen_space", "number"],
        "numerals": ["numeral", "numeral_fen", "fen"],
        "mixed": ["numeral_fen", "fen", "number", "numeral", "full_width_fen"],
    },
    "en": {
        "numbers": ["number"],
        "units": ["points", "pts", "number", "Points"],
        "numerals": ["pts", "number", "points"],  # an English sheet has no Chinese numerals: units instead
        "mixed": ["points", "number", "fen", "pts", "Points"],
    },
}
MONEY = [
    Typed("12.5万元", 125_000.0),
    Typed("RMB 1,234", 1234.0),
    Typed("人民币1,234元", 1234.0),
    Typed("¥1,234.50", 1234.5),
    Typed("1 234", 1234.0),
    Typed("3亿", 300_000_000.0),
    Typed("一百二十万", 1_200_000.0),
    86_000.0,
]
DATES = [
    Typed("2024.3.5", dt.date(2024, 3, 5)),
    Typed("2024-3-5", dt.date(2024, 3, 5)),
    Typed("2024/3/5", dt.date(2024, 3, 5)),
    Typed("2024年3月5日", dt.date(2024, 3, 5)),
    dt.date(2019, 6, 1),
    Typed("2018.11.20", dt.date(2018, 11, 20)),
    Typed("2015年1月8日", dt.date(2015, 1, 8)),
]


# -- the variants ---------------------------------------------------------------------------------------------------

LAYOUTS = ("plain", "title_and_notes", "group", "group_merged")
ORDERS = {"as_usual": [0, 1, 2, 3, 4, 5, 6], "name_first": [1, 0, 2, 3, 4, 5, 6]}


def build(lang: str, headers: list[str], layout: str, style: str, extras: bool, order: str) -> Case:
    """One variant: ``headers`` (or the group's lower row), the five scores typed in ``style``, in ``layout``."""
    forms = itertools.cycle(FORMS[f] for f in STYLES[lang][style])
    grouped = layout.startswith("group")
    group, lower = GROUPED[lang]
    head = [*headers[:2], *(lower if grouped else headers[2:])]
    permutation = ORDERS[order]
    head = [head[i] for i in permutation]
    money: set[int] = set()
    if extras:
        head += list(EXTRA_HEADERS[lang])
        money = {7}
    records = []
    for index, values in enumerate(SCORES):
        cells: list[Cell] = [f"{'KH' if lang != 'en' else 'C'}{index + 1:04d}", NAMES[lang][index]]
        cells += [next(forms)(v) for v in values]
        cells = [cells[i] for i in permutation]
        if extras:
            cells += [
                MONEY[index % len(MONEY)],
                DATES[index % len(DATES)],
                "重点客户" if index == 0 else None,
            ]
        records.append(Record("customer", cells))
    total: list[Cell] = [None] * len(head)
    total[0] = TOTAL[lang]
    for column in range(2, 7):
        total[column] = sum(understood(r.cells[column]) for r in records)
    records.append(Record("total", total))
    titles: list[str] = []
    if layout == "title_and_notes":
        titles = [TITLES[lang], ""]
        records.append(Record("blank", [None] * len(head)))
        records += [Record("note", [note, *[None] * (len(head) - 1)]) for note in NOTES[lang]]
    name = f"{lang}-{HEADERS[lang].index(headers)}-{layout}-{style}{'-extras' if extras else ''}-{order}"
    return Case(
        name,
        lang,
        head,
        [2, 3, 4, 5, 6],
        records,
        group=group if grouped else None,
        merged_ids=layout == "group_merged",
        titles=titles,
        money=money,
    )


def variants() -> list[Case]:
    """Four variants per header wording: the case number turns through every layout and value style (a Latin
    square: the 16 pairs within 16 cases), with money and date columns in every third case, columns reordered in
    every fifth."""
    cases = []
    for lang, wordings in HEADERS.items():
        styles = list(STYLES[lang])
        for i in range(4 * len(wordings)):
            layout, style = LAYOUTS[i % 4], styles[(i + i // 4) % 4]
            order = "name_first" if i % 5 == 3 else "as_usual"
            cases.append(build(lang, wordings[i // 4], layout, style, extras=i % 3 == 1, order=order))
    return cases


CASES = variants()


def test_there_are_at_least_40_variants_in_each_language() -> None:
    assert len(CASES) >= 40
    assert {c.lang for c in CASES} == {"zh-Hans", "zh-Hant", "en"}
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.group is not None for c in CASES} == {True, False}
    typed = [cell.text for c in CASES for r in c.records for cell in r.cells if isinstance(cell, Typed)]
    for example in (
        "85分",
        "85 分",
        "85 points",
        "85pts",
        "八十五",
        "一百二十万",
        "2024.3.5",
        "2024-3-5",
        "12.5万元",
        "RMB 1,234",
        "58分",
    ):
        assert any(example in t for t in typed), example


# -- the check ------------------------------------------------------------------------------------------------------


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(given: Any, out: Any) -> bool:
    """Equal value and kind, as test_nothing_lost compares cells (a date cell comes back as a datetime)."""
    if given is None or out is None:
        return given is None and out is None
    if isinstance(given, str) or isinstance(out, str):
        return type(given) is str and type(out) is str and given == out
    if _number(given) or _number(out):
        return _number(given) and _number(out) and given == out
    if isinstance(given, dt.date) and isinstance(out, dt.datetime):
        return out == dt.datetime.combine(given, dt.time())
    return bool(given == out)


def _expected(values: Sequence[float]) -> tuple[float, str]:
    score = round(sum(values) / len(values), 2)
    return score, next((label for low, label in TIERS if score >= low), "C")


@dataclass
class Issues:
    coerced: dict[tuple[int, str], Any]  # (row, column) -> the original value of a value_coerced line
    by_row: dict[int, list[str]]  # row -> every text of its lines (value, code, message)
    texts: list[str]  # every text in the sheet


def _issues(book: Any) -> Issues:
    names = [n for n in ISSUE_SHEETS if n in book.sheetnames]
    assert len(names) == 1, book.sheetnames
    coerced: dict[tuple[int, str], Any] = {}
    by_row: dict[int, list[str]] = {}
    texts: list[str] = []
    # Columns by position: row, column, original value, code, message, what was done.
    for row, column, value, code, message, _ in book[names[0]].iter_rows(
        min_row=2, max_col=6, values_only=True
    ):
        line = [str(v) for v in (column, value, code, message) if v is not None]
        texts += line
        if _number(row):
            by_row.setdefault(int(row), []).extend(line)
            if code == "value_coerced":
                coerced[int(row), column] = value
    return Issues(coerced, by_row, texts)


def _check_cell(case: Case, cell: Cell, out: Any, excel_row: int, column: int, issues: Issues) -> None:
    where = f"{case.id}: row {excel_row}, column {case.headers[column]!r}"
    given, meant = written(cell), understood(cell)
    if not isinstance(cell, Typed):
        assert _same(given, out.value), f"{where}: {given!r} written as {out.value!r}"
        return
    # Read another way: the data sheet holds the value as understood, Issues the text as typed.
    if isinstance(meant, dt.date):
        is_date = out.is_date and out.value == dt.datetime.combine(meant, dt.time())
        assert is_date, f"{where}: {given!r} should be the date {meant}, is {out.value!r}"
    else:
        is_number = _number(out.value) and out.value == pytest.approx(meant, abs=1e-9)
        assert is_number, f"{where}: {given!r} should be the number {meant}, is {out.value!r}"
        if column in case.money:
            assert out.number_format == "#,##0.00", f"{where}: money written as {out.number_format!r}"
    original = issues.coerced.get((excel_row, case.headers[column]))
    assert original == given, f"{where}: Issues should keep {given!r} as value_coerced, has {original!r}"


def _check_set_aside(case: Case, record: Record, excel_row: int, issues: Issues) -> None:
    """A row that is not in the data sheet is in the Issues sheet, with each of its cells."""
    lines = issues.by_row.get(excel_row)
    assert lines, (
        f"{case.id}: {record.kind} row {excel_row} is in neither the data sheet nor the Issues sheet"
    )
    joined = " ".join(lines)
    for cell in record.cells:
        value = written(cell)
        if value is None:
            continue
        shown = {str(value), _g(value), str(float(value))} if _number(value) else {str(value)}
        assert any(s in joined for s in shown), f"{case.id}: {value!r} of row {excel_row} is lost: {lines!r}"


def check(case: Case, output: Path) -> None:
    book = openpyxl.load_workbook(output)
    try:
        assert case.sheet in book.sheetnames, book.sheetnames
        data = book[case.sheet]
        issues = _issues(book)
        width = len(case.headers)
        header = [c.value for c in data[1]]
        rows = [r for r in data.iter_rows(min_row=2) if any(c.value is not None for c in r)]

        # Every header text above the data (title, group cell, header) is in the header or in Issues.
        above = [*case.titles, *([case.group] if case.group else []), *case.headers]
        for text in filter(None, above):
            assert text in header[:width] or any(text in t for t in issues.texts), (
                f"{case.id}: {text!r} is lost"
            )
        for column, text in enumerate(case.headers):
            assert header[column] == text, (
                f"{case.id}: header {column + 1} is {header[column]!r}, not {text!r}"
            )

        position = 0
        for offset, record in enumerate(case.records):
            excel_row = case.header_row + 1 + offset
            if record.kind == "blank":
                continue
            out = rows[position] if position < len(rows) else None
            if record.kind == "customer":
                assert out is not None, f"{case.id}: customer row {excel_row} missing from the data sheet"
                for column, cell in enumerate(record.cells):
                    _check_cell(case, cell, out[column], excel_row, column, issues)
                values = [understood(record.cells[c]) for c in case.scores]
                score, tier = _expected(values)
                got = (out[width].value, out[width + 3].value)
                right = got[0] == pytest.approx(score, abs=1e-9) and got[1] == tier
                assert right, f"{case.id}: row {excel_row} {values} should score {score} ({tier}), got {got}"
                position += 1
            elif out is not None and all(
                _same(written(c), o.value) for c, o in zip(record.cells, out, strict=False)
            ):
                assert out[width].value is None, f"{case.id}: the {record.kind} row {excel_row} was graded"
                position += 1  # kept in the data sheet as it is, not graded
            else:
                _check_set_aside(case, record, excel_row, issues)
        extra = [[c.value for c in r[:width]] for r in rows[position:]]
        assert not extra, f"{case.id}: the data sheet has rows that match no input row: {extra!r}"
    finally:
        book.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_variant_is_graded_right_with_no_config_and_loses_nothing(case: Case, tmp_path: Path) -> None:
    source = case.write(tmp_path / "customers.xlsx")
    output = tmp_path / "graded.xlsx"

    result = run("score", source, "-o", output, "--as-of", AS_OF, "--quiet")

    assert result.exit_code == ExitCode.OK, f"{case.id}: exit {result.exit_code}\n{result.output}"
    check(case, output)


# -- the values of issue 13, one at a time ----------------------------------------------------------------------------


def test_a_score_typed_with_its_unit_is_graded_and_written_as_a_number(tmp_path: Path) -> None:
    headers = ZH_HEADERS
    case = Case(
        "58分",
        "zh-Hans",
        [*headers, "备注"],
        [2, 3, 4, 5, 6],
        [
            Record("customer", ["KH01", "八十五", 60, 60, 60, 60, Typed("58分", 58), "八十五"]),
            Record("customer", ["KH02", "一百二十万", Typed("八十五", 85), 85, 85, 85, 85, "十二点五万"]),
        ],
    )
    source = case.write(tmp_path / "customers.xlsx")
    output = tmp_path / "graded.xlsx"

    result = run("score", source, "-o", output, "--as-of", AS_OF, "--json")

    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    read = {
        (i["row"], i["column"], i["value"]): i["message"]
        for i in payload["issue_list"]
        if i["code"] == "value_coerced"
    }
    assert read == {(2, "客户忠诚度评分", "58分"): "按 58 读取", (3, "购买力评分", "八十五"): "按 85 读取"}
    assert not [i for i in payload["issue_list"] if i["code"] == "not_a_number"]
    check(case, output)
    rows = list(openpyxl.load_workbook(output)["客户信息"].iter_rows(values_only=True))
    assert rows[1][6] == 58  # a number Excel sorts and sums
    # Names and notes are never read as numbers, even when they are numerals.
    assert (rows[1][1], rows[1][7], rows[2][1], rows[2][7]) == (
        "八十五",
        "八十五",
        "一百二十万",
        "十二点五万",
    )


def test_nothing_coerced_leaves_the_input_columns_as_read(tmp_path: Path) -> None:
    from kactier.config.presets import load_preset
    from kactier.read.cells import RawSheet
    from kactier.report.added import understood_cells
    from kactier.validate.rows import validate_rows

    headers = ZH_HEADERS
    rows: list[list[Any]] = [[f"KH{i}", f"公司{i}", 80.0, 81.0, 82.0, 83.0, 84.0] for i in range(1000)]
    raw = RawSheet(tmp_path / "x.xlsx", "客户信息", 1, headers, rows)
    config = load_preset("key-account")
    assert understood_cells(validate_rows(raw, config)) == {}
    rows[7][4] = "82分"
    rows[9][3] = "八十一"
    raw = RawSheet(tmp_path / "x.xlsx", "客户信息", 1, headers, rows)
    assert understood_cells(validate_rows(raw, config)) == {4: {7: 82.0}, 3: {9: 81.0}}
