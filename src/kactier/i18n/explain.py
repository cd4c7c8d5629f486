"""Texts of the grade explanations (评级说明, 距上一级差距, 提升建议) and tier stability (级别稳定度): column headers,
cell wordings, the Summary section and the CLI options. Each entry is (简体中文, English)."""

from __future__ import annotations

EXPLAIN: dict[str, tuple[str, str]] = {
    # -- the added columns ----------------------------------------------------------------------------------------
    "why": ("评级说明", "Why"),
    "tier_gap": ("距上一级差距", "Points to next tier"),
    "best_lever": ("提升建议", "Best lever"),
    "tier_stability": ("级别稳定度", "Tier stability"),
    # -- 评级说明 / Why -------------------------------------------------------------------------------------------
    "why.first_above": ("{name} {points} 分高于 {tier} 级均值", "{name} {points}, above the {tier} mean"),
    "why.first_below": ("{name} {points} 分低于 {tier} 级均值", "{name} {points}, below the {tier} mean"),
    "why.then_above": ("{name} {points} 分偏高", "{name} {points}, high"),
    "why.then_below": ("{name} {points} 分偏低", "{name} {points}, low"),
    "why.join": ("；", "; "),
    "why.at_mean": ("各项均与 {tier} 级均值持平", "every criterion at the {tier} mean"),
    "why.by_value": (
        "按{name}分级：{value}，占总额 {share}",
        "graded by {name}: {value}, {share} of the total",
    ),
    "why.by_value_in_group": (
        "按{name}分级：{value}，占本组总额 {share}",
        "graded by {name}: {value}, {share} of the group's total",
    ),
    # -- 提升建议 / Best lever ------------------------------------------------------------------------------------
    "lever.points": ("{name} +{gain} 分（至 {to}）", "{name} +{gain} points (to {to})"),
    "lever.value": ("{name} +{gain}", "{name} +{gain}"),
    "lever.approximate": ("（约）", " (approx.)"),
    "lever.none": ("单项无法达到", "no single criterion reaches it"),
    # -- 级别稳定度 / Tier stability -----------------------------------------------------------------------------
    "stability.by_value": ("不受权重影响", "independent of weights"),
    "stability.topsis": ("TOPSIS 下未计算", "not computed under TOPSIS"),
    "borderline": ("临界", "borderline"),
    "stability_section": (
        "临界客户（级别稳定度 < {limit}，权重 ±20% 扰动 {draws} 次）",
        "Borderline customers (tier stability < {limit} over {draws} draws of ±20% weights)",
    ),
    "stability_by_value": (
        "级别按数值划分，不受权重影响：无临界客户",
        "Tiers by value do not depend on the weights: no customer is borderline",
    ),
    "borderline_count": ("临界客户数", "Borderline"),
    "borderline_share": ("占本级比例", "Share of tier"),
    "borderline_lowest": ("稳定度最低的客户", "Least stable customers"),
    "stability_topsis": (
        "TOPSIS 的理想解随权重变化，未计算级别稳定度",
        "Under TOPSIS the ideal points move with the weights: tier stability is not computed",
    ),
}
