"""Template workbooks: the customer form a manager hands out, with the grading rules inside it.

``kactier template`` writes four sheets:

- the data sheet (客户信息 / Customers): basic information (客户编号 … 客户状态), the config's criteria and
  调整级别 / 调整原因, each header with a note saying what to enter, data validation on every column (whole numbers
  0–100 for scores, non-negative numbers for money, dates, dropdowns for region, industry, lifecycle stage and tier
  override), an Excel table, a frozen header, widths and number formats; ``example`` fills in sample customers;
- 说明 / Instructions: how to fill it in, what each tier means, how the score and the tiers are computed;
- 配置 / Config: the config as editable cells (:mod:`kactier.configsheet`), which ``kactier score`` reads back;
- 列表 / Lists: the dropdown options, one column each. Each dropdown refers to a named range
  ``OFFSET(first item, COUNTA(whole column) - 1)``, so an item added at the end of a column is offered at once.

Only the data sheet has a header row that names customer fields, so ``kactier score`` reads it and no other.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..config.models import Config, Criterion
from ..config.sheet import write_config_sheet
from ..errors import OutputIOError
from ..excel import MAX_DATA_ROWS
from ..fields import FIELD_BY_KEY, REQUIRED, STAGES, Kind
from ..i18n import Lang, localized, text
from ..report.workbook import atomic_output

BASIC_FIELDS = ("customer_id", "customer_name", "region", "industry", "owner", "first_deal_date", "stage")
OVERRIDE_FIELDS = ("override_tier", "override_reason")
DEFAULT_ROWS = 200
MAX_ROWS = MAX_DATA_ROWS  # Excel's last row, less the header
EXAMPLE_ROWS = 24
_REFERENCE_DAY = dt.date(2026, 11, 1)  # sample first-deal dates and tenures are relative to this fixed day
_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

# Dropdown columns: field key -> (defined name, Lists header zh, en). The headers name no customer field, so the
# Lists sheet is never taken for the data sheet.
_LISTS: dict[str, tuple[str, str, str]] = {
    "region": ("RegionList", "地区选项", "Region options"),
    "industry": ("IndustryList", "行业选项", "Industry options"),
    "stage": ("StageList", "客户状态选项", "Stage options"),
    "override_tier": ("TierList", "级别选项", "Tier options"),
}
_REGIONS = {
    "zh": ["华东", "华南", "华北", "华中", "西南", "西北", "东北"],
    "en": ["North", "South", "East", "West", "Central"],
}
_INDUSTRIES = {
    "zh": ["制造业", "零售", "医药", "电子", "汽车零部件", "食品饮料", "化工", "物流", "其他"],
    "en": [
        "Manufacturing",
        "Retail",
        "Healthcare",
        "Electronics",
        "Automotive Parts",
        "Food & Beverage",
        "Chemicals",
        "Logistics",
        "Other",
    ],
}

# The note on each data sheet header: what to enter.
_NOTES: dict[str, tuple[str, str]] = {
    "customer_id": (
        "必填。每位客户一个唯一编号，如 KH0001；按文本保存，前导零会保留，不能重复。",
        "Required. One unique id per customer, e.g. C-1001; kept as text (leading zeros stay), never repeated.",
    ),
    "customer_name": ("必填。客户的全称。", "Required. The customer's full name."),
    "region": (
        "客户所在地区，从下拉列表选择；可在“列表”表中增加地区。",
        "The customer's region: pick from the list; add regions on the Lists sheet.",
    ),
    "industry": (
        "客户所属行业，从下拉列表选择；可在“列表”表中增加行业。",
        "The customer's industry: pick from the list; add industries on the Lists sheet.",
    ),
    "owner": ("负责该客户的销售人员或客户经理。", "The salesperson or account manager responsible."),
    "first_deal_date": (
        "首次成交日期，如 2024-01-31。合作时间不足暂定期的客户，级别标记为“暂定”。",
        "Date of the first deal, e.g. 2024-01-31. Customers with less history than the provisional period get a "
        "provisional tier.",
    ),
    "tenure_years": ("合作年数，可带小数，如 3.5。", "Years as a customer, decimals allowed, e.g. 3.5."),
    "stage": (
        "客户生命周期阶段，从下拉列表选择：非客户、潜在客户、目标客户、意向客户、现实客户、流失客户。",
        "Lifecycle stage, from the list: non-customer, prospect, target, intent, active, churned.",
    ),
    "annual_sales": (
        "本年度（或最近 12 个月）销售额，填数字、不带单位，不能为负。",
        "Sales in the year (or the last 12 months): a number without currency sign, not negative.",
    ),
    "gross_profit": ("毛利额，填数字；亏损填负数。", "Gross profit: a number; a loss is negative."),
    "orders": ("期间内的交易（订单）次数，非负整数。", "Number of orders in the period, a whole number."),
    "avg_price": ("平均每单金额，非负数。", "Average order value, not negative."),
    "payment_days": (
        "平均回款天数（应收账款周转天数），越短越好。",
        "Average days to collect payment (days sales outstanding); fewer is better.",
    ),
    "overdue_amount": ("逾期未收回的金额，非负数。", "Amount overdue, not negative."),
    "recency_days": (
        "距最近一次购买的天数，越短越好。",
        "Days since the last order; fewer is better.",
    ),
    "purchasing_power": (
        "购买力评分，0–100 的整数：采购预算与采购规模。",
        "Purchasing power, a whole number 0–100: budget and purchase volume.",
    ),
    "frequency_score": (
        "交易频次评分，0–100 的整数：下单是否频繁、稳定。",
        "Transaction frequency, a whole number 0–100: how often and how regularly the customer orders.",
    ),
    "history_score": (
        "合作历史评分，0–100 的整数：合作时间长短与稳定性。",
        "Relationship history, a whole number 0–100: length and stability of the relationship.",
    ),
    "influence_score": (
        "市场影响力评分，0–100 的整数：行业地位与示范效应。",
        "Market influence, a whole number 0–100: standing in the industry and reference value.",
    ),
    "loyalty_score": (
        "客户忠诚度评分，0–100 的整数：复购意愿与份额集中度。",
        "Customer loyalty, a whole number 0–100: repeat buying and share of wallet.",
    ),
    "satisfaction": ("满意度评分，如 1–5 分。", "Satisfaction score, e.g. 1–5."),
    "recommend": (
        "推荐意愿，0–10 的整数（用于计算 NPS）。",
        "Likelihood to recommend, a whole number 0–10 (for NPS).",
    ),
    "override_tier": (
        "一般留空，按评分定级。需要人工调整时，从下拉列表选择级别，该级别将优先于评分结果；并在“调整原因”中写明原因。",
        "Usually empty: the score decides. To override, pick a tier from the list; it wins over the score. Give "
        "the reason in Override Reason.",
    ),
    "override_reason": (
        "人工调整级别的理由，如“战略合作伙伴”。",
        "Why the tier was overridden, e.g. 'strategic partner'.",
    ),
}
_DIRECTION = {"higher": ("越高越好", "higher is better"), "lower": ("越低越好", "lower is better")}
_NORMALIZE = {
    "score": ("已是 0–100 分，直接使用", "already 0–100 points, used as is"),
    "minmax": (
        "极差标准化：(值 − 最小值) ÷ (最大值 − 最小值) × 100",
        "min–max: (value − min) ÷ (max − min) × 100",
    ),
    "log-minmax": ("先取对数再极差标准化（适合偏态的金额）", "min–max of the logarithm (for skewed money)"),
    "rank": ("百分位排名（同值取平均名次）× 100", "percentile rank × 100 (ties averaged)"),
    "zscore": ("Z 分数经正态分布函数换算为 0–100", "z-score through the normal distribution, 0–100"),
    "bins": ("按分段界值计分", "points by band, from the bin edges"),
}
_MISSING = {
    "zero": ("空值记 0 分", "a blank scores 0"),
    "median": ("空值取中位数", "a blank takes the median"),
    "exclude": ("空值不计，按其余指标重新加权", "a blank is left out and the other criteria re-weighted"),
    "reject": ("空值则该客户不评级（列入问题表）", "a blank leaves the customer ungraded (listed in Issues)"),
}
_WEIGHT_METHODS = {
    "entropy": ("熵权法", "the entropy weight method"),
    "critic": ("CRITIC 法", "the CRITIC method"),
    "ahp": ("层次分析法（AHP 判断矩阵）", "AHP (the pairwise matrix)"),
}


@dataclass(frozen=True, slots=True)
class _Column:
    key: str  # a canonical field key, or the header of a criterion that names no field
    header: str
    kind: Kind | None  # None: a criterion column that names no canonical field (read as a number)


def default_template_name(config: Config) -> str:
    """``kactier-template-<preset>.xlsx``."""
    return f"kactier-template-{config.name}.xlsx"


def template_columns(config: Config, lang: Lang) -> list[_Column]:
    """The data sheet's columns: basic information, the criteria (and the tier value column), the override."""
    keys = [*BASIC_FIELDS]
    keys += [k for k in config.scored_keys() if k not in keys and k not in OVERRIDE_FIELDS]
    keys += OVERRIDE_FIELDS
    columns = []
    for key in keys:
        known = FIELD_BY_KEY.get(key)
        columns.append(_Column(key, known.label(lang) if known else key, known.kind if known else None))
    return columns


