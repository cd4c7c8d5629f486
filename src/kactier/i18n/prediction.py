"""Texts of the order-history models (BG/NBD and Gamma-Gamma): the fields they give and the notes of a fit."""

PREDICTION: dict[str, tuple[str, str]] = {
    "prediction_months": ("预测月数", "Prediction months"),
    "discount_rate": ("年折现率", "Yearly discount rate"),
    "at_risk_below": ("预警活跃概率", "At risk below P(alive)"),
    "cfg_help.at_risk_below": (
        "A/B 级客户的活跃概率低于此值时标记为“预警”，如 0.5",
        "An A/B customer whose P(alive) is below this is marked at risk, e.g. 0.5",
    ),
    "cfg_help.prediction_months": (
        "用 --orders 评级时：预计购买次数与预测价值覆盖未来多少个月（1–120）",
        "With --orders: the months ahead the expected purchases and predicted CLV cover (1–120)",
    ),
    "cfg_help.discount_rate": (
        "用 --orders 评级时：预测价值的年折现率，如 0.1 或 10%",
        "With --orders: the yearly rate the predicted CLV is discounted at, e.g. 0.1 or 10%",
    ),
    "note.clv_fit": (
        "BG/NBD 模型已按订单历史拟合（r={r:.3f}，α={alpha:.3f} 周，a={a:.3f}，b={b:.3f}）：活跃概率与未来 {months} "
        "个月的预计购买次数",
        "BG/NBD fitted on the order history (r={r:.3f}, α={alpha:.3f} weeks, a={a:.3f}, b={b:.3f}): P(alive) and "
        "the purchases expected in the next {months} months",
    ),
    "note.clv_spend": (
        "Gamma-Gamma 模型已按复购金额拟合（p={p:.3f}，q={q:.3f}，γ={v:.3f}）：预测价值按年折现率 {rate:.0%} 折现",
        "Gamma-Gamma fitted on the repeat spend (p={p:.3f}, q={q:.3f}, γ={v:.3f}): predicted CLV discounted at "
        "{rate:.0%} a year",
    ),
    "note.clv_thin": (
        "活跃概率、预计购买次数和预测价值留空：只有 {repeaters} 位客户有复购（第一次购买之后另一天的购买），"
        "至少需要 {needed} 位才能拟合模型",
        "P(alive), expected purchases and predicted CLV are left blank: only {repeaters} customers bought again "
        "(on a day after their first purchase), and the models need at least {needed}",
    ),
    "note.clv_no_fit": (
        "{model} 模型未能收敛，相关列留空（数据可能过少或过于集中）",
        "the {model} model did not converge, so its columns are left blank (the data may be too thin or too "
        "concentrated)",
    ),
}
