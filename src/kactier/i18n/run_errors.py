"""The message of every error that stops a run after the input is read (output, batch, history, the Config sheet,
order lines, scoring), by key, in Chinese and English; see :mod:`.errors` for the conventions."""

RUN_ERRORS: dict[str, tuple[str, str]] = {
    # -- writing the output -------------------------------------------------------------------------------------
    "output.exists": (
        "{path}：文件已存在；如要覆盖请加 --force，或用 -o 另选文件名",
        "{path}: already exists; use --force to replace it or -o to choose another name",
    ),
    "output.no_folder": (
        "{path}：文件夹 {folder} 不存在；请先创建，或用 -o 另选位置",
        "{path}: the folder {folder} does not exist; create it or choose another -o",
    ),
    "output.is_folder": (
        "{path}：这是一个文件夹；请用 -o 给出文件名，例如 {example}",
        "{path}: is a folder; give a file name with -o, such as {example}",
    ),
    "output.is_input": (
        "{path}：这就是输入文件本身；kactier 从不改写输入文件，请用 -o 另选",
        "{path}: is the input itself; kactier never writes its input, choose another -o",
    ),
    "output.cannot_create": (
        "{path}：无法在 {folder} 中创建文件（{reason}）；请确认该文件夹可写，或用 -o 另选位置",
        "{path}: cannot create a file in {folder} ({reason}); check that the folder is writable or choose another -o",
    ),
    "output.appeared": (
        "{path}：写入期间出现了同名文件；如要覆盖请加 --force",
        "{path}: appeared while writing; use --force to replace it",
    ),
    "output.write_failed": (
        "{path}：无法写入（{reason}）；原有文件未受影响",
        "{path}: cannot write ({reason}); the previous file is untouched",
    ),
    "output.close_failed": (
        "{path}：无法写入（{reason}）；请检查磁盘空间和权限；原有文件未受影响",
        "{path}: cannot write ({reason}); check the disk and permissions; the previous file is untouched",
    ),
    "output.template_failed": (
        "{path}：无法写入（{reason}）；请检查磁盘空间和权限",
        "{path}: cannot write ({reason}); check the disk and permissions",
    ),
    "input.changed": (
        "{path}：读取期间文件发生了变化（是否仍在复制或保存？）；未写入任何文件，请待文件完整后重新运行",
        "{path}: changed while it was read (still being copied or saved?); "
        "nothing was written, re-run when it is complete",
    ),
    # -- batch --------------------------------------------------------------------------------------------------
    "batch.no_folder": (
        "{folder}：输出文件夹不存在；请先创建，或用 --out-dir 另选",
        "{folder}: the output folder does not exist; create it or choose another --out-dir",
    ),
    "batch.lock_file": (
        "{path}：无法创建锁文件（{reason}）；请确认该文件夹可写，或用 --out-dir 另选",
        "{path}: cannot create the lock file ({reason}); check that the folder is writable or choose another --out-dir",
    ),
    "batch.locked": (
        "{folder}：另一个 kactier batch（进程 {pid}）正在写入此处，{seconds:g} 秒内未完成；请稍后重新运行，或加大 --wait",
        "{folder}: another kactier batch (pid {pid}) is writing here and did not finish within {seconds:g} s; "
        "re-run later or raise --wait",
    ),
    "batch.same_output": (
        "{path}：将写入 {output}，与 {first} 的输出相同；请将其中一个改名",
        "{path}: would write {output}, the output of {first}; rename one of them",
    ),
    "batch.internal": (
        "{path}：内部错误：{error}；请加 --debug 重新运行并报告此问题",
        "{path}: internal error: {error}; re-run with --debug and report it",
    ),
    "batch.cannot_read": ("{path}：无法读取（{reason}）", "{path}: cannot read ({reason})"),
    # -- history ------------------------------------------------------------------------------------------------
    "what.read": ("读取", "read"),
    "what.write": ("写入", "write"),
    "what.open": ("打开", "open"),
    "history.locked": (
        "{path}：历史数据库被另一次运行锁定超过 {seconds:g} 秒；请稍后重新运行",
        "{path}: the history database stayed locked by another run for {seconds:g} s; re-run later",
    ),
    "history.failed": (
        "{path}：无法{doing}历史数据库（{reason}）",
        "{path}: cannot {doing} the history database ({reason})",
    ),
    "history.damaged": (
        "{path}：无法{doing}历史数据库（{reason}）；请用 --history 另选",
        "{path}: cannot {doing} the history database ({reason}); choose another --history",
    ),
    "history.missing": (
        "{path}：此处没有历史数据库；请用 --history 指定 batch 写入的数据库（默认为 --out-dir 中的 {default}）",
        "{path}: no history database here; give the one batch wrote with --history "
        "(default {default} in the --out-dir)",
    ),
    "history.no_folder": (
        "{path}：文件夹 {folder} 不存在；请先创建，或用 --history 另选",
        "{path}: the folder {folder} does not exist; create it or choose another --history",
    ),
    "history.newer": (
        "{path}：由更新版本的 kactier 写入（结构版本 {version}）；请升级 kactier 后使用",
        "{path}: written by a newer kactier (schema {version}); upgrade kactier to use it",
    ),
    "history.foreign": (
        "{path}：这是其他程序的 SQLite 数据库；请用 --history 另选",
        "{path}: is an SQLite database of another program; choose another --history",
    ),
    # -- the Config sheet: "<file>: Config sheet, cell 配置!C7: <problem>; <what to enter>" -----------------------
    "config_sheet.cell": (
        "{path}：配置表单元格 {ref}：{problem}；{hint}",
        "{path}: Config sheet, cell {ref}: {problem}; {hint}",
    ),
    "config_sheet.unreadable": (
        "{path}：配置表“{sheet}”无法读取（{reason}）；请用 Excel 打开文件后重新保存",
        "{path}: the Config sheet {sheet!r} cannot be read ({reason}); open the file in Excel and save it again",
    ),
    "config_sheet.as_given": ("{message}", "{message}"),
    "config_sheet.not_a_number": ("{what}“{value}”不是数字", "{what} {value!r} is not a number"),
    "config_sheet.not_whole": ("{what} {value:g} 不是整数", "{what} {value:g} is not a whole number"),
    "config_sheet.not_a_choice": ("“{value}”不是此处可选的值", "{value!r} is not a choice here"),
    "config_sheet.not_numbers": ("“{value}”不是一串数字", "{value!r} is not a list of numbers"),
    "config_sheet.no_marker": ("缺少“{zh}”/“{en}”标题", "no {zh!r} / {en!r} marker"),
    "config_sheet.fix_marker": (
        "请在 A1 单元格恢复该标题，或用 `kactier template` 重新生成配置表",
        "restore the title in cell A1, or make a fresh Config sheet with `kactier template`",
    ),
    "config_sheet.not_a_setting": ("“{label}”不是设置项", "{label!r} is not a setting"),
    "config_sheet.fix_setting": (
        "请使用 {settings} 之一，或在下一节之前留一个空行",
        "use one of {settings}, or leave a blank row before the next section",
    ),
    "config_sheet.set_twice": ("“{label}”设置了两次", "{label!r} is set twice"),
    "config_sheet.keep_one_row": ("请只保留一行", "keep one row"),
    "config_sheet.no_ahp": (
        "权重方法为 ahp 时需要 AHP 判断矩阵一节",
        "weights = ahp needs the AHP matrix section",
    ),
    "config_sheet.fix_ahp": (
        "请添加“AHP 判断矩阵 / AHP matrix”一节（可用 --config 指定含 [ahp] 表的 TOML 配置生成模板），或改用其他权重方法",
        "add an AHP 判断矩阵 / AHP matrix section (make the template with --config from a TOML config that has an "
        "[ahp] table), or choose another weight method",
    ),
    "config_sheet.ahp_empty": ("AHP 判断矩阵为空", "the AHP matrix is empty"),
    "config_sheet.comparison_empty": ("比较值为空", "the comparison is empty"),
    "config_sheet.not_yes_no": ("“{value}”不是“是”或“否”", "{value!r} is not yes or no"),
    "config_sheet.not_a_section": ("“{title}”不是节标题", "{title!r} is not a section title"),
    "config_sheet.fix_section": (
        "每节以 A 列中的 {titles} 之一开头，到第一个空行结束；请删除表格中间的空行，或恢复标题",
        "each section starts with one of {titles} in column A and ends at the first blank row; "
        "delete the blank row inside a table or restore the title",
    ),
    "config_sheet.second_section": ("第二个“{title}”节", "a second {title!r} section"),
    "config_sheet.keep_one_section": ("请保留一个，删除另一个", "keep one and delete the other"),
    "config_sheet.no_section": ("配置表没有“{label}”一节", "the Config sheet has no {label} section"),
    "config_sheet.fix_no_section": (
        "请恢复该节，或用 `kactier template` 重新生成",
        "restore it, or make a fresh one with `kactier template`",
    ),
    "config_sheet.no_table_header": ("{table}表没有表头行", "the {table} table has no header row"),
    "config_sheet.fix_table_header": (
        "请在标题下一行填写表头（{headers}）",
        "put the header ({headers}) on the row below the title",
    ),
    "config_sheet.not_a_column": (
        "“{header}”不是{table}表的列",
        "{header!r} is not a column of the {table} table",
    ),
    "config_sheet.fix_column": ("请使用这些表头：{headers}", "use the headers {headers}"),
    "config_sheet.second_column": ("第二个“{header}”列", "a second {header!r} column"),
    "config_sheet.delete_one": ("请删除其中一个", "delete one"),
    "config_sheet.no_column": ("{table}表没有 {column} 列", "the {table} table has no {column} column"),
    "config_sheet.fix_field_column": (
        "请添加该列：它给出每个指标在数据表中的列",
        "add it: it names each criterion's column in the data sheet",
    ),
    "config_sheet.no_criterion": ("评分指标表中没有指标", "the criteria table has no criterion"),
    "config_sheet.fix_no_criterion": (
        "请在表头下至少添加一行指标",
        "add at least one criterion row below the header",
    ),
    "config_sheet.no_data_column": ("该指标没有数据列", "the criterion has no data column"),
    "config_sheet.weight_empty": ("权重为空", "the weight is empty"),
    "config_sheet.weight_negative": ("权重 {weight:g} 为负数", "the weight {weight:g} is negative"),
    "config_sheet.fix_label_column": (
        "请添加该列：每行一个级别名称，由高到低",
        "add it: one tier name per row, best first",
    ),
    "config_sheet.tier_no_name": ("该级别没有名称", "the tier has no name"),
    "config_sheet.thresholds_column": (
        "分级方法 thresholds 需要 {column} 列",
        "tier method thresholds needs the {column} column",
    ),
    "config_sheet.min_empty": ("最低得分为空", "the minimum score is empty"),
    "config_sheet.min_not_below": (
        "最低得分 {minimum:g} 不低于上一级（{previous:g}）",
        "the minimum score {minimum:g} is not below the tier above ({previous:g})",
    ),
    "config_sheet.min_last": (
        "最后一级接收其余全部客户；其最低得分必须留空",
        "the last tier takes every remaining customer; its minimum score must be empty",
    ),
    "config_sheet.share_empty": ("{what}为空", "the {what} is empty"),
    "config_sheet.share_last": (
        "最后一级接收其余客户；其{what}必须留空",
        "the last tier takes the rest; its {what} must be empty",
    ),
    "what.table_criteria": ("评分指标", "criteria"),
    "what.table_tiers": ("级别", "tiers"),
    "what.weight": ("权重", "weight"),
    "what.minimum_score": ("最低得分", "minimum score"),
    "what.follow_up_days": ("跟进间隔天数", "follow-up days"),
    "what.cumulative_share": ("累计占比", "cumulative share"),
    "what.customer_share": ("客户占比", "share of customers"),
    # what to enter, for each place in the config
    "hint.name": ("请填写一个简短的名称", "enter a short name"),
    "hint.weights": ("请选择 manual、entropy、critic 或 ahp", "choose manual, entropy, critic or ahp"),
    "hint.aggregation": (
        "请选择 weighted-sum、topsis 或 weighted-product",
        "choose weighted-sum, topsis or weighted-product",
    ),
    "hint.method": (
        "请选择 thresholds、pareto、quantile 或 computed-abc",
        "choose thresholds, pareto, quantile or computed-abc",
    ),
    "hint.value": (
        "请填写按其占比决定级别的数据列，例如 年销售额 / Annual Sales",
        "enter the data column whose share decides the tier, such as 年销售额 / Annual Sales",
    ),
    "hint.score_decimals": ("请填写 0 到 6 的整数", "enter a whole number from 0 to 6"),
    "hint.provisional_months": ("请填写 0 到 120 的整数月数", "enter a whole number of months from 0 to 120"),
    "hint.criteria": (
        "每个数据列只能作为一个指标，且手动权重至少要有一个大于 0",
        "each data column may be a criterion once, and manual weights need one above 0",
    ),
    "hint.criteria.field": ("请填写数据表中的列标题", "enter the data sheet's column header"),
    "hint.criteria.weight": ("请填写 0 或以上的数字", "enter a number of 0 or more"),
    "hint.criteria.direction": ("请选择 higher 或 lower", "choose higher or lower"),
    "hint.criteria.normalize": (
        "请选择 score、minmax、log-minmax、rank、zscore、bins 或 vector（仅 TOPSIS）",
        "choose score, minmax, log-minmax, rank, zscore, bins or vector (TOPSIS only)",
    ),
    "hint.criteria.missing": (
        "请选择 zero、median、exclude 或 reject",
        "choose zero, median, exclude or reject",
    ),
    "hint.criteria.bins": (
        "请填写递增的分段界值，用逗号分隔，例如 100000, 500000",
        "enter increasing cut points separated by commas, e.g. 100000, 500000",
    ),
    "hint.criteria.points": (
        "请填写比界值多一个的 0–100 分值，用逗号分隔，例如 20, 60, 100",
        "enter one more 0–100 value than cut points, separated by commas, e.g. 20, 60, 100",
    ),
    "hint.tiers": (
        "请检查级别各行：2 到 7 个级别，名称不重复",
        "check the tier rows: 2 to 7 tiers with unique names",
    ),
    "hint.tiers.label": (
        "请填写不超过 20 个字符、表内不重复的级别名称",
        "enter a tier name of up to 20 characters, unique in the table",
    ),
    "hint.tiers.min_score": (
        "请填写 0 到 100 的分数，自第一级起递减；最后一级留空",
        "enter a score from 0 to 100, decreasing from the first tier; leave the last tier empty",
    ),
    "hint.tiers.cut": (
        "请填写 0% 到 100% 之间的占比，自上而下递增；最后一级留空",
        "enter a share between 0% and 100%, increasing downwards; leave the last tier empty",
    ),
    "hint.tiers.share": (
        "除最后一级外，每级填写 0% 到 100% 之间的占比，合计低于 100%",
        "enter a share between 0% and 100% for each tier but the last, together under 100%",
    ),
    "hint.tiers.color": (
        "请按 #RRGGBB 填写颜色，例如 #C6EFCE",
        "enter a colour written #RRGGBB, such as #C6EFCE",
    ),
    "hint.tiers.follow_up_days": (
        "请填写 1 到 3660 的整数天数",
        "enter a whole number of days from 1 to 3660",
    ),
    "hint.tiers.capacity": (
        "请在“基本设置”填写“容量上限按”，并在“级别”表的“容量上限”列填 0 或正整数（最后一级留空）",
        "fill in Capacity per under Settings, and a whole number of 0 or more in the Tiers table's Capacity cap "
        "column (blank on the last tier)",
    ),
    "hint.prediction": ("请检查“预测月数”和“年折现率”", "check Prediction months and Yearly discount rate"),
    "hint.prediction.months": ("请填写 1 到 120 的整数月数", "enter a whole number of months from 1 to 120"),
    "hint.prediction.at_risk_below": (
        "请填写 0 到 1 之间的概率，如 0.5",
        "enter a probability from 0 to 1, e.g. 0.5",
    ),
    "hint.prediction.discount_rate": (
        "请填写 0 到 1 之间的比率，如 0.1 或 10%",
        "enter a rate from 0 to 1, e.g. 0.1 or 10%",
    ),
    "hint.ahp": (
        "请按指标顺序，每个指标一行一列；单元格为数字或 1/3 这样的分数",
        "enter one row and one column per criterion, in the criteria's order; cells are numbers or 1/3",
    ),
    "hint.ahp.allow": ("请填写“是”或“否”", "enter yes or no"),
    "hint.segments": (
        "细分方法填 rfm 或 matrix；划分依据填 mean 或 median；维度行依次填名称、方法、字段（或指标）、参数、级别名称",
        "enter rfm or matrix as the method, mean or median as the split; a dimension row takes its name, method, "
        "field (or criteria), numbers and level labels in that order",
    ),
    "hint.default": ("请参阅列标题上的批注", "see the note on the column header"),
    # -- order lines (--orders) ---------------------------------------------------------------------------------
    "workbook.same_field": (
        "{where}：“{first}”和“{second}”两列都表示{field}；请改名或删除其中一列",
        "{where}: columns {first!r} and {second!r} both mean {field}; rename or delete one of them",
    ),
    "orders.missing_columns": (
        "{where}：订单明细缺少必需的列：{labels}；请添加该列，或将存放该数据的列改名",
        "{where}: required column missing for order lines: {labels}; add it or rename the column that holds it",
    ),
    "orders.none_readable": (
        "{path}：工作表“{sheet}”：没有一行订单同时具有可读取的客户编号、下单日期和金额；"
        "请运行 `kactier validate {path} --orders` 查看原因",
        "{path}: sheet {sheet!r}: no order line has a customer id, an order date and an amount that can be read; "
        "run `kactier validate {path} --orders` to see why",
    ),
    "orders.empty_folder": (
        "{path}：文件夹中没有订单文件（{suffixes}）；请给出订单导出文件，或放入这些文件的文件夹",
        "{path}: the folder holds no order files ({suffixes}); give an order export, or a folder of such files",
    ),
    "together.empty_folder": (
        "{path}：文件夹中没有客户工作簿（{suffixes}）；请给出工作簿，或放入工作簿的文件夹",
        "{path}: the folder holds no customer workbook ({suffixes}); give workbooks, or a folder holding them",
    ),
    "together.configs_differ": (
        "{first} 与 {other} 的配置表规则不同（{key}），无法在同一标准下合并评级；请用 --config FILE 或 --preset "
        "NAME 指定统一的规则，或使两个配置表一致",
        "{first} and {other} carry different rules on their Config sheets ({key}), so they cannot be graded on one "
        "scale; give --config FILE or --preset NAME to grade them all by one set of rules, or make the sheets the "
        "same",
    ),
    "together.orders": (
        "--orders 一次只读一份订单导出（{count} 个输入）；多个分片请放在一个文件夹中，或用带引号的通配符",
        "--orders reads one order export at a time ({count} inputs given); put its parts in one folder, or give a "
        "quoted glob",
    ),
    "together.output_needed": (
        "合并评级 {count} 个输入时请用 -o 指定输出文件，例如 -o 全公司.tiered.xlsx",
        "grading {count} inputs together needs an output file: give -o, e.g. -o company.tiered.xlsx",
    ),
    "together.output_is_input": (
        "输出文件 {path} 也是输入之一；请为输出另选文件名",
        "the output {path} is one of the inputs; choose another name for the output",
    ),
    "orders.no_match": (
        "{path}：没有文件与此通配符匹配；请检查路径和通配符",
        "{path}: no file matches this pattern; check the path and the pattern",
    ),
    "orders.parts_differ": (
        "{path}：表头与第一个文件 {first} 不同（{headers}，应为 {expected}）；同一次导出的各部分须有相同的表头",
        "{path}: its header differs from the first file's, {first} ({headers}, not {expected}); the parts of one "
        "export must share one header",
    ),
    "orders.part_not_export": (
        "{path}：是工作簿，不是 CSV 或 Parquet 导出文件；文件夹或通配符中的各部分须为 CSV、TSV 或 Parquet 文件，"
        "工作簿请单独评级",
        "{path}: is a workbook, not a CSV or Parquet export; the parts of a folder or glob must be CSV, TSV or "
        "Parquet files: grade a workbook on its own",
    ),
    "orders.parquet_damaged": (
        "{path}：无法读取 Parquet 文件（{reason}）；请重新导出",
        "{path}: the Parquet file cannot be read ({reason}); export it again",
    ),
    "orders.csv_wide_line": (
        "{path}：第 {line} 行的字段远多于表头和前几行的 {width} 列；请检查该行的分隔符或引号",
        "{path}: line {line} has far more fields than the {width} columns of the header and the first lines; "
        "check that line's delimiters and quotes",
    ),
    "orders.config_fields": (
        "{path}：配置“{config}”要评分的 {labels} 无法从订单明细得出；使用 --orders 时客户只有：{have}；"
        "请改用 --preset rfm、sales-abc 或 sales-profit-payment，或用 --config 指定基于这些字段的配置",
        "{path}: the config {config!r} scores {labels}, which order lines do not give; with --orders the customers "
        "have: {have}; use --preset rfm, sales-abc or sales-profit-payment, or a --config over these fields",
    ),
    "orders.looks_like_orders": (
        "{path}：工作表“{sheet}”看起来是订单明细，而不是每个客户一行：其中有订单列“{column}”，且客户编号“{customer}”"
        "出现在第 {first} 行和第 {second} 行；请加 --orders 按客户汇总订单（kactier score {path} --orders）",
        "{path}: sheet {sheet!r} looks like order lines, not one row per customer: it has the order column "
        "{column!r} and customer id {customer!r} is on rows {first} and {second}; add --orders to total the orders "
        "per customer (kactier score {path} --orders)",
    ),
    # -- scoring ------------------------------------------------------------------------------------------------
    "data.weights": (
        "无法根据这些客户计算 {method} 权重：{reason}",
        "{method} weights cannot be computed from these customers: {reason}",
    ),
}
