"""The Config sheet (配置 / Config): a scoring config as editable workbook cells, written and read back.

Templates (``kactier template``) and graded workbooks carry one, so the grading rules travel with the workbook and
``kactier score`` follows them (precedence: ``--config`` > Config sheet > ``--preset``). Both use this one layout;
every label may be written in Chinese, in English, or as its TOML key, so a sheet is read whatever its language:

======================================  =============================================================================
``kactier 评分配置`` (A1)                the marker, in the first rows of column A; a sheet named 配置 / Config
                                        without it is not a kactier Config sheet and is ignored
a hint (A2)                             free text until the first section title
``基本设置`` / ``Settings``             one row per setting: label in A, value in B, help in C
``评分指标`` / ``Criteria``             a header row, then one row per criterion; columns are found by their header
``级别`` / ``Tiers``                    a header row, then one row per tier, best first
``AHP 判断矩阵`` / ``AHP matrix``        with ``weights = ahp``: an 允许不一致 row, a header row, the n×n matrix
``运行信息`` / ``Run``                  graded workbooks only: input file, SHA-256, version, time; never read
======================================  =============================================================================

A section starts at its title in column A and ends at the first blank row. Anything that cannot be understood is a
:class:`~kactier.errors.ConfigError` naming the file and the cell (``配置!C7``) and saying what to enter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine
from pydantic import ValidationError
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..errors import ConfigError
from ..fields import FIELD_BY_KEY, match_header, normalize_header
from ..i18n import Lang, localized, text
from ..read.workbook import check_input, open_workbook
from ..validate.values import id_text, parse_number
from .models import Config

_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx/.xlsm/.ods: the formats a Config sheet is read from
_MARKER_SEARCH_ROWS = 10
_MAX_ROWS = 2000  # a Config sheet is small; rows beyond this are not looked at
_MAX_COLUMNS = 60
_LANGS: tuple[Lang, Lang] = ("zh", "en")

# Section key -> i18n label key.
_SECTIONS: dict[str, str] = {
    "settings": "cfg_settings",
    "criteria": "criteria",
    "tiers": "tiers",
    "ahp": "ahp_matrix",
    "run": "run_facts",
}
# TOML key -> i18n label keys (the first is the one written; all are read).
_SETTINGS: dict[str, tuple[str, ...]] = {
    "name": ("cfg_name", "config_name"),
    "description": ("description",),
    "weights": ("weight_method",),
    "method": ("tier_method",),
    "value": ("tier_value",),
    "score_decimals": ("score_decimals",),
    "provisional_months": ("provisional_months",),
}
_CRITERIA_COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("criterion",),
    "field": ("cfg_data_column", "field"),
    "weight": ("cfg_weight", "weight_given"),
    "direction": ("direction",),
    "normalize": ("normalize",),
    "missing": ("missing",),
    "bins": ("cfg_bins",),
    "points": ("cfg_points",),
    "weight_used": ("weight_used",),  # written in graded workbooks for information, never read
}
_TIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("tier",),
    "min_score": ("min_score",),
    "cut": ("cfg_cut",),
    "share": ("cfg_share",),
    "color": ("color",),
    "action": ("action",),
    "service_level": ("service_level",),
    "follow_up_days": ("follow_up_days",),
}
# Accepted words for each choice: the TOML value itself, and the Chinese and English ways of saying it.
_OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "weights": {
        "manual": ("手工权重", "手工", "手动", "人工"),
        "entropy": ("熵权法", "熵权"),
        "critic": ("CRITIC法",),
        "ahp": ("层次分析法", "AHP法"),
    },
    "method": {
        "thresholds": ("分数线", "阈值", "按分数线"),
        "pareto": ("帕累托", "ABC分类", "abc"),
        "quantile": ("分位数", "按比例"),
        "computed-abc": ("计算ABC", "自动ABC"),
    },
    "direction": {
        "higher": ("越高越好", "越大越好", "高", "higher is better"),
        "lower": ("越低越好", "越小越好", "低", "lower is better"),
    },
    "normalize": {
        "score": ("原始分", "已是0-100分", "评分"),
        "minmax": ("极差标准化", "最小最大", "min-max"),
        "log-minmax": ("对数极差标准化", "对数"),
        "rank": ("百分位排名", "排名", "percentile rank"),
        "zscore": ("z分数", "标准分数", "z-score"),
        "bins": ("分段计分", "分段"),
    },
    "missing": {
        "zero": ("记0分", "0分", "零"),
        "median": ("中位数", "取中位数"),
        "exclude": ("剔除", "剔除后重新加权", "重新加权"),
        "reject": ("不评级", "拒绝"),
    },
}
_BOOLEANS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "true", "是", "允许", "y", "1"),
    False: ("no", "false", "否", "不允许", "n", "0"),
}
_LIST_SPLIT = re.compile(r"[,，;；、\s]+")

# Help beside each setting (column C) and notes on each table header, in the sheet's language.
_HELP: dict[str, tuple[str, str]] = {
    "name": ("配置名称，显示在结果中", "Shown in the results"),
    "description": ("这套规则的用途", "What these rules are for"),
    "weights": (
        "manual 按“权重”列 · entropy 熵权法 · critic CRITIC 法 · ahp 层次分析法（需 AHP 判断矩阵）",
        "manual: the Weight column · entropy · critic · ahp (needs the AHP matrix)",
    ),
    "method": (
        "thresholds 按最低得分 · pareto 按累计占比（ABC 分类）· quantile 按客户数占比 · computed-abc 自动计算分界",
        "thresholds: minimum score · pareto: cumulative value share (ABC) · quantile: share of customers · "
        "computed-abc: limits computed from the data",
    ),
    "value": (
        "pareto / computed-abc 按哪一列的累计占比分级，如 年销售额",
        "pareto / computed-abc: the column whose cumulative share decides the tier, e.g. Annual Sales",
    ),
    "score_decimals": (
        "综合得分保留的小数位（0–6），先四舍五入再与最低得分比较",
        "Decimals of the score (0–6); rounded before it is compared with the minimum scores",
    ),
    "provisional_months": (
        "首次合作不满该月数的客户，级别标记为“暂定”（0 表示不标记）",
        "Customers with less history than this get a provisional tier (0: never)",
    ),
    "criteria.label": (
        "指标名称，显示在结果中；留空则用数据列名",
        "The name shown in the results; blank: the data column's name",
    ),
    "criteria.field": (
        "数据表中该指标的列名（如 购买力评分），或字段键（如 purchasing_power）。新增指标时，数据表也要增加这一列。",
        "The data sheet's column header (e.g. Purchasing Power) or the field key (purchasing_power). "
        "A new criterion needs that column in the data sheet too.",
    ),
    "criteria.weight": (
        "0 或正数；权重按合计归一化（权重方法为 manual 时使用），填 0 即不计该指标",
        "0 or more; weights are scaled to sum 1 (with weight method manual); 0 leaves the criterion out",
    ),
    "criteria.direction": (
        "higher 越高越好 · lower 越低越好",
        "higher: more is better · lower: less is better",
    ),
    "criteria.normalize": (
        "score 已是 0–100 分 · minmax 极差标准化 · log-minmax 取对数后极差标准化 · rank 百分位排名 · "
        "zscore Z 分数 · bins 分段计分",
        "score: already 0–100 · minmax · log-minmax (for skewed money) · rank: percentile rank · zscore · "
        "bins: cut points to points",
    ),
    "criteria.missing": (
        "zero 记 0 分 · median 取中位数 · exclude 不计该指标并重新加权 · reject 该行不评级",
        "zero · median · exclude: re-weight over the criteria present · reject: the row is not graded",
    ),
    "criteria.bins": (
        "仅 bins：递增的分段界值，用逗号分隔，如 100000, 500000",
        "bins only: increasing cut points, comma separated, e.g. 100000, 500000",
    ),
    "criteria.points": (
        "仅 bins：各段得分（0–100），比界值多一个，如 20, 60, 100",
        "bins only: points per band (0–100), one more than the cut points, e.g. 20, 60, 100",
    ),
    "criteria.weight_used": (
        "本次评分实际使用的权重（仅供查看，修改无效）",
        "The weights this run used (for information; edits are ignored)",
    ),
    "tiers.label": (
        "级别名称，从最好到最差排列，2–7 级；插入或删除整行即可增减级别",
        "Tier names, best first, 2 to 7 tiers; insert or delete whole rows to change the number",
    ),
    "tiers.min_score": (
        "仅 thresholds：综合得分达到（≥）该值即属此级，自上而下递减；最后一级留空",
        "thresholds only: a score at or above this is in the tier, decreasing downwards; leave the last empty",
    ),
    "tiers.cut": (
        "仅 pareto：按价值从高到低累计，累计占比达到该比例为止的客户属此级，如 80%；最后一级留空",
        "pareto only: customers by value, best first, until their cumulative share reaches this, e.g. 80%; "
        "leave the last empty",
    ),
    "tiers.share": (
        "仅 quantile：按得分排序，该级客户占全部客户的比例，如 20%；最后一级留空（其余客户）",
        "quantile only: the share of customers, by score, in this tier, e.g. 20%; leave the last empty (the rest)",
    ),
    "tiers.color": (
        "结果中该级别单元格的填充色，写作 #RRGGBB",
        "Fill colour of the tier in the results, written #RRGGBB",
    ),
    "tiers.action": ("建议措施", "Recommended action"),
    "tiers.service_level": ("服务等级", "Service level"),
    "tiers.follow_up_days": (
        "跟进间隔天数（1–3660），用于计算下次跟进日期",
        "Days between follow-ups (1–3660), for the next follow-up date",
    ),
    "ahp.allow": (
        "是：一致性比率 CR ≥ 0.10 时仍然使用该矩阵",
        "yes: use the matrix even when its consistency ratio is 0.10 or more",
    ),
}
# What to enter, for a problem found by the config model at a given place.
_HINTS: dict[str, str] = {
    "name": "enter a short name",
    "weights": "choose manual, entropy, critic or ahp",
    "method": "choose thresholds, pareto, quantile or computed-abc",
    "value": "enter the data column whose share decides the tier, such as 年销售额 / Annual Sales",
    "score_decimals": "enter a whole number from 0 to 6",
    "provisional_months": "enter a whole number of months from 0 to 120",
    "criteria": "each data column may be a criterion once, and manual weights need one above 0",
    "criteria.field": "enter the data sheet's column header",
    "criteria.weight": "enter a number of 0 or more",
    "criteria.direction": "choose higher or lower",
    "criteria.normalize": "choose score, minmax, log-minmax, rank, zscore or bins",
    "criteria.missing": "choose zero, median, exclude or reject",
    "criteria.bins": "enter increasing cut points separated by commas, e.g. 100000, 500000",
    "criteria.points": "enter one more 0–100 value than cut points, separated by commas, e.g. 20, 60, 100",
    "tiers": "check the tier rows: 2 to 7 tiers with unique names",
    "tiers.label": "enter a tier name of up to 20 characters, unique in the table",
    "tiers.min_score": "enter a score from 0 to 100, decreasing from the first tier; leave the last tier empty",
    "tiers.cut": "enter a share between 0% and 100%, increasing downwards; leave the last tier empty",
    "tiers.share": "enter a share between 0% and 100% for each tier but the last, together under 100%",
    "tiers.color": "enter a colour written #RRGGBB, such as #C6EFCE",
    "tiers.follow_up_days": "enter a whole number of days from 1 to 3660",
    "ahp": "enter one row and one column per criterion, in the criteria's order; cells are numbers or 1/3",
    "ahp.allow": "enter yes or no",
}


@dataclass(frozen=True, slots=True)
class SheetConfig:
    """A config read from a workbook's Config sheet."""

    config: Config
    sheet: str


