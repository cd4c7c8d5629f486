"""The texts of the template (``kactier template``), in Chinese and English.

Keys start with ``tpl.``: ``tpl.note.<field>`` is the note on a data sheet header, ``tpl.check.*`` the data
validation messages, ``tpl.list.*`` the Lists sheet, ``tpl.instr.*`` the Instructions, and ``tpl.cond.*``,
``tpl.method.*``, ``tpl.tiers.*``, ``tpl.criterion.*``, ``tpl.direction.*``, ``tpl.normalize.*``,
``tpl.missing.*`` and ``tpl.weights.*`` the rules in words.
"""

TEMPLATE: dict[str, tuple[str, str]] = {
    # The note on each data sheet header: what to enter.
    "tpl.note.customer_id": (
        "必填。每位客户一个唯一编号，如 KH0001；按文本保存，前导零会保留，不能重复。",
        "Required. One unique id per customer, e.g. C-1001; kept as text (leading zeros stay), never repeated.",
    ),
    "tpl.note.customer_name": ("必填。客户的全称。", "Required. The customer's full name."),
    "tpl.note.region": (
        "客户所在地区，从下拉列表选择；可在“列表”表中增加地区。",
        "The customer's region: pick from the list; add regions on the Lists sheet.",
    ),
    "tpl.note.industry": (
        "客户所属行业，从下拉列表选择；可在“列表”表中增加行业。",
        "The customer's industry: pick from the list; add industries on the Lists sheet.",
    ),
    "tpl.note.owner": ("负责该客户的销售人员或客户经理。", "The salesperson or account manager responsible."),
    "tpl.note.first_deal_date": (
        "首次成交日期，如 2024-01-31。合作时间不足暂定期的客户，级别标记为“暂定”。",
        "Date of the first deal, e.g. 2024-01-31. Customers with less history than the provisional period get a provisional tier.",
    ),
    "tpl.note.tenure_years": (
        "合作年数，可带小数，如 3.5。",
        "Years as a customer, decimals allowed, e.g. 3.5.",
    ),
    "tpl.note.stage": (
        "客户生命周期阶段，从下拉列表选择：非客户、潜在客户、目标客户、意向客户、现实客户、流失客户。",
        "Lifecycle stage, from the list: non-customer, prospect, target, intent, active, churned.",
    ),
    "tpl.note.annual_sales": (
        "本年度（或最近 12 个月）销售额，填数字、不带单位，不能为负。",
        "Sales in the year (or the last 12 months): a number without currency sign, not negative.",
    ),
    "tpl.note.gross_profit": ("毛利额，填数字；亏损填负数。", "Gross profit: a number; a loss is negative."),
    "tpl.note.orders": (
        "期间内的交易（订单）次数，非负整数。",
        "Number of orders in the period, a whole number.",
    ),
    "tpl.note.avg_price": ("平均每单金额，非负数。", "Average order value, not negative."),
    "tpl.note.payment_days": (
        "平均回款天数（应收账款周转天数），越短越好。",
        "Average days to collect payment (days sales outstanding); fewer is better.",
    ),
    "tpl.note.overdue_amount": ("逾期未收回的金额，非负数。", "Amount overdue, not negative."),
    "tpl.note.recency_days": (
        "距最近一次购买的天数，越短越好。",
        "Days since the last order; fewer is better.",
    ),
    "tpl.note.purchasing_power": (
        "购买力评分，0–100 的整数：采购预算与采购规模。",
        "Purchasing power, a whole number 0–100: budget and purchase volume.",
    ),
    "tpl.note.frequency_score": (
        "交易频次评分，0–100 的整数：下单是否频繁、稳定。",
        "Transaction frequency, a whole number 0–100: how often and how regularly the customer orders.",
    ),
    "tpl.note.history_score": (
        "合作历史评分，0–100 的整数：合作时间长短与稳定性。",
        "Relationship history, a whole number 0–100: length and stability of the relationship.",
    ),
    "tpl.note.influence_score": (
        "市场影响力评分，0–100 的整数：行业地位与示范效应。",
        "Market influence, a whole number 0–100: standing in the industry and reference value.",
    ),
    "tpl.note.loyalty_score": (
        "客户忠诚度评分，0–100 的整数：复购意愿与份额集中度。",
        "Customer loyalty, a whole number 0–100: repeat buying and share of wallet.",
    ),
    "tpl.note.satisfaction": ("满意度评分，如 1–5 分。", "Satisfaction score, e.g. 1–5."),
    "tpl.note.recommend": (
        "推荐意愿，0–10 的整数（用于计算 NPS）。",
        "Likelihood to recommend, a whole number 0–10 (for NPS).",
    ),
    "tpl.note.override_tier": (
        "一般留空，按评分定级。需要人工调整时，从下拉列表选择级别，该级别将优先于评分结果；并在“调整原因”中写明原因。",
        "Usually empty: the score decides. To override, pick a tier from the list; it wins over the score. Give the reason in Override Reason.",
    ),
    "tpl.note.override_reason": (
        "人工调整级别的理由，如“战略合作伙伴”。",
        "Why the tier was overridden, e.g. 'strategic partner'.",
    ),
    # A criterion's direction, normalisation and missing-value policy, and the weight methods, in words.
    "tpl.direction.higher": ("越高越好", "higher is better"),
    "tpl.direction.lower": ("越低越好", "lower is better"),
    "tpl.normalize.score": ("已是 0–100 分，直接使用", "already 0–100 points, used as is"),
    "tpl.normalize.minmax": (
        "极差标准化：(值 − 最小值) ÷ (最大值 − 最小值) × 100",
        "min–max: (value − min) ÷ (max − min) × 100",
    ),
    "tpl.normalize.log-minmax": (
        "先取对数再极差标准化（适合偏态的金额）",
        "min–max of the logarithm (for skewed money)",
    ),
    "tpl.normalize.rank": ("百分位排名（同值取平均名次）× 100", "percentile rank × 100 (ties averaged)"),
    "tpl.normalize.zscore": (
        "Z 分数经正态分布函数换算为 0–100",
        "z-score through the normal distribution, 0–100",
    ),
    "tpl.normalize.bins": ("按分段界值计分", "points by band, from the bin edges"),
    "tpl.missing.zero": ("空值记 0 分", "a blank scores 0"),
    "tpl.missing.median": ("空值取中位数", "a blank takes the median"),
    "tpl.missing.exclude": (
        "空值不计，按其余指标重新加权",
        "a blank is left out and the other criteria re-weighted",
    ),
    "tpl.missing.reject": (
        "空值则该客户不评级（列入问题表）",
        "a blank leaves the customer ungraded (listed in Issues)",
    ),
    "tpl.weights.entropy": ("熵权法", "the entropy weight method"),
    "tpl.weights.critic": ("CRITIC 法", "the CRITIC method"),
    "tpl.weights.ahp": ("层次分析法（AHP 判断矩阵）", "AHP (the pairwise matrix)"),
    # The Lists sheet's column headers; they name no customer field, so the sheet is never taken for data.
    "tpl.list.region": ("地区选项", "Region options"),
    "tpl.list.industry": ("行业选项", "Industry options"),
    "tpl.list.stage": ("客户状态选项", "Stage options"),
    "tpl.list.override_tier": ("级别选项", "Tier options"),
    # The data sheet: notes that depend on the config, and the messages of its data validation.
    "tpl.note.criterion": (
        "\n评分指标（{direction}）；权重等规则见“配置”表。",
        "\nA scoring criterion ({direction}); its weight and rules are on the Config sheet.",
    ),
    "tpl.note.value_column": (
        "\n级别按这一列的累计占比划分。",
        "\nTiers follow this column's cumulative share.",
    ),
    "tpl.note.other": ("评分指标：填数字。", "A scoring criterion: enter a number."),
    "tpl.check.title": ("输入有误", "Check this value"),
    "tpl.check.not_in_list": (
        "不在下拉列表中。如需新增选项，请加到“列表”表该列的末尾。",
        "Not in the list. To add an option, put it at the end of its column on the Lists sheet.",
    ),
    "tpl.check.pick": ("请从下拉列表中选择。", "Pick a value from the list."),
    "tpl.check.unique_id": ("客户编号不能重复。", "This customer id is already in the sheet."),
    "tpl.check.date": ("请填写日期，如 2024-01-31。", "Enter a date such as 2024-01-31."),
    "tpl.check.score": ("请填写 {low}–{high} 的整数。", "Enter a whole number from {low} to {high}."),
    "tpl.check.whole_min0": ("请填写不小于 0 的整数（不带单位）。", "Enter a whole number of 0 or more."),
    "tpl.check.number_min0": (
        "请填写不小于 0 的数字（不带单位）。",
        "Enter a number of 0 or more, no currency sign.",
    ),
    "tpl.check.length": ("最多 255 个字符。", "At most 255 characters."),
    "tpl.check.number": ("请填写数字（不带单位）。", "Enter a number, no currency sign."),
    # The Lists sheet's header notes.
    "tpl.lists.note": (
        "在本列末尾继续添加选项（中间不要留空行），数据表的下拉列表会自动包含新选项。",
        "Add options at the end of this column (no blank rows in between); the data sheet's dropdown offers "
        "them at once.",
    ),
    "tpl.lists.tier_note": (
        "\n级别须与“配置”表中的级别一致。",
        "\nKeep these the same as the tiers on the Config sheet.",
    ),
    # The Instructions sheet: title, section headings and the steps of filling it in.
    "tpl.instr.title": ("客户分级评估表 · 填写说明", "Customer tiering form: instructions"),
    "tpl.instr.rules": ("评分规则", "Rules"),
    "tpl.instr.how": ("一、如何填写", "1. How to fill it in"),
    "tpl.instr.step.rows": (
        "在“{data_sheet}”表中每行填写一位客户，从第 2 行开始；客户编号、客户名称必填（表头为橙色）。",
        "On the {data_sheet} sheet, one customer per row from row 2; Customer ID and Customer Name are "
        "required (orange headers).",
    ),
    "tpl.instr.step.hover": (
        "把鼠标移到表头上可看到每列的填写说明；带下拉箭头的列请从列表中选择，输入不符合要求时 Excel 会提示。",
        "Hover over a header to see what to enter; pick from the dropdowns; Excel warns about values that "
        "do not fit.",
    ),
    "tpl.instr.step.formats": (
        "评分类指标填 0–100 的整数；金额只填数字（不带 ¥、元、万等单位）；日期按 2024-01-31 的格式填写。",
        "Scores are whole numbers 0–100; money is a plain number (no currency sign); dates like 2024-01-31.",
    ),
    "tpl.instr.step.lists": (
        "地区、行业等下拉选项在“{lists_sheet}”表中，可在列末尾继续添加。",
        "The dropdown options are on the {lists_sheet} sheet; add more at the end of a column.",
    ),
    "tpl.instr.step.override": (
        "需要人工调整某位客户的级别时，在“调整级别”中选择级别，并在“调整原因”中写明原因。",
        "To override a customer's tier, pick it in Tier Override and give the reason in Override Reason.",
    ),
    "tpl.instr.step.keep": (
        "不要修改表头文字，不要删除或重命名“配置”表；可以在右侧增加自己的列，它们会原样保留。",
        "Keep the header texts and the Config sheet as they are; columns you add on the right are kept "
        "as they are.",
    ),
    "tpl.instr.step.run": (
        "填好后保存，运行：kactier score 文件名.xlsx —— 结果写入 文件名.tiered.xlsx，本文件不会被修改。",
        "Save, then run: kactier score FILE.xlsx — the results go to FILE.tiered.xlsx; this file is never "
        "changed.",
    ),
    "tpl.instr.columns": ("二、各列说明", "2. The columns"),
    "tpl.instr.column": ("列", "Column"),
    "tpl.instr.required": ("必填", "Required"),
    "tpl.instr.what": ("填写说明", "What to enter"),
    "tpl.instr.yes": ("是", "yes"),
    "tpl.instr.tiers": ("三、客户级别", "3. The tiers"),
    "tpl.instr.condition": ("条件", "Condition"),
    "tpl.instr.method": ("四、综合得分与级别的计算", "4. How the score and the tiers are computed"),
    "tpl.instr.changing": ("五、修改评分规则", "5. Changing the rules"),
    "tpl.instr.change.edit": (
        "规则保存在“{config_sheet}”表中：修改黄色单元格（权重、最低得分、占比、颜色、建议措施等）并保存，"
        "重新运行 kactier score 即按新规则评分。",
        "The rules live on the {config_sheet} sheet: edit the yellow cells (weights, minimum scores, "
        "shares, colours, actions…), save, and run kactier score again.",
    ),
    "tpl.instr.change.precedence": (
        "优先级：命令行 --config 指定的配置文件 > 本工作簿的“{config_sheet}”表 > --preset 预设。",
        "Precedence: a --config file on the command line > this workbook's {config_sheet} sheet > --preset.",
    ),
    "tpl.instr.change.as_made": (
        "本说明按生成模板时的规则编写；修改“{config_sheet}”表后，以“{config_sheet}”表为准。",
        "These instructions describe the rules when the template was made; after edits, the "
        "{config_sheet} sheet is what counts.",
    ),
    "tpl.instr.change.docs": (
        "各方法的公式、边界与并列规则见 kactier 的 docs/methods.md。",
        "Formulas, boundaries and tie rules of every method: kactier's docs/methods.md.",
    ),
    # What puts a customer in a tier, in words (the Instructions' tier table).
    "tpl.cond.below": ("其余客户（综合得分 < {previous:g}）", "The rest (score below {previous:g})"),
    "tpl.cond.at_least": ("综合得分 ≥ {minimum:g}", "Score ≥ {minimum:g}"),
    "tpl.cond.rest": ("其余客户", "The rest"),
    "tpl.cond.pareto_top": (
        "按{value}从高到低累计，占合计 {cut:.0%} 的最少头部客户",
        "The fewest top customers by {value} holding {cut:.0%} of the total",
    ),
    "tpl.cond.pareto_band": (
        "{value}累计占比 {low:.0%} 至 {high:.0%}",
        "Cumulative share of {value} from {low:.0%} to {high:.0%}",
    ),
    "tpl.cond.quantile_top": ("综合得分最高的 {share:.0%} 客户", "The top {share:.0%} of customers by score"),
    "tpl.cond.quantile_next": ("其后 {share:.0%} 的客户", "The next {share:.0%} of customers"),
    "tpl.cond.computed_abc": (
        "按{value}的分布自动计算 ABC 分界（Ultsch & Lötsch 2015）",
        "ABC limits computed from the distribution of {value} (Ultsch & Lötsch 2015)",
    ),
    # How the score and the tiers are computed, in words.
    "tpl.method.manual": (
        "综合得分（0–100）= Σ 各指标得分 × 权重，权重按合计 100% 换算：",
        "Score (0–100) = Σ criterion points × weight, the weights scaled to 100%:",
    ),
    "tpl.method.computed": (
        "综合得分（0–100）= Σ 各指标得分 × 权重，权重由数据按{method}计算，结果的“配置”表列出实际权重：",
        "Score (0–100) = Σ criterion points × weight, the weights computed from the data by {method} "
        "(the result's Config sheet lists them):",
    ),
    "tpl.method.decimals": (
        "综合得分保留 {decimals} 位小数；排名 1 为最好，同分同名次。",
        "The score is rounded to {decimals} decimals; rank 1 is the best, equal scores share a rank.",
    ),
    "tpl.method.provisional": (
        "首次合作不满 {months} 个月的客户，级别标记为“暂定”。",
        "Customers with less than {months} months since their first deal get a provisional tier.",
    ),
    "tpl.method.override": (
        "“调整级别”中填写的有效级别优先于评分结果，并标记为“人工调整”。",
        "A valid tier in Tier Override wins over the score and is marked as an override.",
    ),
    "tpl.tiers.thresholds": (
        "级别按综合得分的最低分数线划分，等于分数线即属较高一级。",
        "Tiers by minimum score; a score equal to a minimum belongs to the higher tier.",
    ),
    "tpl.tiers.pareto": (
        "级别按{value}的累计占比（帕累托 / ABC 分类）划分，同值按客户编号排序。",
        "Tiers by the cumulative share of {value} (Pareto / ABC); equal values are ordered by customer id.",
    ),
    "tpl.tiers.quantile": (
        "级别按综合得分排序后的客户数占比划分，同分的客户不会被分到两个级别。",
        "Tiers by share of customers ranked by score; equal scores are never split.",
    ),
    "tpl.tiers.computed-abc": (
        "级别按{value}的分布自动计算 ABC 分界。",
        "Tiers by ABC limits computed from {value}.",
    ),
    # One criterion's line: "name: weight; direction; normalisation; missing values".
    "tpl.criterion.weight": ("权重 {weight:.0%}", "weight {weight:.0%}"),
    "tpl.criterion.separator": ("；", "; "),
    "tpl.criterion.colon": ("：", ": "),
}