def write_template(
    path: Path,
    config: Config,
    *,
    lang: Lang = "zh",
    rows: int = DEFAULT_ROWS,
    example: bool = False,
    force: bool = False,
    created: dt.datetime | None = None,
) -> None:
    """Write a template workbook for ``config`` to ``path`` (atomically; an existing file only with ``force``).

    ``rows`` empty rows are prepared (table, validation); ``example`` fills the first of them with sample
    customers. ``created`` fixes the document's creation time, so the same arguments give the same bytes.
    """
    if not 1 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}, got {rows}")
    with atomic_output(path, force=force) as temporary:
        book = xlsxwriter.Workbook(str(temporary), _WORKBOOK_OPTIONS)
        properties: dict[str, Any] = {
            "title": f"kactier template: {config.name}",
            "comments": localized(config.description, lang),
        }
        if created is not None:
            properties["created"] = created
        book.set_properties(properties)
        _TemplateWriter(book, config, lang).write(rows, example)
        try:
            book.close()
        except OSError as exc:
            raise OutputIOError(
                f"{path}: cannot write ({exc.strerror or exc}); check the disk and permissions"
            ) from None


class _TemplateWriter:
    def __init__(self, book: Workbook, config: Config, lang: Lang) -> None:
        self.book, self.config, self.lang = book, config, lang
        self.columns = template_columns(config, lang)
        add = book.add_format
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.required_header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F8CBAD", "border": 1}
        )
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.formats: dict[str, Format | None] = {c.key: self._column_format(c) for c in self.columns}

    def _z(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def _column_format(self, column: _Column) -> Format | None:
        number_format = (
            {
                Kind.ID: "@",
                Kind.DATE: "yyyy-mm-dd",
                Kind.MONEY: "#,##0.00",
                Kind.SIGNED_MONEY: "#,##0.00",
                Kind.SCORE: "0",
            }.get(column.kind)
            if column.kind is not None
            else None
        )
        return self.book.add_format({"num_format": number_format}) if number_format else None

    def write(self, rows: int, example: bool) -> None:
        lang = self.lang
        data = self.book.add_worksheet(text("sheet_customers", lang))
        instructions = self.book.add_worksheet(text("sheet_instructions", lang))
        config_sheet = self.book.add_worksheet(text("sheet_config", lang))
        lists = self.book.add_worksheet(text("sheet_lists", lang))
        self._lists(lists)
        samples = example_customers(self.config, lang) if example else []
        self._data(data, max(rows, len(samples)), samples)
        self._instructions(instructions)
        write_config_sheet(self.book, config_sheet, self.config, lang)
        data.activate()

    # -- data sheet ---------------------------------------------------------------------------------------------

    def _data(self, sheet: Worksheet, rows: int, samples: list[dict[str, Any]]) -> None:
        columns = self.columns
        sheet.add_table(
            0,
            0,
            rows,
            len(columns) - 1,
            {
                "name": "CustomerForm",
                "style": "Table Style Medium 2",
                "columns": [
                    {
                        "header": c.header,
                        "header_format": self.required_header if c.key in REQUIRED else self.header,
                    }
                    for c in columns
                ],
            },
        )
        for index, column in enumerate(columns):
            sheet.write_comment(
                0, index, self._note(column), {"author": "kactier", "x_scale": 2.4, "y_scale": 1.6}
            )
            sheet.data_validation(1, index, rows, index, self._validation(column, index))
        for row, sample in enumerate(samples, start=1):
            for index, column in enumerate(columns):
                self._write_value(sheet, row, index, sample.get(column.key), self.formats[column.key])
        for index, column in enumerate(columns):
            values = [column.header, *(s.get(column.key) for s in samples)]
            sheet.set_column(index, index, _width(values), self.formats[column.key])
        sheet.set_row(0, 33)
        sheet.freeze_panes(1, 2)

    @staticmethod
    def _write_value(sheet: Worksheet, row: int, column: int, value: Any, cell_format: Format | None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, str):
            sheet.write_string(row, column, value, cell_format)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), cell_format)
        else:
            sheet.write_number(row, column, value, cell_format)

    def _note(self, column: _Column) -> str:
        zh, en = _NOTES.get(column.key, ("", ""))
        note = self._z(zh, en)
        criterion = next((c for c in self.config.criteria if c.key == column.key), None)
        if criterion is not None:
            direction = self._z(*_DIRECTION[criterion.direction])
            note += self._z(
                f"\n评分指标（{direction}）；权重等规则见“配置”表。",
                f"\nA scoring criterion ({direction}); its weight and rules are on the Config sheet.",
            )
        elif column.key == self.config.tiers.value_key and self.config.tiers.uses_value:
            note += self._z(
                "\n级别按这一列的累计占比划分。", "\nTiers follow this column's cumulative share."
            )
        if not note:
            note = self._z("评分指标：填数字。", "A scoring criterion: enter a number.")
        return note

    def _validation(self, column: _Column, index: int) -> dict[str, Any]:
        z = self._z
        cell = f"{xl_col_to_name(index)}2"
        title = z("输入有误", "Check this value")
        if column.key in _LISTS:
            name = _LISTS[column.key][0]
            free = column.key in (
                "region",
                "industry",
            )  # a new region may be typed; it is worth a warning only
            message = (
                z(
                    "不在下拉列表中。如需新增选项，请加到“列表”表该列的末尾。",
                    "Not in the list. To add an option, put it at the end of its column on the Lists sheet.",
                )
                if free
                else z("请从下拉列表中选择。", "Pick a value from the list.")
            )
            return {
                "validate": "list",
                "source": f"={name}",
                "error_type": "warning" if free else "stop",
                "error_title": title,
                "error_message": message,
            }
        kind = column.kind
        if kind is Kind.ID:
            letter = xl_col_to_name(index)
            return {
                "validate": "custom",
                "value": f"=COUNTIF(${letter}:${letter},{cell})=1",
                "error_title": title,
                "error_message": z("客户编号不能重复。", "This customer id is already in the sheet."),
            }
        if kind is Kind.DATE:
            return {
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(1900, 1, 1),
                "maximum": dt.date(2100, 12, 31),
                "error_title": title,
                "error_message": z("请填写日期，如 2024-01-31。", "Enter a date such as 2024-01-31."),
            }
        if kind is Kind.SCORE:
            spec = FIELD_BY_KEY[column.key]
            low, high = int(spec.low or 0), int(spec.high if spec.high is not None else 100)
            return {
                "validate": "integer",
                "criteria": "between",
                "minimum": low,
                "maximum": high,
                "error_title": title,
                "error_message": z(
                    f"请填写 {low}–{high} 的整数。", f"Enter a whole number from {low} to {high}."
                ),
            }
        if kind in (Kind.MONEY, Kind.COUNT):
            whole = column.key in ("orders", "recency_days")
            return {
                "validate": "integer" if whole else "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": title,
                "error_message": z(
                    "请填写不小于 0 的整数（不带单位）。" if whole else "请填写不小于 0 的数字（不带单位）。",
                    "Enter a whole number of 0 or more."
                    if whole
                    else "Enter a number of 0 or more, no currency sign.",
                ),
            }
        if kind in (Kind.TEXT, Kind.STAGE, Kind.TIER):
            return {
                "validate": "length",
                "criteria": "<=",
                "value": 255,
                "error_title": title,
                "error_message": z("最多 255 个字符。", "At most 255 characters."),
            }
        # signed money, other numbers and criteria that name no field: any number
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1e15,
            "maximum": 1e15,
            "error_title": title,
            "error_message": z("请填写数字（不带单位）。", "Enter a number, no currency sign."),
        }

    # -- lists --------------------------------------------------------------------------------------------------

    def _lists(self, sheet: Worksheet) -> None:
        lang = self.lang
        options = {
            "region": _REGIONS[lang],
            "industry": _INDUSTRIES[lang],
            "stage": stage_names(lang),
            "override_tier": [level.label for level in self.config.tiers.levels],
        }
        quoted = "'" + text("sheet_lists", lang).replace("'", "''") + "'"
        note = self._z(
            "在本列末尾继续添加选项（中间不要留空行），数据表的下拉列表会自动包含新选项。",
            "Add options at the end of this column (no blank rows in between); the data sheet's dropdown offers "
            "them at once.",
        )
        for index, (key, items) in enumerate(options.items()):
            name, zh, en = _LISTS[key]
            sheet.write_string(0, index, self._z(zh, en), self.header)
            tier_note = self._z(
                "\n级别须与“配置”表中的级别一致。", "\nKeep these the same as the tiers on the Config sheet."
            )
            sheet.write_comment(
                0,
                index,
                note + (tier_note if key == "override_tier" else ""),
                {"author": "kactier", "x_scale": 2},
            )
            for row, item in enumerate(items, start=1):
                sheet.write_string(row, index, item)
            letter = xl_col_to_name(index)
            self.book.define_name(
                name,
                f"=OFFSET({quoted}!${letter}$2,0,0,MAX(1,COUNTA({quoted}!${letter}:${letter})-1),1)",
            )
            sheet.set_column(index, index, 18)
        sheet.freeze_panes(1, 0)

    # -- instructions -------------------------------------------------------------------------------------------

    def _instructions(self, sheet: Worksheet) -> None:
        config, lang, z = self.config, self.lang, self._z
        data_sheet, config_sheet = text("sheet_customers", lang), text("sheet_config", lang)
        lists_sheet = text("sheet_lists", lang)
        row = 0
        sheet.write_string(
            row, 0, z("客户分级评估表 · 填写说明", "Customer tiering form: instructions"), self.title
        )
        row += 1
        description = localized(config.description, lang)
        sheet.write_string(
            row, 0, f"{z('评分规则', 'Rules')}: {config.name}" + (f" — {description}" if description else "")
        )
        row += 2

        row = self._heading(sheet, row, z("一、如何填写", "1. How to fill it in"))
        steps = [
            z(
                f"在“{data_sheet}”表中每行填写一位客户，从第 2 行开始；客户编号、客户名称必填（表头为橙色）。",
                f"On the {data_sheet} sheet, one customer per row from row 2; Customer ID and Customer Name are "
                "required (orange headers).",
            ),
            z(
                "把鼠标移到表头上可看到每列的填写说明；带下拉箭头的列请从列表中选择，输入不符合要求时 Excel 会提示。",
                "Hover over a header to see what to enter; pick from the dropdowns; Excel warns about values that "
                "do not fit.",
            ),
            z(
                "评分类指标填 0–100 的整数；金额只填数字（不带 ¥、元、万等单位）；日期按 2024-01-31 的格式填写。",
                "Scores are whole numbers 0–100; money is a plain number (no currency sign); dates like 2024-01-31.",
            ),
            z(
                f"地区、行业等下拉选项在“{lists_sheet}”表中，可在列末尾继续添加。",
                f"The dropdown options are on the {lists_sheet} sheet; add more at the end of a column.",
            ),
            z(
                "需要人工调整某位客户的级别时，在“调整级别”中选择级别，并在“调整原因”中写明原因。",
                "To override a customer's tier, pick it in Tier Override and give the reason in Override Reason.",
            ),
            z(
                "不要修改表头文字，不要删除或重命名“配置”表；可以在右侧增加自己的列，它们会原样保留。",
                "Keep the header texts and the Config sheet as they are; columns you add on the right are kept "
                "as they are.",
            ),
            z(
                "填好后保存，运行：kactier score 文件名.xlsx —— 结果写入 文件名.tiered.xlsx，本文件不会被修改。",
                "Save, then run: kactier score FILE.xlsx — the results go to FILE.tiered.xlsx; this file is never "
                "changed.",
            ),
        ]
        for number, step in enumerate(steps, start=1):
            sheet.write_string(row, 0, f"{number}. {step}")
            row += 1
        row += 1

        row = self._heading(sheet, row, z("二、各列说明", "2. The columns"))
        sheet.write_row(
            row, 0, [z("列", "Column"), z("必填", "Required"), z("填写说明", "What to enter")], self.header
        )
        for column in self.columns:
            row += 1
            sheet.write_string(row, 0, column.header, self.bold)
            sheet.write_string(row, 1, z("是", "yes") if column.key in REQUIRED else "")
            sheet.write_string(row, 2, self._note(column), self.wrap)
        row += 2

        row = self._heading(sheet, row, z("三、客户级别", "3. The tiers"))
        headers = [
            text("tier", lang),
            z("条件", "Condition"),
            text("action", lang),
            text("service_level", lang),
            text("follow_up_days", lang),
        ]
        sheet.write_row(row, 0, headers, self.header)
        for index, level in enumerate(config.tiers.levels):
            row += 1
            fill = self.book.add_format({"bg_color": level.color, "bold": True, "border": 1})
            sheet.write_string(row, 0, level.label, fill)
            sheet.write_string(row, 1, self._condition(index), self.wrap)
            sheet.write_string(row, 2, localized(level.action, lang), self.wrap)
            sheet.write_string(row, 3, localized(level.service_level, lang))
            if level.follow_up_days is not None:
                sheet.write_number(row, 4, level.follow_up_days)
        row += 2

        row = self._heading(
            sheet, row, z("四、综合得分与级别的计算", "4. How the score and the tiers are computed")
        )
        for line in self._method_lines():
            sheet.write_string(row, 0, line)
            row += 1
        row += 1

        row = self._heading(sheet, row, z("五、修改评分规则", "5. Changing the rules"))
        for line in (
            z(
                f"规则保存在“{config_sheet}”表中：修改黄色单元格（权重、最低得分、占比、颜色、建议措施等）并保存，"
                "重新运行 kactier score 即按新规则评分。",
                f"The rules live on the {config_sheet} sheet: edit the yellow cells (weights, minimum scores, "
                "shares, colours, actions…), save, and run kactier score again.",
            ),
            z(
                f"优先级：命令行 --config 指定的配置文件 > 本工作簿的“{config_sheet}”表 > --preset 预设。",
                f"Precedence: a --config file on the command line > this workbook's {config_sheet} sheet > --preset.",
            ),
            z(
                f"本说明按生成模板时的规则编写；修改“{config_sheet}”表后，以“{config_sheet}”表为准。",
                f"These instructions describe the rules when the template was made; after edits, the "
                f"{config_sheet} sheet is what counts.",
            ),
            z(
                "各方法的公式、边界与并列规则见 kactier 的 docs/methods.md。",
                "Formulas, boundaries and tie rules of every method: kactier's docs/methods.md.",
            ),
        ):
            sheet.write_string(row, 0, line)
            row += 1
        sheet.set_column(0, 0, 20)
        sheet.set_column(1, 1, 34)
        sheet.set_column(2, 2, 70)
        sheet.set_column(3, 4, 14)

    def _heading(self, sheet: Worksheet, row: int, title: str) -> int:
        sheet.write_string(row, 0, title, self.section)
        return row + 1

    def _condition(self, index: int) -> str:
        """What puts a customer in tier ``index``, in words."""
        tiers, z = self.config.tiers, self._z
        last = index == len(tiers.levels) - 1
        value = _field_label(tiers.value, self.lang)
        if tiers.method == "thresholds":
            if last:
                previous = tiers.levels[index - 1].min_score
                return z(f"其余客户（综合得分 < {previous:g}）", f"The rest (score below {previous:g})")
            minimum = tiers.levels[index].min_score
            return z(f"综合得分 ≥ {minimum:g}", f"Score ≥ {minimum:g}")
        if tiers.method == "pareto":
            cuts = tiers.effective_cuts()
            if last:
                return z("其余客户", "The rest")
            if index == 0:
                return z(
                    f"按{value}从高到低累计，占合计 {cuts[0]:.0%} 的最少头部客户",
                    f"The fewest top customers by {value} holding {cuts[0]:.0%} of the total",
                )
            return z(
                f"{value}累计占比 {cuts[index - 1]:.0%} 至 {cuts[index]:.0%}",
                f"Cumulative share of {value} from {cuts[index - 1]:.0%} to {cuts[index]:.0%}",
            )
        if tiers.method == "quantile":
            shares = tiers.effective_shares()
            if last:
                return z("其余客户", "The rest")
            if index == 0:
                return z(
                    f"综合得分最高的 {shares[0]:.0%} 客户", f"The top {shares[0]:.0%} of customers by score"
                )
            return z(f"其后 {shares[index]:.0%} 的客户", f"The next {shares[index]:.0%} of customers")
        return z(
            f"按{value}的分布自动计算 ABC 分界（Ultsch & Lötsch 2015）",
            f"ABC limits computed from the distribution of {value} (Ultsch & Lötsch 2015)",
        )

    def _method_lines(self) -> list[str]:
        config, z = self.config, self._z
        lines: list[str] = []
        if config.weights == "manual":
            total = sum(c.weight for c in config.criteria)
            lines.append(
                z(
                    "综合得分（0–100）= Σ 各指标得分 × 权重，权重按合计 100% 换算：",
                    "Score (0–100) = Σ criterion points × weight, the weights scaled to 100%:",
                )
            )
            for criterion in config.criteria:
                lines.append("  · " + self._criterion_line(criterion, criterion.weight / total))
        else:
            method = z(*_WEIGHT_METHODS[config.weights])
            lines.append(
                z(
                    f"综合得分（0–100）= Σ 各指标得分 × 权重，权重由数据按{method}计算，结果的“配置”表列出实际权重：",
                    f"Score (0–100) = Σ criterion points × weight, the weights computed from the data by {method} "
                    "(the result's Config sheet lists them):",
                )
            )
            for criterion in config.criteria:
                lines.append("  · " + self._criterion_line(criterion, None))
        lines.append(
            z(
                f"综合得分保留 {config.score_decimals} 位小数；排名 1 为最好，同分同名次。",
                f"The score is rounded to {config.score_decimals} decimals; rank 1 is the best, equal scores share "
                "a rank.",
            )
        )
        tiers = config.tiers
        method_line = {
            "thresholds": z(
                "级别按综合得分的最低分数线划分，等于分数线即属较高一级。",
                "Tiers by minimum score; a score equal to a minimum belongs to the higher tier.",
            ),
            "pareto": z(
                f"级别按{_field_label(tiers.value, self.lang)}的累计占比（帕累托 / ABC 分类）划分，同值按客户编号排序。",
                f"Tiers by the cumulative share of {_field_label(tiers.value, self.lang)} (Pareto / ABC); equal "
                "values are ordered by customer id.",
            ),
            "quantile": z(
                "级别按综合得分排序后的客户数占比划分，同分的客户不会被分到两个级别。",
                "Tiers by share of customers ranked by score; equal scores are never split.",
            ),
            "computed-abc": z(
                f"级别按{_field_label(tiers.value, self.lang)}的分布自动计算 ABC 分界。",
                f"Tiers by ABC limits computed from {_field_label(tiers.value, self.lang)}.",
            ),
        }[tiers.method]
        lines.append(method_line)
        if tiers.provisional_months > 0:
            months = tiers.provisional_months
            lines.append(
                z(
                    f"首次合作不满 {months} 个月的客户，级别标记为“暂定”。",
                    f"Customers with less than {months} months since their first deal get a provisional tier.",
                )
            )
        lines.append(
            z(
                "“调整级别”中填写的有效级别优先于评分结果，并标记为“人工调整”。",
                "A valid tier in Tier Override wins over the score and is marked as an override.",
            )
        )
        return lines

    def _criterion_line(self, criterion: Criterion, weight: float | None) -> str:
        z = self._z
        name = criterion.display(self.lang)
        parts = [] if weight is None else [z(f"权重 {weight:.0%}", f"weight {weight:.0%}")]
        parts.append(z(*_DIRECTION[criterion.direction]))
        parts.append(z(*_NORMALIZE[criterion.normalize]))
        parts.append(z(*_MISSING[criterion.missing]))
        separator = z("；", "; ")
        return f"{name}{z('：', ': ')}{separator.join(parts)}"


