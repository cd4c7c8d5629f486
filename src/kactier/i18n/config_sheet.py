"""The texts of the config sheet, in Chinese and English."""

CONFIG_SHEET: dict[str, tuple[str, str]] = {
    # Help beside each setting (column C) and notes on each table header, in the sheet's language.
    "cfg_help.name": ("配置名称，显示在结果中", "Shown in the results"),
    "cfg_help.description": ("这套规则的用途", "What these rules are for"),
    "cfg_help.weights": (
        "manual 按“权重”列 · entropy 熵权法 · critic CRITIC 法 · ahp 层次分析法（需 AHP 判断矩阵）",
        "manual: the Weight column · entropy · critic · ahp (needs the AHP matrix)",
    ),
    "cfg_help.method": (
        "thresholds 按最低得分 · pareto 按累计占比（ABC 分类）· quantile 按客户数占比 · computed-abc 自动计算分界",
        "thresholds: minimum score · pareto: cumulative value share (ABC) · quantile: share of customers · "
        "computed-abc: limits computed from the data",
    ),
    "cfg_help.value": (
        "pareto / computed-abc 按哪一列的累计占比分级，如 年销售额",
        "pareto / computed-abc: the column whose cumulative share decides the tier, e.g. Annual Sales",
    ),
    "cfg_help.score_decimals": (
        "综合得分保留的小数位（0–6），先四舍五入再与最低得分比较",
        "Decimals of the score (0–6); rounded before it is compared with the minimum scores",
    ),
    "cfg_help.provisional_months": (
        "首次合作不满该月数的客户，级别标记为“暂定”（0 表示不标记）",
        "Customers with less history than this get a provisional tier (0: never)",
    ),
    "cfg_help.criteria.label": (
        "指标名称，显示在结果中；留空则用数据列名",
        "The name shown in the results; blank: the data column's name",
    ),
    "cfg_help.criteria.field": (
        "数据表中该指标的列名（如 购买力评分），或字段键（如 purchasing_power）。新增指标时，数据表也要增加这一列。",
        "The data sheet's column header (e.g. Purchasing Power) or the field key (purchasing_power). "
        "A new criterion needs that column in the data sheet too.",
    ),
    "cfg_help.criteria.weight": (
        "0 或正数；权重按合计归一化（权重方法为 manual 时使用），填 0 即不计该指标",
        "0 or more; weights are scaled to sum 1 (with weight method manual); 0 leaves the criterion out",
    ),
    "cfg_help.criteria.direction": (
        "higher 越高越好 · lower 越低越好",
        "higher: more is better · lower: less is better",
    ),
    "cfg_help.criteria.normalize": (
        "score 已是 0–100 分 · minmax 极差标准化 · log-minmax 取对数后极差标准化 · rank 百分位排名 · "
        "zscore Z 分数 · bins 分段计分 · vector 向量标准化（仅 TOPSIS）",
        "score: already 0–100 · minmax · log-minmax (for skewed money) · rank: percentile rank · zscore · "
        "bins: cut points to points · vector (TOPSIS only)",
    ),
    "cfg_help.criteria.missing": (
        "zero 记 0 分 · median 取中位数 · exclude 不计该指标并重新加权 · reject 该行不评级",
        "zero · median · exclude: re-weight over the criteria present · reject: the row is not graded",
    ),
    "cfg_help.criteria.bins": (
        "仅 bins：递增的分段界值，用逗号分隔，如 100000, 500000",
        "bins only: increasing cut points, comma separated, e.g. 100000, 500000",
    ),
    "cfg_help.criteria.points": (
        "仅 bins：各段得分（0–100），比界值多一个，如 20, 60, 100",
        "bins only: points per band (0–100), one more than the cut points, e.g. 20, 60, 100",
    ),
    "cfg_help.criteria.weight_used": (
        "本次评分实际使用的权重（仅供查看，修改无效）",
        "The weights this run used (for information; edits are ignored)",
    ),
    "cfg_help.tiers.label": (
        "级别名称，从最好到最差排列，2–7 级；插入或删除整行即可增减级别",
        "Tier names, best first, 2 to 7 tiers; insert or delete whole rows to change the number",
    ),
    "cfg_help.tiers.min_score": (
        "仅 thresholds：综合得分达到（≥）该值即属此级，自上而下递减；最后一级留空",
        "thresholds only: a score at or above this is in the tier, decreasing downwards; leave the last empty",
    ),
    "cfg_help.tiers.cut": (
        "仅 pareto：按价值从高到低累计，累计占比达到该比例为止的客户属此级，如 80%；最后一级留空",
        "pareto only: customers by value, best first, until their cumulative share reaches this, e.g. 80%; "
        "leave the last empty",
    ),
    "cfg_help.tiers.share": (
        "仅 quantile：按得分排序，该级客户占全部客户的比例，如 20%；最后一级留空（其余客户）",
        "quantile only: the share of customers, by score, in this tier, e.g. 20%; leave the last empty (the rest)",
    ),
    "cfg_help.tiers.color": (
        "结果中该级别单元格的填充色，写作 #RRGGBB",
        "Fill colour of the tier in the results, written #RRGGBB",
    ),
    "cfg_help.tiers.action": ("建议措施", "Recommended action"),
    "cfg_help.tiers.service_level": ("服务等级", "Service level"),
    "cfg_help.tiers.follow_up_days": (
        "跟进间隔天数（1–3660），用于计算下次跟进日期",
        "Days between follow-ups (1–3660), for the next follow-up date",
    ),
    "cfg_help.ahp.allow": (
        "是：一致性比率 CR ≥ 0.10 时仍然使用该矩阵",
        "yes: use the matrix even when its consistency ratio is 0.10 or more",
    ),
    # The message of a cell's data validation, when Excel refuses a value.
    "cfg_invalid_title": ("配置值无效", "Invalid setting"),
    "cfg_invalid_message": ("请查看表头批注中的说明。", "See the note on the column header."),
}
