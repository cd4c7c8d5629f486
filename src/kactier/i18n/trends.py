"""Texts of the early warning (流失预警) and of the trends across runs: the data sheet's 预警 column, the Summary's
sections, the Changes sheet's score series and ``kactier history --trend``."""

TRENDS: dict[str, tuple[str, str]] = {
    # data sheet and Summary: early warning
    "at_risk": ("预警", "At risk"),
    "warn_p_alive": ("活跃概率 {p_alive} 低于 {threshold}", "P(alive) {p_alive} below {threshold}"),
    "warn_falling": ("得分连续两次下降：{scores}", "score fell in each of the last two runs: {scores}"),
    "warn_joiner": ("；", "; "),
    "section_at_risk": (
        "流失预警：{tiers} 级中活跃概率低于 {threshold} 或得分连续两次下降的客户，按负责人与风险价值排序",
        "At risk: {tiers} customers with P(alive) below {threshold} or a score that fell in each of the last two "
        "runs, by owner and value at risk",
    ),
    "at_risk_value": ("风险价值（{value}）", "Value at risk ({value})"),
    "at_risk_reason": ("预警原因", "Why"),
    "at_risk_none": ("没有预警客户", "No customer is at risk"),
    "at_risk_more": (
        "另有 {count} 位预警客户未列出：见数据表的“预警”列",
        "{count} more customers at risk are not listed: see the data sheet's At risk column",
    ),
    # Summary: trend across runs
    "section_trend": (
        "各次评级趋势：各级客户数与平均分",
        "Trend across runs: customers and mean score per tier",
    ),
    "trend_run": ("评级", "Run"),
    "trend_this_run": ("本次", "This run"),
    "trend_mean_of": ("{tier} 平均分", "{tier} mean score"),
    "chart_trend": ("各级客户数趋势", "Customers per tier, run by run"),
    # Summary: conversion since the previous run
    "section_conversion": ("销售转化率（与上次评级相比）", "Sales conversion since the previous run"),
    "conv_open_before": ("上次为潜在/目标/意向客户", "Prospect, target or intent before"),
    "conv_converted": ("转为现实客户", "Now active"),
    "conv_rate": ("转化率", "Conversion rate"),
    "conv_known_before": ("上次未流失", "Not churned before"),
    "conv_churned": ("转为流失客户", "Now churned"),
    "conv_churn_rate": ("流失率", "Churn rate"),
    "conv_no_stages": (
        "上次评级没有记录客户状态，无法计算转化率（下次评级起可见）",
        "The previous run recorded no lifecycle stage, so there is no conversion yet (it shows from the next run)",
    ),
    # Changes sheet
    "score_trend": ("得分走势", "Score trend"),
    # kactier history
    "term.history.trajectory": ("得分走势：{series}", "Score trajectory: {series}"),
    "term.trend.title": ("{input} · 级别 {tiers}", "{input} · tiers {tiers}"),
    "term.trend.run": ("运行", "run"),
    "term.trend.as_of": ("基准日", "as of"),
    "term.trend.total": ("合计", "total"),
    "term.trend.mean": ("{tier} 均分", "{tier} mean"),
    "term.trend.none": ("历史数据库 {path} 中还没有评级记录", "The history {path} holds no run yet"),
    "cli.history.no_customer": (
        "请给出客户编号（kactier history C001），或用 --trend 查看各次评级的级别分布",
        "Give a customer id (kactier history C001), or --trend for the tier counts run by run",
    ),
}
