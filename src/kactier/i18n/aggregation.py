"""Texts of the aggregation methods (``aggregation``: weighted sum, TOPSIS, weighted product) and the ``vector``
normalisation: run notes, the issue detail, Config sheet labels and help, template rules. Each entry is (简体中文,
English)."""

from __future__ import annotations

AGGREGATION: dict[str, tuple[str, str]] = {
    # -- run notes and the issue detail -------------------------------------------------------------------------
    "note.topsis": (
        "综合得分为 TOPSIS 贴近度 × 100；各指标得分列为客户在该指标最差值（0）与最优值（100）之间的位置",
        "the score is the TOPSIS closeness × 100; each criterion's points column shows where the customer lies "
        "between that criterion's worst (0) and best (100) value",
    ),
    "note.topsis_tied": (
        "{count} 位客户的各项指标都无差别（正理想解与负理想解重合），贴近度记 0.5，得分 {score}",
        "{count} customers differ on no criterion (the ideal and the anti-ideal coincide): closeness 0.5, "
        "score {score}",
    ),
    "note.weighted_product": (
        "综合得分为各指标得分的加权乘积（加权几何平均），低于 {floor} 分的得分按 {floor} 分计",
        "the score is the weighted product of the points (their weighted geometric mean); points below {floor} "
        "count as {floor}",
    ),
    "detail.vector_nonnegative": (
        "≥ 0（向量标准化 x/√Σx² 要求非负值；含负值的指标请改用 minmax）",
        "≥ 0 (vector normalisation x/√Σx² needs values of 0 or more; use minmax for a criterion with negatives)",
    ),
    # -- Config sheet ---------------------------------------------------------------------------------------------
    "aggregation_method": ("综合方法", "Aggregation"),
    "cfg_help.aggregation": (
        "weighted-sum 加权求和 · topsis 逼近理想解排序法（贴近度 × 100）· weighted-product 加权乘积（几何加权，"
        "低于 1 分按 1 分计）",
        "weighted-sum · topsis: closeness to the ideal × 100 · weighted-product: weighted geometric mean "
        "(points below 1 count as 1)",
    ),
    # -- template rules (Instructions) ----------------------------------------------------------------------------
    "tpl.normalize.vector": (
        "向量标准化：值 ÷ √(各值平方和)，用于 TOPSIS",
        "vector: value ÷ √(sum of squares), for TOPSIS",
    ),
    "tpl.aggregation.topsis": (
        "综合得分按 TOPSIS 计算：与各指标最优值（正理想解）和最差值（负理想解）的加权距离之比，贴近度 × 100。",
        "The score is the TOPSIS closeness × 100: the weighted distance to each criterion's worst value over the "
        "distances to its best and its worst.",
    ),
    "tpl.aggregation.weighted-product": (
        "综合得分按加权乘积计算：各指标得分的加权几何平均（低于 1 分按 1 分计）。",
        "The score is the weighted product: the weighted geometric mean of the points (points below 1 count as 1).",
    ),
}
