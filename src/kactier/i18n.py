"""Labels of the columns and sheets kactier adds, in Chinese and English."""

from __future__ import annotations

from .problems import Lang

_TEXT: dict[str, tuple[str, str]] = {
    "score": ("综合得分", "Score"),
    "rank": ("排名", "Rank"),
    "percentile": ("百分位", "Percentile"),
    "tier": ("客户级别", "Tier"),
    "tier_mark": ("级别标记", "Tier mark"),
    "provisional": ("暂定", "Provisional"),
    "override": ("人工调整", "Override"),
    "next_follow_up": ("下次跟进日期", "Next follow-up"),
    "points_suffix": ("得分", "points"),
    "as_of": ("评级基准日", "As of"),
    "action": ("建议措施", "Action"),
    "not_graded": ("未评级", "Not graded"),
    "see_issues": ("未评级：原因见问题表", "Not graded: see the Issues sheet"),
    "sheet_summary": ("汇总", "Summary"),
    "sheet_issues": ("问题", "Issues"),
    "sheet_config": ("配置", "Config"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "value": ("原值", "Value"),
    "code": ("代码", "Code"),
    "message": ("说明", "Message"),
    "taken": ("处理", "Action taken"),
    "summary_title": ("客户分级汇总", "Customer tiering summary"),
    "run_facts": ("运行信息", "Run"),
    "input_file": ("输入文件", "Input file"),
    "sheet": ("工作表", "Sheet"),
    "header_row": ("表头行", "Header row"),
    "config_name": ("配置", "Config"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_scored": ("已评级", "Rows graded"),
    "rows_invalid": ("未评级（数据问题）", "Rows not graded (data problems)"),
    "rows_skipped": ("跳过（非数据行）", "Rows skipped (not data)"),
    "issues_count": ("问题数", "Issues"),
    "generated": ("生成时间", "Generated"),
    "customers": ("客户数", "Customers"),
    "share": ("占比", "Share"),
    "mean_score": ("平均得分", "Mean score"),
    "min_score": ("最低得分", "Min score"),
    "max_score": ("最高得分", "Max score"),
    "total": ("合计", "Total"),
    "by_tier": ("各级别客户", "Customers by tier"),
    "no_issues": ("没有发现问题", "No problems found"),
    "criterion": ("指标", "Criterion"),
    "field": ("字段", "Field"),
    "weight_given": ("配置权重", "Weight given"),
    "weight_used": ("实际权重", "Weight used"),
    "direction": ("方向", "Direction"),
    "normalize": ("标准化", "Normalisation"),
    "missing": ("缺失值策略", "Missing values"),
    "weight_method": ("权重方法", "Weight method"),
    "tier_method": ("分级方法", "Tier method"),
    "score_decimals": ("得分小数位", "Score decimals"),
    "color": ("颜色", "Colour"),
    "service_level": ("服务等级", "Service level"),
    "follow_up_days": ("跟进间隔（天）", "Follow-up (days)"),
    "sha256": ("输入文件 SHA-256", "Input SHA-256"),
    "version": ("kactier 版本", "kactier version"),
    "description": ("说明", "Description"),
    "criteria": ("评分指标", "Criteria"),
    "tiers": ("级别", "Tiers"),
}


def text(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``."""
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en