def is_config_sheet_name(name: str) -> bool:
    """True for the names a Config sheet goes by (配置, Config), in any case or width."""
    return normalize_header(name) in {normalize_header(text("sheet_config", lang)) for lang in _LANGS}


# -- writing ------------------------------------------------------------------------------------------------------


def write_config_sheet(
    book: Workbook,
    sheet: Worksheet,
    config: Config,
    lang: Lang,
    *,
    weights_used: Mapping[str, float] | None = None,
    run_facts: Sequence[tuple[str, Any]] = (),
) -> None:
    """Write ``config`` on ``sheet`` in the Config sheet layout, as editable cells with dropdowns and notes.

    ``weights_used`` (criterion key -> weight) adds the read-only 实际权重 / Weight used column of a graded
    workbook; ``run_facts`` (i18n label key, value) rows form the 运行信息 / Run section, which is never read back.
    """
    _SheetWriter(book, sheet, lang).write(config, weights_used, run_facts)


class _SheetWriter:
    def __init__(self, book: Workbook, sheet: Worksheet, lang: Lang) -> None:
        self.book, self.sheet, self.lang = book, sheet, lang
        add = book.add_format
        editable = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "valign": "top"}
        self.title = add({"bold": True, "font_size": 14})
        self.hint = add({"italic": True, "font_color": "#595959"})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.label = add({"bold": True, "valign": "top"})
        self.help = add({"font_color": "#808080", "italic": True, "valign": "top"})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.input = add(editable)
        self.input_wrap = add({**editable, "text_wrap": True})
        self.input_percent = add({**editable, "num_format": "0.0%"})
        self.readonly = add({"num_format": "0.0000", "font_color": "#595959", "border": 1})

    def write(
        self, config: Config, weights_used: Mapping[str, float] | None, run_facts: Sequence[tuple[str, Any]]
    ) -> None:
        sheet, lang = self.sheet, self.lang
        sheet.write_string(0, 0, text("cfg_marker", lang), self.title)
        sheet.write_string(1, 0, text("cfg_hint", lang), self.hint)
        row = self._settings(3, config) + 1
        row = self._criteria(row, config, weights_used) + 1
        row = self._tiers(row, config) + 1
        if config.ahp is not None:
            row = self._ahp(row, config) + 1
        if run_facts:
            self._run(row, run_facts)
        for column, width in enumerate((24, 22, 12, 12, 14, 44, 14, 16, 12)):
            sheet.set_column(column, column, width)

    def _title(self, row: int, section: str) -> int:
        self.sheet.write_string(row, 0, text(_SECTIONS[section], self.lang), self.section)
        return row + 1

    def _note(self, key: str) -> str:
        zh, en = _HELP[key]
        return zh if self.lang == "zh" else en

    def _settings(self, row: int, config: Config) -> int:
        sheet = self.sheet
        row = self._title(row, "settings")
        tiers = config.tiers
        values: dict[str, Any] = {
            "name": config.name,
            "description": localized(config.description, self.lang),
            "weights": config.weights,
            "method": tiers.method,
            "value": _field_text(tiers.value, self.lang),
            "score_decimals": config.score_decimals,
            "provisional_months": tiers.provisional_months,
        }
        lists = {key: list(_OPTIONS[key]) for key in ("weights", "method")}
        whole = {"score_decimals": (0, 6), "provisional_months": (0, 120)}
        for key, value in values.items():
            sheet.write_string(row, 0, text(_SETTINGS[key][0], self.lang), self.label)
            if isinstance(value, str):
                sheet.write_string(row, 1, value, self.input)
            else:
                sheet.write_number(row, 1, value, self.input)
            sheet.write_string(row, 2, self._note(key), self.help)
            if key in lists:
                self._list(row, 1, row, 1, lists[key])
            elif key in whole:
                low, high = whole[key]
                self._whole(row, 1, row, 1, low, high)
            row += 1
        return row

    def _criteria(self, row: int, config: Config, weights_used: Mapping[str, float] | None) -> int:
        sheet, lang = self.sheet, self.lang
        row = self._title(row, "criteria")
        columns = [k for k in _CRITERIA_COLUMNS if k != "weight_used" or weights_used is not None]
        self._header(row, "criteria", columns, _CRITERIA_COLUMNS)
        first = row + 1
        for criterion in config.criteria:
            row += 1
            cells: dict[str, Any] = {
                "label": criterion.display(lang),
                "field": _field_text(criterion.field, lang),
                "weight": criterion.weight,
                "direction": criterion.direction,
                "normalize": criterion.normalize,
                "missing": criterion.missing,
                "bins": _join(criterion.bins),
                "points": _join(criterion.points),
            }
            for column, key in enumerate(columns):
                if key == "weight_used":
                    assert weights_used is not None
                    sheet.write_number(row, column, weights_used.get(criterion.key, 0.0), self.readonly)
                    continue
                value = cells[key]
                if isinstance(value, str):
                    sheet.write_string(row, column, value, self.input)
                else:
                    sheet.write_number(row, column, value, self.input)
        last = row
        position = {key: i for i, key in enumerate(columns)}
        self._decimal(first, position["weight"], last, 0, None)
        for key in ("direction", "normalize", "missing"):
            self._list(first, position[key], last, position[key], list(_OPTIONS[key]))
        return row + 1

    def _tiers(self, row: int, config: Config) -> int:
        sheet, lang = self.sheet, self.lang
        tiers = config.tiers
        row = self._title(row, "tiers")
        columns = list(_TIER_COLUMNS)
        self._header(row, "tiers", columns, _TIER_COLUMNS)
        cuts = tiers.effective_cuts() if tiers.method == "pareto" else []
        shares = tiers.effective_shares() if tiers.method == "quantile" else []
        first = row + 1
        for index, level in enumerate(tiers.levels):
            row += 1
            filled = self.book.add_format(
                {"bg_color": level.color, "bold": True, "border": 1, "border_color": "#BFBFBF"}
            )
            sheet.write_string(row, 0, level.label, filled)
            values = {
                "min_score": level.min_score if tiers.method == "thresholds" else None,
                "cut": cuts[index] if index < len(cuts) else None,
                "share": shares[index] if index < len(shares) else None,
                "follow_up_days": level.follow_up_days,
            }
            for key, value in values.items():
                column = columns.index(key)
                cell_format = self.input_percent if key in ("cut", "share") else self.input
                if value is None:
                    sheet.write_blank(row, column, None, cell_format)
                else:
                    sheet.write_number(row, column, value, cell_format)
            sheet.write_string(row, columns.index("color"), level.color, filled)
            sheet.write_string(row, columns.index("action"), localized(level.action, lang), self.input_wrap)
            sheet.write_string(
                row, columns.index("service_level"), localized(level.service_level, lang), self.input
            )
        last = row
        self._decimal(first, columns.index("min_score"), last, 0, 100)
        self._decimal(first, columns.index("cut"), last, 0, 1)
        self._decimal(first, columns.index("share"), last, 0, 1)
        self._whole(first, columns.index("follow_up_days"), last, columns.index("follow_up_days"), 1, 3660)
        color = columns.index("color")
        top = f"{xl_col_to_name(color)}{first + 1}"
        self.sheet.data_validation(
            first,
            color,
            last,
            color,
            {"validate": "custom", "value": f'=AND(LEN({top})=7,LEFT({top},1)="#")', **self._error()},
        )
        return row + 1

    def _ahp(self, row: int, config: Config) -> int:
        sheet, lang = self.sheet, self.lang
        assert config.ahp is not None
        row = self._title(row, "ahp")
        sheet.write_string(row, 0, text("cfg_ahp_allow", lang), self.label)
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        sheet.write_string(row, 1, yes if config.ahp.allow_inconsistent else no, self.input)
        sheet.write_string(row, 2, self._note("ahp.allow"), self.help)
        self._list(row, 1, row, 1, [yes, no])
        row += 1
        # Numbered, so this row never looks like a header of customer fields to the data-sheet search.
        names = [f"{i}. {c.display(lang)}" for i, c in enumerate(config.criteria, start=1)]
        sheet.write_row(row, 0, [text("criterion", lang), *names], self.header)
        for name, values in zip(names, config.ahp.matrix, strict=True):
            row += 1
            sheet.write_string(row, 0, name, self.label)
            for column, value in enumerate(values, start=1):
                fraction = _as_fraction(value)
                if fraction is None:
                    sheet.write_number(row, column, value, self.input)
                else:
                    sheet.write_string(row, column, fraction, self.input)
        return row + 1

    def _run(self, row: int, facts: Sequence[tuple[str, Any]]) -> None:
        sheet = self.sheet
        row = self._title(row, "run")
        for key, value in facts:
            sheet.write_string(row, 0, text(key, self.lang), self.label)
            if isinstance(value, bool) or not isinstance(value, int | float):
                sheet.write_string(row, 1, str(value))
            else:
                sheet.write_number(row, 1, value)
            row += 1

    def _header(
        self, row: int, section: str, columns: list[str], labels: Mapping[str, tuple[str, ...]]
    ) -> None:
        for column, key in enumerate(columns):
            self.sheet.write_string(row, column, text(labels[key][0], self.lang), self.header)
            self.sheet.write_comment(
                row,
                column,
                self._note(f"{section}.{key}"),
                {"author": "kactier", "x_scale": 2.2, "y_scale": 1.4},
            )

    def _error(self) -> dict[str, str]:
        title = "配置值无效" if self.lang == "zh" else "Invalid setting"
        message = "请查看表头批注中的说明。" if self.lang == "zh" else "See the note on the column header."
        return {"error_title": title, "error_message": message}

    def _list(self, first: int, column: int, last: int, last_column: int, options: list[str]) -> None:
        self.sheet.data_validation(
            first, column, last, last_column, {"validate": "list", "source": options, **self._error()}
        )

    def _decimal(self, first: int, column: int, last: int, low: float, high: float | None) -> None:
        rule: dict[str, Any] = (
            {"criteria": ">=", "value": low}
            if high is None
            else {"criteria": "between", "minimum": low, "maximum": high}
        )
        self.sheet.data_validation(
            first, column, last, column, {"validate": "decimal", **rule, **self._error()}
        )

    def _whole(self, first: int, column: int, last: int, last_column: int, low: int, high: int) -> None:
        self.sheet.data_validation(
            first,
            column,
            last,
            last_column,
            {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high, **self._error()},
        )


