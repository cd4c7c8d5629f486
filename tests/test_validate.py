"""Row validation: problems are data, collected, never fatal (SPEC §3)."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import EN_HEADERS, ZH_HEADERS

from kactier.config.presets import load_preset
from kactier.errors import WorkbookError
from kactier.problems import Action, IssueCode
from kactier.read.cells import RawSheet
from kactier.validate.rows import CustomerTable, validate_rows

HEADERS = [*ZH_HEADERS, "备注"]


def sheet(rows: list[list[Any]], headers: list[Any] = HEADERS, header_row: int = 1) -> RawSheet:
    width = len(headers)
    return RawSheet(
        Path("in.xlsx"), "客户信息", header_row, headers, [r + [""] * (width - len(r)) for r in rows]
    )


def validated(rows: list[list[Any]], **kwargs: Any) -> CustomerTable:
    return validate_rows(sheet(rows, **kwargs), load_preset("key-account"))


def codes(table: CustomerTable) -> set[tuple[int | None, IssueCode, Action]]:
    return {(i.row, i.code, i.action) for i in table.issues}


def test_clean_rows_have_no_issues() -> None:
    table = validated([["C1", "甲", 90, 80, 70, 60, 50], ["C2", "乙", 1, 2, 3, 4, 5]])
    assert table.issues == []
    assert list(table.frame["customer_id"]) == ["C1", "C2"]
    assert not table.excluded.any()
    assert table.lang == "zh"


def test_rows_that_are_not_data_are_skipped_and_reported() -> None:
    table = validated(
        [
            ["C1", "甲", 90, 80, 70, 60, 50],
            [""] * 8,
            list(HEADERS),
            ["C2", "乙", 1, 2, 3, 4, 5],
            ["合计", "", 91, 82, 73, 64, 55],
        ]
    )
    assert codes(table) == {
        (3, IssueCode.BLANK_ROW_SKIPPED, Action.ROW_SKIPPED),
        (4, IssueCode.REPEATED_HEADER_SKIPPED, Action.ROW_SKIPPED),
        (6, IssueCode.TOTAL_ROW_SKIPPED, Action.ROW_SKIPPED),
    }
    assert list(table.excel_rows) == [2, 5]


def test_bad_values_are_reported_with_row_column_value_and_action() -> None:
    table = validated(
        [
            ["", "无编号", 90, 80, 70, 60, 50],
            ["C2", "乙", 105, 80, 70, 60, 50],
            ["C3", "丙", "很高", 80, 70, 60, 50],
            ["C2", "乙二", 90, 80, 70, 60, 50],
            ["C5", "", 90, 80, 70, 60, 50],
        ]
    )
    found = {(i.row, i.column, i.value, i.code, i.action) for i in table.issues}
    assert found == {
        (2, "客户编号", None, IssueCode.MISSING_ID, Action.ROW_EXCLUDED),
        (3, "购买力评分", 105, IssueCode.OUT_OF_RANGE, Action.ROW_EXCLUDED),
        (4, "购买力评分", "很高", IssueCode.NOT_A_NUMBER, Action.ROW_EXCLUDED),
        (5, "客户编号", "C2", IssueCode.DUPLICATE_ID, Action.ROW_EXCLUDED),
        (6, "客户名称", None, IssueCode.MISSING_NAME, Action.VALUE_KEPT),
    }
    assert list(table.excluded) == [True, True, True, True, False]
    duplicate = next(i for i in table.issues if i.code is IssueCode.DUPLICATE_ID)
    assert "row 3" in duplicate.message("en")
    assert "第 3 行" in duplicate.message("zh")


def test_numbers_typed_as_text_are_read_and_reported() -> None:
    headers = [*HEADERS[:2], "年销售额", *HEADERS[2:7]]
    table = validated([["C1", "甲", "¥1,234.50", 90, 80, 70, 60, 50]], headers=headers)
    assert table.frame.loc[0, "annual_sales"] == pytest.approx(1234.5)
    (issue,) = table.issues
    assert (issue.code, issue.action, issue.value) == (
        IssueCode.VALUE_COERCED,
        Action.VALUE_COERCED,
        "¥1,234.50",
    )


def test_a_bad_value_outside_the_criteria_is_treated_as_missing_not_fatal() -> None:
    headers = [*HEADERS[:7], "年销售额", "首次合作日期"]
    table = validated([["C1", "甲", 90, 80, 70, 60, 50, -5, "下个月"]], headers=headers)
    assert {(i.code, i.action) for i in table.issues} == {
        (IssueCode.NEGATIVE_VALUE, Action.VALUE_MISSING),
        (IssueCode.NOT_A_DATE, Action.VALUE_MISSING),
    }
    assert not table.excluded.any()


def test_dates_as_cells_text_and_serials() -> None:
    headers = [*HEADERS[:7], "首次合作日期"]
    table = validated(
        [
            ["C1", "甲", 1, 1, 1, 1, 1, dt.date(2024, 1, 31)],
            ["C2", "乙", 1, 1, 1, 1, 1, "2024年1月31日"],
            ["C3", "丙", 1, 1, 1, 1, 1, 45322.0],
        ],
        headers=headers,
    )
    assert list(table.frame["first_deal_date"]) == [dt.date(2024, 1, 31)] * 3


def test_ids_stay_text() -> None:
    table = validated([["00123", "甲", 1, 1, 1, 1, 1], [1001.0, "乙", 1, 1, 1, 1, 1]])
    assert list(table.frame["customer_id"]) == ["00123", "1001"]


def test_blank_and_duplicate_headers_get_stated_names() -> None:
    headers = [*HEADERS[:7], "", "备注", "备注"]
    table = validated([["C1", "甲", 1, 1, 1, 1, 1, "x", "y", "z"]], headers=headers)
    assert table.column_names[7:] == ["列H", "备注", "备注 (2)"]
    assert [i.code for i in table.issues] == [IssueCode.HEADER_RENAMED, IssueCode.HEADER_RENAMED]


def test_required_column_missing_is_a_clear_error() -> None:
    with pytest.raises(
        WorkbookError, match=r"in\.xlsx: sheet '客户信息', header row 1: required column missing: 客户名称"
    ):
        validated([["C1", 1, 1, 1, 1, 1]], headers=[HEADERS[0], *HEADERS[2:7]])


def test_criterion_column_missing_names_it_and_suggests_a_preset() -> None:
    with pytest.raises(WorkbookError, match=r"客户忠诚度评分 / Customer Loyalty.*kactier presets"):
        validated([["C1", "甲", 1, 1, 1, 1]], headers=HEADERS[:6])


def test_two_columns_meaning_one_field_is_a_clear_error() -> None:
    with pytest.raises(WorkbookError, match=r"'客户名称' and '公司名称' both mean 客户名称"):
        validated(
            [["C1", "甲", "甲", 1, 1, 1, 1, 1]], headers=[HEADERS[0], "客户名称", "公司名称", *HEADERS[2:7]]
        )


def test_english_headers_choose_english() -> None:
    table = validated([["C1", "A", 1, 1, 1, 1, 1]], headers=EN_HEADERS)
    assert table.lang == "en"
