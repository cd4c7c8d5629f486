"""Row problems as data.

A :class:`RowIssue` is what went wrong with one cell or row, where (the row number as Excel shows it and the column
header), the original value, a stable :class:`IssueCode`, and the :class:`Action` taken. Nothing here raises: the
pipeline collects issues and reports them in the Issues sheet, the terminal summary and ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

Lang = Literal["zh", "en"]


class IssueCode(StrEnum):
    """Stable reason codes; tools downstream may match on them."""

    TITLE_ROW_SKIPPED = "title_row_skipped"
    BLANK_ROW_SKIPPED = "blank_row_skipped"
    TOTAL_ROW_SKIPPED = "total_row_skipped"
    REPEATED_HEADER_SKIPPED = "repeated_header_skipped"
    HEADER_RENAMED = "header_renamed"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"
    LONG_NUMERIC_ID = "long_numeric_id"
    MISSING_NAME = "missing_name"
    MISSING_VALUE = "missing_value"
    NO_CRITERIA = "no_criteria"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE_VALUE = "negative_value"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATE = "not_a_date"
    VALUE_COERCED = "value_coerced"
    UNKNOWN_STAGE = "unknown_stage"
    UNKNOWN_TIER = "unknown_tier"
    OVERRIDE_NOT_APPLIED = "override_not_applied"


class Action(StrEnum):
    """What kactier did about a problem."""

    ROW_SKIPPED = "row_skipped"  # not a data row; not in the data sheet
    ROW_EXCLUDED = "row_excluded"  # kept in the data sheet, not scored or tiered
    VALUE_MISSING = "value_missing"  # the value is treated as missing
    VALUE_COERCED = "value_coerced"  # the value was read as shown in the message
    VALUE_KEPT = "value_kept"  # reported only; the value is used as given
    COLUMN_RENAMED = "column_renamed"  # the header is written under another name


_MESSAGES: dict[IssueCode, tuple[str, str]] = {
    IssueCode.TITLE_ROW_SKIPPED: ("表头上方的标题行，已跳过", "title row above the header, skipped"),
    IssueCode.BLANK_ROW_SKIPPED: ("空行，已跳过", "blank row, skipped"),
    IssueCode.TOTAL_ROW_SKIPPED: ("合计行，已跳过", "total row, skipped"),
    IssueCode.REPEATED_HEADER_SKIPPED: ("重复的表头行，已跳过", "repeated header row, skipped"),
    IssueCode.HEADER_RENAMED: (
        "表头为空或重复，输出中改名为 {detail}",
        "blank or duplicate header, written as {detail}",
    ),
    IssueCode.MISSING_ID: ("缺少客户编号；请填写后重新评级", "customer id is missing; fill it in and re-run"),
    IssueCode.DUPLICATE_ID: (
        "客户编号与第 {detail} 行重复；仅第一行参与评级",
        "customer id duplicates row {detail}; only the first is graded",
    ),
    IssueCode.LONG_NUMERIC_ID: (
        "编号超过 15 位数字，Excel 可能已丢失精度；请以文本格式保存",
        "numeric id over 15 digits: Excel may have lost precision; store ids as text",
    ),
    IssueCode.MISSING_NAME: ("缺少客户名称", "customer name is missing"),
    IssueCode.MISSING_VALUE: (
        "空值（缺失值策略 {detail}，见配置表）",
        "blank (missing-value policy {detail}; see Config)",
    ),
    IssueCode.NO_CRITERIA: (
        "所有评分指标均为空，无法评分",
        "every scoring criterion is empty; nothing to score",
    ),
    IssueCode.OUT_OF_RANGE: ("数值超出允许范围 {detail}", "value outside the allowed range {detail}"),
    IssueCode.NEGATIVE_VALUE: ("数值为负", "value is negative"),
    IssueCode.NOT_A_NUMBER: ("无法识别为数字", "not a number"),
    IssueCode.NOT_A_DATE: ("无法识别为日期", "not a date"),
    IssueCode.VALUE_COERCED: ("按 {detail} 读取", "read as {detail}"),
    IssueCode.UNKNOWN_STAGE: (
        "未知的客户状态；可选：{detail}",
        "unknown lifecycle stage; expected one of: {detail}",
    ),
    IssueCode.UNKNOWN_TIER: (
        "调整级别不存在；可选：{detail}",
        "override tier does not exist; expected one of: {detail}",
    ),
    IssueCode.OVERRIDE_NOT_APPLIED: (
        "该行因数据问题未评级，调整级别未生效；修正数据后重新评级",
        "the row cannot be graded, so the override was not applied; fix its data and re-run",
    ),
}

_ACTIONS: dict[Action, tuple[str, str]] = {
    Action.ROW_SKIPPED: ("行已跳过", "row skipped"),
    Action.ROW_EXCLUDED: ("该行不参与评级", "row excluded from grading"),
    Action.VALUE_MISSING: ("按缺失值处理", "treated as missing"),
    Action.VALUE_COERCED: ("已转换", "value converted"),
    Action.VALUE_KEPT: ("保留原值", "value kept"),
    Action.COLUMN_RENAMED: ("列已改名", "column renamed"),
}


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem: ``row`` is the Excel row number (None for the whole sheet), ``column`` the header text."""

    row: int | None
    column: str | None
    value: Any
    code: IssueCode
    action: Action
    detail: str = ""

    def message(self, lang: Lang) -> str:
        """The human message in ``lang``."""
        zh, en = _MESSAGES[self.code]
        return (zh if lang == "zh" else en).format(detail=self.detail)

    def action_text(self, lang: Lang) -> str:
        """The action taken, in ``lang``."""
        zh, en = _ACTIONS[self.action]
        return zh if lang == "zh" else en

    @property
    def excludes_row(self) -> bool:
        """True when the row is kept in the output but not graded."""
        return self.action is Action.ROW_EXCLUDED

    def as_dict(self, lang: Lang) -> dict[str, Any]:
        """A JSON-ready view."""
        value = (
            self.value
            if isinstance(self.value, str | int | float | bool) or self.value is None
            else str(self.value)
        )
        return {
            "row": self.row,
            "column": self.column,
            "value": value,
            "code": self.code.value,
            "message": self.message(lang),
            "action": self.action.value,
        }
