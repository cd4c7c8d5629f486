"""Texts of customer segments (``[segments]``): the RFM segments and their actions, the added columns, the issue of a
customer left without a segment, the Summary section and the Config sheet. Each entry is (简体中文, English)."""

from __future__ import annotations

SEGMENTS: dict[str, tuple[str, str]] = {
    # -- the data sheet's columns -----------------------------------------------------------------------------
    "segment": ("客户细分", "Segment"),
    "segment_action": ("细分建议", "Segment action"),
    # -- the eight RFM segments (R, F, M high or low) and what each calls for ------------------------------------
    "segment.important-value": ("重要价值客户", "Important value"),
    "segment.important-development": ("重要发展客户", "Important development"),
    "segment.important-retention": ("重要保持客户", "Important retention"),
    "segment.important-win-back": ("重要挽留客户", "Important win-back"),
    "segment.general-value": ("一般价值客户", "General value"),
    "segment.general-development": ("一般发展客户", "General development"),
    "segment.general-retention": ("一般保持客户", "General retention"),
    "segment.general-win-back": ("一般挽留客户", "General win-back"),
    "segment_do.important-value": (
        "近期常买且金额高：保持专属服务与优先资源",
        "Recent, frequent, high spend: keep dedicated service and priority resources",
    ),
    "segment_do.important-development": (
        "近期买过、金额高但频次低：提升购买频次，交叉销售",
        "Recent, high spend, infrequent: raise the purchase frequency, cross-sell",
    ),
    "segment_do.important-retention": (
        "常买且金额高但近期未买：主动联系，了解原因，留住客户",
        "Frequent, high spend, not seen lately: get in touch, find out why, keep them",
    ),
    "segment_do.important-win-back": (
        "金额高但近期未买且频次低：重点挽回，防止流失",
        "High spend but neither recent nor frequent: win them back before they leave",
    ),
    "segment_do.general-value": (
        "近期常买但金额低：提升客单价，推荐高价值产品",
        "Recent and frequent, low spend: raise the order value, offer higher-value products",
    ),
    "segment_do.general-development": (
        "近期买过但频次与金额低：培育复购",
        "Recent, infrequent, low spend: nurture a repeat purchase",
    ),
    "segment_do.general-retention": (
        "常买但金额低且近期未买：低成本唤醒",
        "Frequent, low spend, not seen lately: re-activate at low cost",
    ),
    "segment_do.general-win-back": (
        "近期未买、频次与金额低：低成本维护或不再投入",
        "Not recent, infrequent, low spend: serve at low cost or stop investing",
    ),
    # -- a graded customer without a segment -------------------------------------------------------------------
    "issue.segment_missing": ("未能细分：{detail}", "no segment: {detail}"),
    "note.segment_missing": (
        "缺少{fields}，该客户不归入任何细分",
        "{fields} missing, so the customer is in no segment",
    ),
    "action.not_segmented": ("细分留空", "segment left blank"),
    "segment_see_issues": ("未细分：原因见问题表", "No segment: see the Issues sheet"),
    "segments.no_column": (
        "{where}：配置 [segments] 需要列“{header}”，此表中没有；此表的表头：{headers}。请在表中加上这一列，"
        "或在 [columns] 中指明哪一列是它",
        "{where}: the config's [segments] needs the column {header!r}, which this sheet does not have; its headers: "
        "{headers}. Add the column, or say in [columns] which column holds it",
    ),
    # -- Summary --------------------------------------------------------------------------------------------------
    "by_segment": ("客户细分", "Customers by segment"),
    "segment_grid": ("细分矩阵（客户数）", "Segment matrix (customers)"),
    "chart_segments": ("各细分客户数", "Customers by segment"),
    "no_segment": ("未细分", "No segment"),
    "segment_split.mean": ("按均值划分", "split at the mean"),
    "segment_split.median": ("按中位数划分", "split at the median"),
    "segment_splits": ("R / F / M 分界值", "R / F / M split values"),
    # -- Config sheet ------------------------------------------------------------------------------------------
    "cfg_segments": ("客户细分设置", "Segments"),
    "cfg_segment_cells": ("细分单元", "Segment cells"),
    "cfg_seg_method": ("细分方法", "Segment method"),
    "cfg_seg_split": ("划分依据", "Split at"),
    "cfg_seg_recency": ("R（最近购买）字段", "R (recency) field"),
    "cfg_seg_frequency": ("F（频次）字段", "F (frequency) field"),
    "cfg_seg_monetary": ("M（金额）字段", "M (monetary) field"),
    "cfg_seg_rows": ("行维度", "Rows"),
    "cfg_seg_columns": ("列维度", "Columns"),
    "cfg_seg_dimension": ("维度", "Dimension"),
    "cfg_seg_dim.name": ("名称", "Name"),
    "cfg_seg_dim.method": ("方法", "Method"),
    "cfg_seg_dim.value": ("字段", "Field"),
    "cfg_seg_dim.criteria": ("指标", "Criteria"),
    "cfg_seg_dim.numbers": ("分数线 / 累计占比 / 客户占比", "Minimums / cuts / shares"),
    "cfg_seg_dim.labels": ("级别名称", "Level labels"),
    "cfg_seg_key": ("细分", "Segment key"),
    "cfg_seg_label": ("名称", "Label"),
    "cfg_help.segments.method": (
        "rfm：R/F/M 各按均值分高低，得八类客户；matrix：两个维度各自分级，组成 A1–C3 这样的单元",
        "rfm: R, F and M each high or low against their mean, eight segments; matrix: two dimensions, each graded, "
        "giving cells like A1–C3",
    ),
    "cfg_help.segments.split": ("rfm：mean（均值）或 median（中位数）", "rfm: mean or median"),
    "cfg_help.segments.field": ("rfm：字段或表头", "rfm: a field or header"),
    "cfg_help.segments.dimension": (
        "方法; 字段或“指标:字段,字段”; 参数（分数线/累计占比/客户占比）; 级别名称。以 | 分隔",
        "method; a field, or 'criteria: field, field'; its numbers (minimums / cuts / shares); level labels. "
        "Separated by |",
    ),
    "cfg_help.segment_cells": (
        "每个细分一行：名称、颜色（#RRGGBB）和建议措施，可改写",
        "One row per segment: its label, colour (#RRGGBB) and action, which you may change",
    ),
}