def _field_text(field: str, lang: Lang) -> str:
    """A canonical field as its column header in ``lang``; any other header as written."""
    known = FIELD_BY_KEY.get(field)
    return known.label(lang) if known is not None else field


def _join(values: Sequence[float] | None) -> str:
    return "" if values is None else ", ".join(f"{v:g}" for v in values)


def _as_fraction(value: float) -> str | None:
    """``1/3`` for the reciprocal of a whole number (exact in the sheet, as AHP judgements are written)."""
    if 0 < value < 1:
        inverse = 1 / value
        if abs(inverse - round(inverse)) < 1e-9:
            return f"1/{round(inverse)}"
    return None


# -- reading ------------------------------------------------------------------------------------------------------


def read_config_sheet(path: Path, password: str | None = None) -> SheetConfig | None:
    """The config of the workbook's Config sheet, or None when it has none (or is not a zip-based workbook).

    With ``password``, an encrypted workbook (not a zip until decrypted) is opened and its Config sheet read too.

    A sheet counts when it is named 配置 / Config and carries the marker in its first rows; its problems raise
    :class:`ConfigError` naming the cell.
    """
    if password is None and not check_input(path).startswith(_ZIP_MAGIC):
        return None
    book = open_workbook(path, password=password)
    try:
        for name in book.sheet_names:
            if not is_config_sheet_name(name):
                continue
            rows = _sheet_rows(book, path, name)
            if _marker_row(rows) is not None:
                return SheetConfig(config_from_rows(rows, path=path, sheet=name), name)
    finally:
        book.close()
    return None