def _field_label(field: str, lang: Lang) -> str:
    known = FIELD_BY_KEY.get(field)
    return known.label(lang) if known else field


def stage_names(lang: Lang) -> list[str]:
    """The lifecycle stages as the dropdown offers them (Chinese, or English capitalised)."""
    if lang == "zh":
        return [names[0] for names in STAGES.values()]
    return [next(n for n in names if n.isascii()).capitalize() for names in STAGES.values()]


def _width(values: Sequence[Any]) -> float:
    """A column width that fits the values; CJK characters count double."""
    longest = 0
    for value in values:
        if value is None or value == "":
            continue
        shown = (
            value.isoformat()
            if isinstance(value, dt.date)
            else (f"{value:,.2f}" if isinstance(value, float) else str(value))
        )
        longest = max(longest, sum(2 if ord(ch) > 0x2E7F else 1 for ch in shown))
    return float(min(max(longest + 3, 10), 40))


# -- sample customers ---------------------------------------------------------------------------------------------

_ZH_CITIES = {
    "华东": ["上海", "苏州", "杭州", "宁波", "南京"],
    "华南": ["广州", "深圳", "东莞", "佛山"],
    "华北": ["北京", "天津", "济南"],
    "华中": ["武汉", "长沙", "郑州"],
    "西南": ["成都", "重庆", "昆明"],
    "西北": ["西安", "兰州"],
    "东北": ["沈阳", "大连", "长春"],
}
_ZH_STEMS = [
    "恒通",
    "华信",
    "永盛",
    "鼎力",
    "瑞丰",
    "金泰",
    "宏达",
    "联创",
    "天成",
    "博远",
    "润泽",
    "嘉禾",
    "鑫源",
    "海纳",
]
_ZH_TRADES = {
    "制造业": "精密机械",
    "零售": "商贸",
    "医药": "医药",
    "电子": "电子科技",
    "汽车零部件": "汽配",
    "食品饮料": "食品",
    "化工": "新材料",
    "物流": "供应链管理",
    "其他": "实业",
}
_ZH_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "集团有限公司"]
_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
_ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超"
_EN_STEMS = [
    "Northwind",
    "Bluewater",
    "Summit",
    "Ironwood",
    "Crescent",
    "Pioneer",
    "Redstone",
    "Harbor",
    "Atlas",
    "Keystone",
    "Granite",
    "Meridian",
    "Falcon",
    "Sterling",
]
_EN_TRADES = {
    "Manufacturing": "Precision Machining",
    "Retail": "Retail Group",
    "Healthcare": "Medical Supply",
    "Electronics": "Electronics",
    "Automotive Parts": "Auto Parts",
    "Food & Beverage": "Foods",
    "Chemicals": "Coatings",
    "Logistics": "Logistics",
    "Other": "Holdings",
}
_EN_SUFFIXES = ["Inc.", "LLC", "Ltd.", "Corp."]
_EN_FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Sarah", "David", "Emily", "Priya", "Kevin"]
_EN_LAST = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Wilson", "Patel", "Nguyen", "Clark", "Lewis"]


