"""The Config sheet's layout (配置 / Config), shared by its writer and its parser: a scoring config as cells.

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
from typing import Any

from ..fields import FIELD_BY_KEY, match_header, normalize_header
from ..i18n import LANGS, Lang, text

MARKER_SEARCH_ROWS = 10

# Section key -> i18n label key.
SECTIONS: dict[str, str] = {
    "settings": "cfg_settings",
    "criteria": "criteria",
    "tiers": "tiers",
    "ahp": "ahp_matrix",
    "run": "run_facts",
    "segments": "cfg_segments",  # with [segments] only, as is the next
    "segment_cells": "cfg_segment_cells",
    "columns": "mapping.title",  # written in a graded workbook, never read back
}
# TOML key -> i18n label keys (the first is the one written; all are read).
SETTINGS: dict[str, tuple[str, ...]] = {
    "name": ("cfg_name", "config_name"),
    "description": ("description",),
    "weights": ("weight_method",),
    "aggregation": ("aggregation_method",),
    "method": ("tier_method",),
    "value": ("tier_value",),
    "score_decimals": ("score_decimals",),
    "provisional_months": ("provisional_months",),
    "group_by": ("tier_group_by",),  # written only when the config has it, as capacity_per and capacity are
    "capacity_per": ("capacity_per",),
    "prediction_months": (
        "prediction_months",
    ),  # written only when [prediction] is not the default, as the next
    "discount_rate": ("discount_rate",),
    "at_risk_below": ("at_risk_below",),
}
CRITERIA_COLUMNS: dict[str, tuple[str, ...]] = {
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
TIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("tier",),
    "min_score": ("min_score",),
    "cut": ("cfg_cut",),
    "share": ("cfg_share",),
    "color": ("color",),
    "action": ("action",),
    "service_level": ("service_level",),
    "follow_up_days": ("follow_up_days",),
    "capacity": ("cfg_capacity",),
}
# Accepted words for each choice: the TOML value itself, and the Chinese and English ways of saying it.
OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "weights": {
        "manual": ("手工权重", "手工", "手动", "人工"),
        "entropy": ("熵权法", "熵权"),
        "critic": ("CRITIC法",),
        "ahp": ("层次分析法", "AHP法"),
    },
    "aggregation": {
        "weighted-sum": ("加权求和", "加权和", "线性加权", "weighted sum"),
        "topsis": ("TOPSIS法", "逼近理想解排序法", "优劣解距离法"),
        "weighted-product": ("加权乘积", "加权积", "weighted product"),
    },
    "segment_method": {"rfm": ("RFM模型", "RFM八类"), "matrix": ("矩阵", "二维矩阵")},
    "segment_split": {"mean": ("均值", "平均值", "平均数"), "median": ("中位数",)},
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
        "vector": ("向量标准化", "向量归一化", "vector normalisation"),
    },
    "missing": {
        "zero": ("记0分", "0分", "零"),
        "median": ("中位数", "取中位数"),
        "exclude": ("剔除", "剔除后重新加权", "重新加权"),
        "reject": ("不评级", "拒绝"),
    },
}
BOOLEANS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "true", "是", "允许", "y", "1"),
    False: ("no", "false", "否", "不允许", "n", "0"),
}
LIST_SPLIT = re.compile(r"[,，;；、\s]+")

# The answers written for a yes / no setting, in the sheet's language (both are among BOOLEANS).
YES_NO: dict[Lang, tuple[str, str]] = {"zh": ("是", "否"), "en": ("yes", "no")}


def is_config_sheet_name(name: str) -> bool:
    """True for the names a Config sheet goes by (配置, Config), in any case or width."""
    return normalize_header(name) in {normalize_header(text("sheet_config", lang)) for lang in LANGS}


def marker_row(rows: list[list[Any]]) -> int | None:
    """The row of the kactier marker in column A within the first rows, or None when the sheet has none."""
    markers = {normalize_header(text("cfg_marker", lang)) for lang in LANGS}
    for index, row in enumerate(rows[:MARKER_SEARCH_ROWS]):
        if row and isinstance(row[0], str) and normalize_header(row[0]) in markers:
            return index
    return None


def spellings(groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Every accepted spelling (the key, and each label in both languages), folded -> key."""
    index: dict[str, str] = {}
    for key, labels in groups.items():
        for name in (key, *(text(label, lang) for label in labels for lang in LANGS)):
            index.setdefault(normalize_header(name), key)
    return index


def shown(groups: Mapping[str, tuple[str, ...]], keys: Sequence[str] | None = None) -> str:
    """The written labels of ``keys`` (default: all of ``groups``), ``中文 / English``, for messages."""
    return ", ".join(
        f"{text(groups[k][0], 'zh')} / {text(groups[k][0], 'en')}" for k in (keys or list(groups))
    )


def field_text(field: str, lang: Lang) -> str:
    """A canonical field as its column header in ``lang``; any other header as written."""
    known = FIELD_BY_KEY.get(field)
    return known.label(lang) if known is not None else field


def field_key(value: str | None) -> str | None:
    """A header that names a canonical field becomes the field's key; any other header stays as written."""
    if value is None:
        return None
    if value in FIELD_BY_KEY:
        return value
    return match_header(value) or value


def is_default_label(label: str, field: str) -> bool:
    """True when a criterion's label is just its field's name (so it is not kept as a label of its own)."""
    known = FIELD_BY_KEY.get(field)
    names = {field, *(known.label(lang) for lang in LANGS)} if known else {field}
    return normalize_header(label) in {normalize_header(n) for n in names}