def _sheet_rows(book: calamine.CalamineWorkbook, path: Path, name: str) -> list[list[Any]]:
    try:
        cells: list[list[Any]] = book.get_sheet_by_name(name).to_python(
            skip_empty_area=False, nrows=_MAX_ROWS
        )
    except (calamine.CalamineError, ValueError) as exc:
        raise ConfigError(f"{path}: the Config sheet {name!r} cannot be read ({exc})") from None
    return [row[:_MAX_COLUMNS] for row in cells]


def _marker_row(rows: list[list[Any]]) -> int | None:
    markers = {normalize_header(text("cfg_marker", lang)) for lang in _LANGS}
    for index, row in enumerate(rows[:_MARKER_SEARCH_ROWS]):
        if row and isinstance(row[0], str) and normalize_header(row[0]) in markers:
            return index
    return None


def _index(groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Every accepted spelling (the key, and each label in both languages), folded -> key."""
    index: dict[str, str] = {}
    for key, labels in groups.items():
        for name in (key, *(text(label, lang) for label in labels for lang in _LANGS)):
            index.setdefault(normalize_header(name), key)
    return index


def _shown(groups: Mapping[str, tuple[str, ...]], keys: Sequence[str] | None = None) -> str:
    return ", ".join(
        f"{text(groups[k][0], 'zh')} / {text(groups[k][0], 'en')}" for k in (keys or list(groups))
    )


class _Where:
    """Names cells of one sheet, and raises the error for a cell."""

    def __init__(self, path: Path, sheet: str) -> None:
        self.path = path
        self.sheet = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"

    def ref(self, row: int, column: int, last_row: int | None = None, last_column: int | None = None) -> str:
        first = f"{xl_col_to_name(column)}{row + 1}"
        if last_row is None or (last_row == row and last_column == column):
            return f"{self.sheet}!{first}"
        end = f"{xl_col_to_name(column if last_column is None else last_column)}{last_row + 1}"
        return f"{self.sheet}!{first}:{end}"

    def error(self, ref: str, problem: str, hint: str) -> ConfigError:
        return ConfigError(f"{self.path}: Config sheet, cell {ref}: {problem}; {hint}")


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(row: list[Any], column: int | None) -> Any:
    if column is None or column >= len(row):
        return ""
    return row[column]


@dataclass(slots=True)
class _Section:
    title_row: int
    rows: list[int]  # sheet row indexes of the section's body


def _split_sections(rows: list[list[Any]], marker: int, where: _Where) -> dict[str, _Section]:
    titles = _index({key: (label,) for key, label in _SECTIONS.items()})
    shown = ", ".join(f"{text(k, 'zh')} / {text(k, 'en')}" for k in _SECTIONS.values())
    sections: dict[str, _Section] = {}
    index = marker + 1
    while index < len(rows) and not (  # free text (the hint) until the first section title
        isinstance(_cell(rows[index], 0), str) and normalize_header(_cell(rows[index], 0)) in titles
    ):
        index += 1
    while index < len(rows):
        row = rows[index]
        if all(_blank(c) for c in row):
            index += 1
            continue
        first = _cell(row, 0)
        key = titles.get(normalize_header(first)) if isinstance(first, str) else None
        if key is None:
            raise where.error(
                where.ref(index, 0),
                f"{first!r} is not a section title",
                f"each section starts with one of {shown} in column A and ends at the first blank row; "
                "delete the blank row inside a table or restore the title",
            )
        if key in sections:
            raise where.error(
                where.ref(index, 0), f"a second {first!r} section", "keep one and delete the other"
            )
        body = index + 1
        end = body
        while end < len(rows) and not all(_blank(c) for c in rows[end]):
            end += 1
        sections[key] = _Section(index, list(range(body, end)))
        index = end
    for needed in ("criteria", "tiers"):
        if needed not in sections:
            label = f"{text(_SECTIONS[needed], 'zh')} / {text(_SECTIONS[needed], 'en')}"
            raise where.error(
                where.ref(marker, 0),
                f"the Config sheet has no {label} section",
                "restore it, or make a fresh one with `kactier template`",
            )
    return sections


class _Parser:
    """Reads the cells of each section into the config mapping, naming the cell of every problem."""

    def __init__(self, rows: list[list[Any]], where: _Where) -> None:
        self.rows = rows
        self.where = where
        self.places: dict[tuple[Any, ...], str] = {}  # config location -> cell reference, for model errors

    def fail(self, row: int, column: int, problem: str, hint_key: str) -> ConfigError:
        return self.where.error(self.where.ref(row, column), problem, _HINTS[hint_key])

    # cells

    def text_value(self, row: int, column: int | None) -> str | None:
        cell = _cell(self.rows[row], column)
        if _blank(cell):
            return None
        if isinstance(cell, bool):
            return "yes" if cell else "no"
        return cell.strip() if isinstance(cell, str) else id_text(cell)

    def number(self, row: int, column: int | None, hint_key: str, what: str) -> float | None:
        cell = _cell(self.rows[row], column)
        if _blank(cell):
            return None
        assert column is not None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return float(cell)
        if isinstance(cell, str):
            value, _ = parse_number(cell)
            if value is not None:
                return value
        raise self.fail(row, column, f"{what} {cell!r} is not a number", hint_key)

    def whole(self, row: int, column: int | None, hint_key: str, what: str) -> int | None:
        value = self.number(row, column, hint_key, what)
        if value is None:
            return None
        assert column is not None
        if not value.is_integer():
            raise self.fail(row, column, f"{what} {value:g} is not a whole number", hint_key)
        return int(value)

    def share(self, row: int, column: int | None, hint_key: str, what: str) -> float | None:
        """A share as 0.8, 80% or 80 (a share above 1 can only be meant as a percentage)."""
        value = self.number(row, column, hint_key, what)
        if value is not None and 1 < value <= 100:
            return value / 100
        return value

    def option(self, row: int, column: int | None, group: str, hint_key: str) -> str | None:
        cell = self.text_value(row, column)
        if cell is None:
            return None
        assert column is not None
        folded = normalize_header(cell)
        for token, words in _OPTIONS[group].items():
            if folded in {normalize_header(w) for w in (token, *words)}:
                return token
        raise self.fail(row, column, f"{cell!r} is not a choice here", hint_key)

    def numbers(self, row: int, column: int | None, hint_key: str) -> list[float] | None:
        cell = _cell(self.rows[row], column)
        if _blank(cell):
            return None
        assert column is not None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return [float(cell)]
        parts = [p for p in _LIST_SPLIT.split(str(cell)) if p]
        values = [parse_number(p)[0] for p in parts]
        if not values or any(v is None for v in values):
            raise self.fail(row, column, f"{cell!r} is not a list of numbers", hint_key)
        return [float(v) for v in values if v is not None]

    # sections

    def settings(self, section: _Section | None) -> dict[str, Any]:
        if section is None:
            return {}
        index = _index(_SETTINGS)
        found: dict[str, Any] = {}
        for row in section.rows:
            label = _cell(self.rows[row], 0)
            key = index.get(normalize_header(label)) if isinstance(label, str) else None
            if key is None:
                raise self.where.error(
                    self.where.ref(row, 0),
                    f"{label!r} is not a setting",
                    f"use one of {_shown(_SETTINGS)}, or leave a blank row before the next section",
                )
            if key in found:
                raise self.where.error(self.where.ref(row, 0), f"{label!r} is set twice", "keep one row")
            self.places[("tiers", key) if key in ("method", "value", "provisional_months") else (key,)] = (
                self.where.ref(row, 1)
            )
            if key in ("weights", "method"):
                value: Any = self.option(row, 1, key, key)
            elif key in ("score_decimals", "provisional_months"):
                value = self.whole(row, 1, key, text(_SETTINGS[key][0], "en"))
            elif key == "value":
                value = _field_key(self.text_value(row, 1))
            else:
                value = self.text_value(row, 1)
            found[key] = value
        return {k: v for k, v in found.items() if v is not None}

    def header(self, section: _Section, groups: Mapping[str, tuple[str, ...]], name: str) -> dict[str, int]:
        """Column key -> column index from the section's header row."""
        if not section.rows:
            raise self.where.error(
                self.where.ref(section.title_row + 1, 0),
                f"the {name} table has no header row",
                f"put the header ({_shown(groups)}) on the row below the title",
            )
        row = section.rows[0]
        index = _index(groups)
        columns: dict[str, int] = {}
        for column, cell in enumerate(self.rows[row]):
            if _blank(cell):
                continue
            key = index.get(normalize_header(cell)) if isinstance(cell, str) else None
            if key is None:
                raise self.where.error(
                    self.where.ref(row, column),
                    f"{cell!r} is not a column of the {name} table",
                    f"use the headers {_shown(groups)}",
                )
            if key in columns:
                raise self.where.error(self.where.ref(row, column), f"a second {cell!r} column", "delete one")
            columns[key] = column
        return columns

    def criteria(self, section: _Section, weights: str) -> list[dict[str, Any]]:
        columns = self.header(section, _CRITERIA_COLUMNS, "criteria")
        if "field" not in columns:
            raise self.where.error(
                self.where.ref(section.rows[0], 0),
                f"the criteria table has no {_shown(_CRITERIA_COLUMNS, ['field'])} column",
                "add it: it names each criterion's column in the data sheet",
            )
        body = section.rows[1:]
        if not body:
            raise self.where.error(
                self.where.ref(section.rows[0] + 1, 0),
                "the criteria table has no criterion",
                "add at least one criterion row below the header",
            )
        last_column = max(columns.values())
        self.places[("criteria",)] = self.where.ref(body[0], 0, body[-1], last_column)
        criteria: list[dict[str, Any]] = []
        for position, row in enumerate(body):
            get = columns.get
            for key, column in columns.items():
                self.places[("criteria", position, key)] = self.where.ref(row, column)
            self.places[("criteria", position)] = self.where.ref(row, 0, row, last_column)
            field = _field_key(self.text_value(row, get("field")))
            if field is None:
                raise self.fail(row, columns["field"], "the criterion has no data column", "criteria.field")
            item: dict[str, Any] = {"field": field}
            weight = self.number(row, get("weight"), "criteria.weight", "weight")
            if weight is None and weights == "manual":
                column = get("weight", columns["field"])
                raise self.fail(row, column, "the weight is empty", "criteria.weight")
            if weight is not None and weight < 0 and weights == "manual":
                raise self.fail(
                    row, columns["weight"], f"the weight {weight:g} is negative", "criteria.weight"
                )
            if weight is not None:
                item["weight"] = weight
            for key in ("direction", "normalize", "missing"):
                chosen = self.option(row, get(key), key, f"criteria.{key}")
                if chosen is not None:
                    item[key] = chosen
            for key in ("bins", "points"):
                values = self.numbers(row, get(key), f"criteria.{key}")
                if values is not None:
                    item[key] = values
            label = self.text_value(row, get("label"))
            if label is not None and not _is_default_label(label, field):
                item["label"] = label
            criteria.append(item)
        return criteria

    def tiers(self, section: _Section, settings: dict[str, Any]) -> dict[str, Any]:
        columns = self.header(section, _TIER_COLUMNS, "tiers")
        if "label" not in columns:
            raise self.where.error(
                self.where.ref(section.rows[0], 0),
                f"the tiers table has no {_shown(_TIER_COLUMNS, ['label'])} column",
                "add it: one tier name per row, best first",
            )
        body = section.rows[1:]
        method = settings.get("method", "thresholds")
        last_column = max(columns.values())
        if body:
            self.places[("tiers",)] = self.where.ref(body[0], 0, body[-1], last_column)
            self.places[("tiers", "levels")] = self.places[("tiers",)]
        get = columns.get
        levels: list[dict[str, Any]] = []
        minimums: list[float | None] = []
        cuts: list[tuple[int, float | None]] = []
        shares: list[tuple[int, float | None]] = []
        for position, row in enumerate(body):
            for key, column in columns.items():
                self.places[("tiers", "levels", position, key)] = self.where.ref(row, column)
            self.places[("tiers", "levels", position)] = self.where.ref(row, 0, row, last_column)
            label = self.text_value(row, columns["label"])
            if label is None:
                raise self.fail(row, columns["label"], "the tier has no name", "tiers.label")
            level: dict[str, Any] = {"label": label}
            minimum = self.number(row, get("min_score"), "tiers.min_score", "minimum score")
            minimums.append(minimum)
            if method == "thresholds" and minimum is not None:
                level["min_score"] = minimum
            cuts.append((row, self.share(row, get("cut"), "tiers.cut", "cumulative share")))
            shares.append((row, self.share(row, get("share"), "tiers.share", "share of customers")))
            color = self.text_value(row, get("color"))
            if color is not None:
                level["color"] = color if color.startswith("#") else f"#{color}"
            for key in ("action", "service_level"):
                value = self.text_value(row, get(key))
                if value is not None:
                    level[key] = value
            days = self.whole(row, get("follow_up_days"), "tiers.follow_up_days", "follow-up days")
            if days is not None:
                level["follow_up_days"] = days
            levels.append(level)
        if method == "thresholds" and body:
            self._check_minimums(body, minimums, get("min_score"))
        tiers: dict[str, Any] = {"levels": levels}
        for key in ("method", "value", "provisional_months"):
            if key in settings:
                tiers[key] = settings[key]
        if method == "pareto" and "cut" in columns:
            found = self._per_tier(cuts, columns["cut"], "tiers.cut", "cumulative share")
            if found is not None:
                tiers["cuts"] = found
                self.places[("tiers", "cuts")] = self._column_ref(body, columns["cut"])
        if method == "quantile" and "share" in columns:
            found = self._per_tier(shares, columns["share"], "tiers.share", "share of customers")
            if found is not None:
                tiers["shares"] = found
                self.places[("tiers", "shares")] = self._column_ref(body, columns["share"])
        return tiers

    def _check_minimums(self, body: list[int], minimums: list[float | None], column: int | None) -> None:
        """thresholds: a minimum on every tier but the last, decreasing downwards; the cell that breaks it."""
        hint = "tiers.min_score"
        if column is None:
            raise self.where.error(
                self.where.ref(body[0] - 1, 0),
                f"tier method thresholds needs the {_shown(_TIER_COLUMNS, ['min_score'])} column",
                _HINTS[hint],
            )
        self.places[("tiers", "min_score")] = self._column_ref(body, column)
        previous: float | None = None
        for row, minimum in zip(body[:-1], minimums[:-1], strict=True):
            if minimum is None:
                raise self.fail(row, column, "the minimum score is empty", hint)
            if previous is not None and minimum >= previous:
                raise self.fail(
                    row,
                    column,
                    f"the minimum score {minimum:g} is not below the tier above ({previous:g})",
                    hint,
                )
            previous = minimum
        if minimums[-1] is not None:
            raise self.fail(
                body[-1],
                column,
                "the last tier takes every remaining customer; its minimum score must be empty",
                hint,
            )

    def _column_ref(self, body: list[int], column: int) -> str:
        return self.where.ref(body[0], column, body[-1], column)

    def _per_tier(
        self, values: list[tuple[int, float | None]], column: int, hint_key: str, what: str
    ) -> list[float] | None:
        """One value per tier but the last, or None when the column is empty (the method's defaults)."""
        given = [v for _, v in values[:-1]]
        if all(v is None for v in given):
            return None
        for row, value in values[:-1]:
            if value is None:
                raise self.fail(row, column, f"the {what} is empty", hint_key)
        last_row, last = values[-1]
        if last is not None and last < 0.9999:
            raise self.fail(
                last_row, column, f"the last tier takes the rest; its {what} must be empty", hint_key
            )
        return [float(v) for v in given if v is not None]

    def ahp(self, section: _Section | None) -> dict[str, Any]:
        if section is None or not section.rows:
            where = self.where.ref(section.title_row if section else 0, 0)
            raise self.where.error(
                where,
                "weights = ahp needs the AHP matrix section",
                "add an AHP 判断矩阵 / AHP matrix section (make the template with --config from a TOML config "
                "that has an [ahp] table), or choose another weight method",
            )
        body = list(section.rows)
        self.places[("ahp",)] = self.where.ref(section.title_row, 0, body[-1], 0)
        allow = False
        first = _cell(self.rows[body[0]], 0)
        if isinstance(first, str) and normalize_header(first) in _index(
            {"allow_inconsistent": ("cfg_ahp_allow",)}
        ):
            row = body.pop(0)
            cell = self.text_value(row, 1)
            folded = normalize_header(cell or "no")
            answers = {normalize_header(w): flag for flag, words in _BOOLEANS.items() for w in words}
            if folded not in answers:
                raise self.fail(row, 1, f"{cell!r} is not yes or no", "ahp.allow")
            allow = answers[folded]
        if not body:
            raise self.where.error(
                self.where.ref(section.title_row, 0), "the AHP matrix is empty", _HINTS["ahp"]
            )
        header = body.pop(0)
        size = sum(1 for c in self.rows[header][1:] if not _blank(c))
        if body:
            self.places[("ahp",)] = self.where.ref(body[0], 1, body[-1], max(size, 1))
        matrix: list[list[Any]] = []
        for row in body:
            values: list[Any] = []
            for column in range(1, size + 1):
                cell = _cell(self.rows[row], column)
                if _blank(cell):
                    raise self.fail(row, column, "the comparison is empty", "ahp")
                values.append(cell.strip() if isinstance(cell, str) else cell)
            matrix.append(values)
        return {"matrix": matrix, "allow_inconsistent": allow}


def config_from_rows(rows: list[list[Any]], *, path: Path, sheet: str) -> Config:
    """Read a Config sheet's cells (rows of values, A1 first) into a validated :class:`Config`."""
    where = _Where(path, sheet)
    marker = _marker_row(rows)
    if marker is None:
        raise where.error(
            where.ref(0, 0),
            f"no {text('cfg_marker', 'zh')!r} / {text('cfg_marker', 'en')!r} marker",
            "restore the title in cell A1, or make a fresh Config sheet with `kactier template`",
        )
    sections = _split_sections(rows, marker, where)
    parser = _Parser(rows, where)
    settings = parser.settings(sections.get("settings"))
    weights = settings.get("weights", "manual")
    data: dict[str, Any] = {
        key: settings[key] for key in ("name", "description", "weights", "score_decimals") if key in settings
    }
    data["criteria"] = parser.criteria(sections["criteria"], weights)
    data["tiers"] = parser.tiers(sections["tiers"], settings)
    if weights == "ahp":
        data["ahp"] = parser.ahp(sections.get("ahp"))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise _located(exc, parser.places, where) from None


def _located(exc: ValidationError, places: Mapping[tuple[Any, ...], str], where: _Where) -> ConfigError:
    """The first problem the config model found, at the most precise cell known for its location."""
    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    loc: tuple[Any, ...] = tuple(err["loc"])
    if not loc:  # the whole config: criteria and weights, or the AHP matrix
        loc = ("ahp",) if "ahp" in message and ("ahp",) in places else ("criteria",)
    elif loc == ("tiers",):  # the tier table as a whole: point at the column the message is about
        for word, column in (("min_score", "min_score"), ("cuts", "cuts"), ("shares", "shares")):
            if word in message and ("tiers", column) in places:
                loc = ("tiers", column)
                break
    hint = _hint(loc)
    while loc and loc not in places:
        loc = loc[:-1]
    return where.error(places.get(loc, where.ref(0, 0)), message, hint)


def _hint(loc: tuple[Any, ...]) -> str:
    """What to enter at a config location such as ("tiers", "levels", 2, "color")."""
    names = [str(part) for part in loc if not isinstance(part, int)]
    if names[:2] == ["tiers", "levels"]:
        names = ["tiers", *names[2:]]
    if names[:1] == ["tiers"] and len(names) == 2 and names[1] in _HINTS:  # method, value, provisional_months
        names = names[1:]
    for size in range(len(names), 0, -1):
        key = ".".join(names[:1] + names[1:size][-1:]) if size > 1 else names[0]
        if key in _HINTS:
            return _HINTS[key]
    return "see the note on the column header"


def _field_key(value: str | None) -> str | None:
    """A header that names a canonical field becomes the field's key; any other header stays as written."""
    if value is None:
        return None
    if value in FIELD_BY_KEY:
        return value
    return match_header(value) or value


def _is_default_label(label: str, field: str) -> bool:
    known = FIELD_BY_KEY.get(field)
    names = {field, *(known.label(lang) for lang in _LANGS)} if known else {field}
    return normalize_header(label) in {normalize_header(n) for n in names}


__all__ = [
    "SheetConfig",
    "config_from_rows",
    "is_config_sheet_name",
    "read_config_sheet",
    "write_config_sheet",
]