def example_customers(config: Config, lang: Lang, count: int = EXAMPLE_ROWS) -> list[dict[str, Any]]:
    """Realistic sample customers (field key -> value), the same every time for the same language.

    One latent quality per customer drives the scores, sales, orders and collection speed together, so every
    preset finds a spread of tiers; two customers started recently (provisional), one has a manual override.
    """
    rng = random.Random(f"kactier-template-{lang}")
    regions, industries = _REGIONS[lang], _INDUSTRIES[lang]
    stages = stage_names(lang)
    active, intent = stages[4], stages[3]
    top_tier = config.tiers.levels[0].label
    names: set[str] = set()
    customers: list[dict[str, Any]] = []
    for k in range(count):
        quality = (k * 7 % count + rng.random()) / count  # spread evenly, in a shuffled order
        region, industry = rng.choice(regions), rng.choice(industries[:-1])
        name = ""
        while not name or name in names:
            if lang == "zh":
                name = (
                    rng.choice(_ZH_CITIES[region])
                    + rng.choice(_ZH_STEMS)
                    + _ZH_TRADES[industry]
                    + rng.choice(_ZH_SUFFIXES)
                )
            else:
                name = f"{rng.choice(_EN_STEMS)} {_EN_TRADES[industry]} {rng.choice(_EN_SUFFIXES)}"
        names.add(name)
        owner = (
            rng.choice(_ZH_SURNAMES) + "".join(rng.choices(_ZH_GIVEN, k=rng.choice((1, 2))))
            if lang == "zh"
            else f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        )
        recent = k in (3, 17)
        first = (
            _REFERENCE_DAY - dt.timedelta(days=rng.randrange(30, 150))
            if recent
            else dt.date(2014, 1, 1)
            + dt.timedelta(days=rng.randrange((dt.date(2025, 12, 31) - dt.date(2014, 1, 1)).days))
        )
        sales = round(10 ** (5 + 2.3 * quality + rng.gauss(0, 0.15)), -2)
        orders = max(1, round((3 + 57 * quality) * rng.uniform(0.7, 1.3)))
        base = 45 + 50 * quality
        record: dict[str, Any] = {
            "customer_id": f"KH{k + 1:04d}" if lang == "zh" else f"C-{1001 + k}",
            "customer_name": name,
            "region": region,
            "industry": industry,
            "owner": owner,
            "first_deal_date": first,
            "tenure_years": round((_REFERENCE_DAY - first).days / 365.25, 1),
            "stage": intent if recent else active,
            "annual_sales": sales,
            "gross_profit": round(sales * rng.uniform(0.12, 0.35), 2),
            "orders": orders,
            "avg_price": round(sales / orders, 2),
            "payment_days": int(min(150, max(10, round(rng.gauss(80 - 45 * quality, 10))))),
            "overdue_amount": round(sales * max(0.0, rng.gauss(0.02, 0.02)), 2),
            "recency_days": int(min(365, max(1, round(365 / orders * rng.uniform(0.3, 1.5))))),
            "satisfaction": round(min(5.0, max(1.0, rng.gauss(3 + 1.8 * quality, 0.4))), 1),
            "recommend": int(min(10, max(0, round(rng.gauss(5 + 4.5 * quality, 1.2))))),
        }
        for key in (
            "purchasing_power",
            "frequency_score",
            "history_score",
            "influence_score",
            "loyalty_score",
        ):
            record[key] = int(min(100, max(0, round(rng.gauss(base, 6)))))
        for criterion in config.criteria:  # a criterion that names no field gets plausible numbers too
            record.setdefault(criterion.key, int(min(100, max(0, round(rng.gauss(base, 8))))))
        if k == 9:
            record["override_tier"] = top_tier
            record["override_reason"] = (
                "战略合作伙伴，总部指定重点维护" if lang == "zh" else "Strategic partner named by head office"
            )
        customers.append(record)
    return customers
