"""The message of every row problem (by :class:`~kactier.problems.IssueCode`) and of what was done about it
(by :class:`~kactier.problems.Action`), in Chinese and English: ``issue.<code>`` and ``action.<action>``.
``{detail}`` is filled from the issue."""

ISSUES: dict[str, tuple[str, str]] = {
    "issue.title_row_skipped": ("表头上方的标题行，已跳过", "title row above the header, skipped"),
    "issue.blank_row_skipped": ("空行，已跳过", "blank row, skipped"),
    "issue.total_row_skipped": ("合计行，已跳过", "total row, skipped"),
    "issue.repeated_header_skipped": ("重复的表头行，已跳过", "repeated header row, skipped"),
    "issue.header_renamed": (
        "表头为空或重复，输出中改名为 {detail}",
        "blank or duplicate header, written as {detail}",
    ),
    "place.row": ("第 {row} 行", "row {row}"),
    "place.file_row": ("{file} 第 {row} 行", "row {row} of {file}"),
    "issue.missing_id": ("缺少客户编号；请填写后重新评级", "customer id is missing; fill it in and re-run"),
    "issue.duplicate_id": (
        "客户编号与{detail}重复；仅第一行参与评级",
        "customer id duplicates {detail}; only the first is graded",
    ),
    "issue.lookalike_id": (
        "客户编号与{detail}的编号看起来相同，仅 Unicode 形式不同（全角/半角或组合字符），可能是同一客户；"
        "两行均按不同客户评级，请核对后统一编号",
        "customer id looks the same as {detail}'s and differs only in its Unicode form (full-width or "
        "composed characters): probably the same customer; both rows are graded as different ones, so check and "
        "make the ids the same",
    ),
    "issue.long_numeric_id": (
        "编号超过 15 位数字，Excel 可能已丢失精度；请以文本格式保存",
        "numeric id over 15 digits: Excel may have lost precision; store ids as text",
    ),
    "issue.missing_name": ("缺少客户名称", "customer name is missing"),
    "issue.missing_value": (
        "空值（缺失值策略 {detail}，见配置表）",
        "blank (missing-value policy {detail}; see Config)",
    ),
    "issue.no_criteria": (
        "所有评分指标均为空，无法评分",
        "every scoring criterion is empty; nothing to score",
    ),
    "issue.not_scored": (
        "无法由该行的数值算出评分，未评级；请检查数值后重新评级",
        "no score could be computed from this row's values, so it is not graded; check them and re-run",
    ),
    "issue.out_of_range": ("数值超出允许范围 {detail}", "value outside the allowed range {detail}"),
    "issue.negative_value": ("数值为负", "value is negative"),
    "issue.not_a_number": ("无法识别为数字", "not a number"),
    "issue.not_a_date": ("无法识别为日期", "not a date"),
    "issue.value_coerced": ("按 {detail} 读取", "read as {detail}"),
    "issue.unknown_stage": (
        "未知的客户状态；可选：{detail}",
        "unknown lifecycle stage; expected one of: {detail}",
    ),
    "issue.unknown_tier": (
        "调整级别不存在；可选：{detail}",
        "override tier does not exist; expected one of: {detail}",
    ),
    "issue.override_not_applied": (
        "该行因数据问题未评级，调整级别未生效；修正数据后重新评级",
        "the row cannot be graded, so the override was not applied; fix its data and re-run",
    ),
    "issue.order_value_missing": ("订单行缺少{detail}", "order line without {detail}"),
    "issue.after_as_of": (
        "订单日期晚于评级基准日 {detail}，不计入",
        "order dated after the as-of date {detail}; not counted",
    ),
    "issue.refund_netted": (
        "负金额按退款处理：冲减所在窗口的销售额，不计为一次购买",
        "negative amount taken as a refund: netted against the sales of its window, not counted as a purchase",
    ),
    "issue.read_as": ("按 {detail} 读取", "read as {detail}"),
    "issue.cell_error": (
        "单元格是错误值 {detail}，不是数据；请修正公式或数据后重新评级",
        "the cell holds the error {detail}, not data; fix the formula or the data and re-run",
    ),
    "issue.formula_no_value": (
        "公式没有保存计算结果，无法读取其值；请在 Excel 中打开、重新计算并保存",
        "formula saved without its value; open the file in Excel, recalculate and save it",
    ),
    "issue.merged_filled": (
        "合并单元格 {detail}：值已向下填充到合并区域的每一行",
        "merged cells {detail}: the value is filled down into every row of the range",
    ),
    "issue.hidden_rows": (
        "隐藏的行 {detail}：与其他行一样读取并评级",
        "hidden rows {detail}: read and graded like the other rows",
    ),
    "issue.hidden_column": ("隐藏的列：与其他列一样读取", "hidden column: read like the other columns"),
    "issue.hidden_sheet": (
        "工作表在 Excel 中是隐藏的，按 --sheet 读取",
        "the sheet is hidden in Excel; read because --sheet names it",
    ),
    "issue.paid_before_order": ("回款日期早于订单日期", "paid before the order date"),
    "issue.more_like_these": (
        "另有 {detail} 行同类情况未逐行列出；每一行的计入情况见订单明细（或订单行文件）",
        "{detail} more lines like these are not listed one by one; every line's disposition is in the Orders "
        "sheet (or the order lines files)",
    ),
    "action.row_skipped": ("行已跳过", "row skipped"),
    "action.row_excluded": ("该行不参与评级", "row excluded from grading"),
    "action.value_missing": ("按缺失值处理", "treated as missing"),
    "action.value_coerced": ("已转换", "value converted"),
    "action.value_kept": ("保留原值", "value kept"),
    "action.column_renamed": ("列已改名", "column renamed"),
    "action.line_excluded": ("该订单行不计入客户汇总", "order line not counted"),
}
