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
    ORDER_VALUE_MISSING = "order_value_missing"  # order lines (`--orders`) from here on
    AFTER_AS_OF = "after_as_of"
    REFUND_NETTED = "refund_netted"
    PAID_BEFORE_ORDER = "paid_before_order"
    READ_AS = "read_as"  # how a file or sheet was read (messy and hostile input) from here on
    CELL_ERROR = "cell_error"
    FORMULA_NO_VALUE = "formula_no_value"
    MERGED_FILLED = "merged_filled"
    HIDDEN_ROWS = "hidden_rows"
    HIDDEN_COLUMN = "hidden_column"
    HIDDEN_SHEET = "hidden_sheet"


class Action(StrEnum):
    """What kactier did about a problem."""

    ROW_SKIPPED = "row_skipped"  # not a data row; not in the data sheet
    ROW_EXCLUDED = "row_excluded"  # kept in the data sheet, not scored or tiered
    VALUE_MISSING = "value_missing"  # the value is treated as missing
    VALUE_COERCED = "value_coerced"  # the value was read as shown in the message
    VALUE_KEPT = "value_kept"  # reported only; the value is used as given
    COLUMN_RENAMED = "column_renamed"  # the header is written under another name
    LINE_EXCLUDED = "line_excluded"  # an order line left out of every per-customer figure


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
    IssueCode.ORDER_VALUE_MISSING: ("订单行缺少{detail}", "order line without {detail}"),
    IssueCode.AFTER_AS_OF: (
        "订单日期晚于评级基准日 {detail}，不计入",
        "order dated after the as-of date {detail}; not counted",
    ),
    IssueCode.REFUND_NETTED: (
        "负金额按退款处理：冲减所在窗口的销售额，不计为一次购买",
        "negative amount taken as a refund: netted against the sales of its window, not counted as a purchase",
    ),
    IssueCode.READ_AS: ("按 {detail} 读取", "read as {detail}"),
    IssueCode.CELL_ERROR: (
        "单元格是错误值 {detail}，不是数据；请修正公式或数据后重新评级",
        "the cell holds the error {detail}, not data; fix the formula or the data and re-run",
    ),
    IssueCode.FORMULA_NO_VALUE: (
        "公式没有保存计算结果，无法读取其值；请在 Excel 中打开、重新计算并保存",
        "formula saved without its value; open the file in Excel, recalculate and save it",
    ),
    IssueCode.MERGED_FILLED: (
        "合并单元格 {detail}：值已向下填充到合并区域的每一行",
        "merged cells {detail}: the value is filled down into every row of the range",
    ),
    IssueCode.HIDDEN_ROWS: (
        "隐藏的行 {detail}：与其他行一样读取并评级",
        "hidden rows {detail}: read and graded like the other rows",
    ),
    IssueCode.HIDDEN_COLUMN: ("隐藏的列：与其他列一样读取", "hidden column: read like the other columns"),
    IssueCode.HIDDEN_SHEET: (
        "工作表在 Excel 中是隐藏的，按 --sheet 读取",
        "the sheet is hidden in Excel; read because --sheet names it",
    ),
    IssueCode.PAID_BEFORE_ORDER: ("回款日期早于订单日期", "paid before the order date"),
}

_ACTIONS: dict[Action, tuple[str, str]] = {
    Action.ROW_SKIPPED: ("行已跳过", "row skipped"),
    Action.ROW_EXCLUDED: ("该行不参与评级", "row excluded from grading"),
    Action.VALUE_MISSING: ("按缺失值处理", "treated as missing"),
    Action.VALUE_COERCED: ("已转换", "value converted"),
    Action.VALUE_KEPT: ("保留原值", "value kept"),
    Action.COLUMN_RENAMED: ("列已改名", "column renamed"),
    Action.LINE_EXCLUDED: ("该订单行不计入客户汇总", "order line not counted"),
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
