"""What the terminal shows: the run summary, progress, notes, problems, the batch and history tables, in Chinese and
English. ``stage.*`` and ``missing_policy.*`` name values inside issue messages; ``fix.*`` says what to do about a
problem whose message does not already say it."""

TERMINAL: dict[str, tuple[str, str]] = {
    # the summary of score and validate
    "term.head": (
        "{input} · 工作表 {sheet} · 表头第 {header_row} 行 · 配置 {config} · 权重 {weights} · 分级 {tiers}",
        "{input} · sheet {sheet} · header row {header_row} · config {config} · weights {weights} · tiers {tiers}",
    ),
    "term.weights_used": ("采用的权重（{method}）：{weights}", "weights used ({method}): {weights}"),
    "term.provisional": (
        "暂定：{provisional} · 人工调整：{overridden}",
        "provisional: {provisional} · overridden: {overridden}",
    ),
    "term.note": ("提示：{note}", "note: {note}"),
    "term.rows": (
        "共读取 {read} 行 · 已评级 {graded} 行 · 未评级 {invalid} 行 · 跳过 {skipped} 行 · 问题 {issues} 条",
        "rows: {read} read · {graded} graded · {invalid} not graded · {skipped} skipped · {issues} issue(s)",
    ),
    "term.problems": ("需要处理的问题（{count} 条）：", "problems to fix ({count}):"),
    "term.notes": ("说明（{count} 条）：", "notes ({count}):"),
    "term.more_in_sheet": ("… 另有 {count} 条，见问题表", "… {count} more in the Issues sheet"),
    "term.more_in_json": (
        "… 另有 {count} 条，用 --json 查看全部",
        "… {count} more; see them all with --json",
    ),
    "term.since_run": ("与第 {run} 次运行相比：{changes}", "since run #{run}: {changes}"),
    "term.since_review": (
        "与 {name} 评审前的级别相比：{changes}",
        "against the tiers {name} carried before the review: {changes}",
    ),
    "term.change_count": ("{label} {count}", "{count} {label}"),
    "term.wrote": ("已写入", "wrote"),
    "term.nothing_graded": (
        "没有一行能评级：先处理下面的问题，再重新运行",
        "no row could be graded: fix the problems below and re-run",
    ),
    # one issue line, and issues folded into one line
    "term.sheet_wide": ("整表", "sheet"),
    "term.row": ("第 {row} 行", "row {row}"),
    "term.rows_folded": ("{count} 处：{rows}", "{count} rows: {rows}"),
    "term.rows_of": ("第 {rows} 行", "rows {rows}"),
    "term.in_file": ("{file} {rows}", "{file} {rows}"),
    "term.file_sep": ("；", "; "),
    "term.rows_more": ("{rows} 等", "{rows}, …"),
    "term.row_sep": ("、", ", "),
    "term.first_shown": ("（以第 {row} 行为例）", " (as in row {row})"),
    "term.issue_line": ("{message}（{action}）· {where}", "{message} ({action}) · {where}"),
    "term.issue_line_sheet": ("{message}（{action}）", "{message} ({action})"),
    "term.fix": ("处理：{fix}", "to fix: {fix}"),
    "term.no_customers": (
        "{where}：还没有填写客户；在表中填写客户后再运行",
        "{where}: no customers entered yet; fill in the customers and run again",
    ),
    "term.nothing_graded_error": (
        "{where}：没有一行能评级\n{problems}",
        "{where}: no row could be graded\n{problems}",
    ),
    "term.more_kinds": ("… 另有 {count} 类问题", "… {count} more kinds of problem"),
    "term.strict_rows": (
        "{where}：{count} 行无法评级（--strict）；运行 `kactier validate {path}` 列出这些行，修正后重新运行",
        "{where}: {count} row(s) cannot be graded (--strict); "
        "run `kactier validate {path}` to list them, fix them and re-run",
    ),
    "term.strict_lines": (
        "{where}：{count} 条订单行无法计入（--strict）；运行 `kactier validate {path} --orders` 列出这些行，"
        "修正后重新运行",
        "{where}: {count} order line(s) cannot be counted (--strict); "
        "run `kactier validate {path} --orders` to list them, fix them and re-run",
    ),
    # what to do about a problem
    "fix.not_a_number": ("改为数字（如 85）后重新运行", "enter a number (such as 85) and re-run"),
    "fix.not_a_date": ("改为日期（如 2024-03-05）后重新运行", "enter a date (such as 2024-03-05) and re-run"),
    "fix.out_of_range": ("改到允许的范围内后重新运行", "bring the value into the allowed range and re-run"),
    "fix.negative_value": ("改为不小于 0 的数值", "enter a value of 0 or more"),
    "fix.no_criteria": ("至少填写一项评分指标", "fill in at least one scoring criterion"),
    "fix.missing_value": (
        "填写该值，或在配置表中更改缺失值策略",
        "fill in the value, or change the missing-value policy in Config",
    ),
    "fix.unknown_stage": ("改为可选的客户状态之一", "use one of the listed stages"),
    "fix.unknown_tier": ("改为可选级别之一，或清空", "use one of the listed tiers, or clear it"),
    "fix.missing_name": ("填写客户名称", "fill in the customer name"),
    "fix.order_value_missing": ("补全订单行后重新运行", "complete the order line and re-run"),
    # progress
    "term.progress.starting": ("准备中", "starting"),
    "term.progress.done": ("完成", "done"),
    "term.progress.read": ("读取", "reading"),
    "term.progress.validate": ("校验", "validating"),
    "term.progress.score": ("评分", "scoring"),
    "term.progress.grade": ("分级", "grading"),
    "term.progress.write": ("写入", "writing"),
    "term.progress.history": ("记录历史", "recording history"),
    # batch
    "term.batch.input": ("输入", "input"),
    "term.batch.result": ("结果", "result"),
    "term.batch.graded": ("已评级", "graded"),
    "term.batch.tiers": ("级别", "tiers"),
    "term.batch.changes": ("变化", "changes"),
    "term.batch.output": ("输出", "output"),
    "term.batch.ok": ("成功", "ok"),
    "term.batch.exit": ("退出码 {code}", "exit {code}"),
    "term.batch.first_run": ("首次运行", "first run"),
    "term.batch.totals": (
        "成功 {ok} 个 · 失败 {failed} 个 · 跳过 {skipped} 个 · 历史库 {history}",
        "{ok} ok · {failed} failed · {skipped} skipped · history {history}",
    ),
    # history
    "term.history.run": ("运行", "run"),
    "term.history.run_at": ("运行时间", "run at"),
    "term.history.input": ("输入", "input"),
    "term.history.as_of": ("基准日", "as of"),
    "term.history.config": ("配置", "config"),
    "term.history.score": ("得分", "score"),
    "term.history.tier": ("级别", "tier"),
    "term.history.change": ("变化", "change"),
    "term.history.not_in_input": ("不在输入中", "not in input"),
    "term.history.not_graded": ("未评级", "not graded"),
    "term.history.new": ("新增", "new"),
    "term.history.up": ("升级", "up"),
    "term.history.down": ("降级", "down"),
    "term.history.unchanged": ("不变", "unchanged"),
    # other commands
    "term.template_wrote": (
        "已写入 {target}；填写后运行：kactier score {target}",
        "wrote {target}; fill it in and run: kactier score {target}",
    ),
    "term.config_wrote": (
        "已写入 {target}；修改后运行：kactier score 客户表.xlsx --config {target}",
        "wrote {target}; edit it and run: kactier score INPUT --config {target}",
    ),
    "term.error": ("kactier：错误：", "kactier: error:"),
    # notes of a run (kactier.i18n.Note): the English wording is also what --json's warnings say
    "note.config_sheet": (
        "按工作簿中的配置表“{sheet}”评级",
        "config: the workbook's Config sheet {sheet!r}",
    ),
    "note.configs_differ": (
        "{first} 与 {other} 的配置表规则不同（{key}），按 --preset 指定的预设统一评级",
        "the Config sheets of {first} and {other} differ ({key}); all are graded by the --preset given",
    ),
    "note.outputs_passed_over": (
        "跳过文件夹中已评级的输出文件：{files}；如需一并评级，请直接写出文件名",
        "passed over the graded outputs in the folder: {files}; name a file to grade it too",
    ),
    "note.together": (
        "{count} 个工作簿合并评级：{files}",
        "{count} workbooks graded as one list: {files}",
    ),
    "note.preset_not_used": (
        "未使用 --preset {preset}：工作簿中的配置表“{sheet}”优先于预设；要按其他规则评级，请用 --config FILE",
        "--preset {preset} was not used: the workbook's Config sheet {sheet!r} wins over a preset; "
        "pass --config FILE to grade with other rules",
    ),
    "note.no_value": (
        "{field}：已评级的客户都没有该值（缺失值策略 {policy}）",
        "{field}: no graded customer has a value (missing-value policy {policy})",
    ),
    "note.constant": (
        "{field}：已评级的客户取值都相同，每位客户记 {points} 分",
        "{field}: every graded customer has the same value; each gets {points} points",
    ),
    "note.abc_limits": ("计算得到的 ABC 分界值：{limits}", "computed ABC value limits: {limits}"),
    "note.history_same": (
        "历史：输入、配置和基准日与第 {run} 次运行相同，不再重复记录",
        "history: same input, config and as-of date as run #{run}; not recorded again",
    ),
    "note.future_order": (
        "最后一笔订单日期 {day} 晚于今天；请检查，或用 --as-of 指定基准日",
        "the last order date {day} is in the future; check it, or pass --as-of",
    ),
    "note.orders": (
        "订单：统计窗口 {first} 至 {as_of}（{months} 个月）；订单行：读取 {read} 行，窗口内 {in_window} 行，"
        "窗口前 {before} 行，基准日后 {after} 行，无效 {invalid} 行，非数据 {skipped} 行；共 {customers} 个客户",
        "orders: window {first} to {as_of} ({months} months); lines: {read} read, {in_window} in the window, "
        "{before} before it, {after} after the as-of date, {invalid} invalid, {skipped} not data; "
        "{customers} customers",
    ),
    "note.amount_column": (
        "以“{column}”列作为每笔订单的金额",
        "column {column!r} is taken as each order's amount",
    ),
    "note.payment_days": (
        "回款天数取自“{days}”列（有值时），否则按“{paid}”列计算",
        "payment days are read from {days!r} where it has a value, else counted from {paid!r}",
    ),
    # values named inside issue messages
    "term.csv_read_as": (
        "CSV（{encoding}，{delimiter}分隔）",
        "CSV, {encoding}, {delimiter}-separated",
    ),
    "term.format.xlsb": (".xlsb", ".xlsb"),
    "term.format.ods": ("OpenDocument 表格", "OpenDocument spreadsheet"),
    "term.format.parquet": ("Parquet 文件", "Parquet file"),
    "term.format.xls": ("旧版 .xls 工作簿", "legacy .xls workbook"),
    "term.encoding.utf8_bom": ("带 BOM 的 UTF-8", "UTF-8 with BOM"),
    "term.delimiter.comma": ("逗号", "comma"),
    "term.delimiter.tab": ("制表符", "tab"),
    "term.delimiter.semicolon": ("分号", "semicolon"),
    "term.delimiter.vertical_bar": ("竖线", "vertical bar"),
    "stage.non_customer": ("非客户", "non-customer"),
    "stage.prospect": ("潜在客户", "prospect"),
    "stage.target": ("目标客户", "target"),
    "stage.intent": ("意向客户", "intent"),
    "stage.active": ("现实客户", "active"),
    "stage.churned": ("流失客户", "churned"),
    "missing_policy.zero": ("记 0 分", "zero"),
    "missing_policy.median": ("取中位数", "median"),
    "missing_policy.exclude": ("不计该指标并重新加权", "exclude"),
    "missing_policy.reject": ("该行不评级", "reject"),
}
