"""Command-line option problems and hints, config-file problems, and the batch and history messages, in Chinese and
English."""

DATE_FORMS = "2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 20261130"
_DATE_FORMS_ZH = "2026-11-30、2026/11/30、2026.11.30、2026年11月30日、20261130"
_INPUT_KINDS = ".xlsx, .xlsm, .xls, .xlsb, .ods, .csv"
_INPUT_KINDS_ZH = ".xlsx、.xlsm、.xls、.xlsb、.ods、.csv"

CLI: dict[str, tuple[str, str]] = {
    # -- options ----------------------------------------------------------------------------------------------------
    "cli.bad_date": (
        f"「{{value}}」不是日期，请写成以下任一种：{_DATE_FORMS_ZH}",
        f"{{value!r}} is not a date; write it as one of {DATE_FORMS}",
    ),
    "cli.output_suffix": (
        "「{path}」不是 .xlsx 文件名；kactier 写的是 Excel 工作簿，请改用如 -o {suggestion}",
        "'{path}' does not end in .xlsx; kactier writes an Excel workbook, so use e.g. -o {suggestion}",
    ),
    "cli.preset_unknown": (
        "没有名为「{name}」的预设；可用的有：{names}（见 kactier presets）",
        "unknown preset {name!r}; available: {names} (see `kactier presets`)",
    ),
    "cli.preset_unknown_near": (
        "没有名为「{name}」的预设，是不是要用 {suggestion}？可用的有：{names}（见 kactier presets）",
        "unknown preset {name!r}; did you mean {suggestion}? Available: {names} (see `kactier presets`)",
    ),
    "cli.folder_read_only": (
        "{folder}：该文件夹不可写入；请换一个有写入权限的文件夹，或修改它的权限（如 chmod u+w {folder}）",
        "{folder}: this folder cannot be written to; choose a folder you can write to, or fix its permissions "
        "(e.g. chmod u+w {folder})",
    ),
    "cli.password_prompt": ("工作簿密码", "Workbook password"),
    "cli.password_twice": (
        "--password 与 --password-file 只能给一个",
        "give either --password or --password-file, not both",
    ),
    "cli.password_empty": (
        "密码为空；请输入密码，或不加 --password",
        "the password is empty; type it, or leave out --password",
    ),
    "cli.password_file_unreadable": (
        "{path}：无法读取密码文件（{reason}）",
        "{path}: cannot read the password file ({reason})",
    ),
    "cli.config_from": ("配置文件：{path}", "config file: {path}"),
    # -- config files -----------------------------------------------------------------------------------------------
    "cli.batch.no_match": ("{pattern}：没有匹配到工作簿", "{pattern}: matches no workbook"),
    "cli.batch.no_such_path": (
        "{path}：没有这个文件或文件夹；请检查路径",
        "{path}: no such file or folder; check the path",
    ),
    "cli.config.not_found": (
        "{path}：找不到配置文件；请检查路径",
        "{path}: config file not found; check the path",
    ),
    "cli.config.unreadable": (
        "{path}：无法读取配置文件（{reason}）",
        "{path}: cannot read the config file ({reason})",
    ),
    "cli.config.not_toml": ("{source}：不是有效的 TOML：{reason}", "{source}: not valid TOML: {reason}"),
    "cli.config.problems": ("{source}：{problems}", "{source}: {problems}"),
    "cli.config.where_top": ("配置", "the config"),
    "cli.config.where_criterion": ("第 {n} 个指标（criteria）", "criterion {n}"),
    "cli.config.where_tier": ("第 {n} 个等级（tiers.levels）", "tier {n}"),
    "cli.config.where_table": ("[{table}] 表", "the [{table}] table"),
    "cli.config.where_item": ("{key} 的第 {n} 项", "item {n} of {key}"),
    "cli.config.unknown_key": (
        "{where}中有未知的键「{key}」，请检查拼写",
        "{where} has an unknown key {key!r}; check the spelling",
    ),
    "cli.config.unknown_key_near": (
        "{where}中有未知的键「{key}」（是不是要写 {suggestion}？）",
        "{where} has an unknown key {key!r} (did you mean {suggestion!r}?)",
    ),
    "cli.config.missing": ("{where}缺少必填的键「{key}」", "{where} needs the key {key!r}"),
    "cli.config.wrong_type": (
        "{where}的「{key}」应为{expected}，而不是 {value}",
        "{where}: {key!r} must be {expected}, not {value}",
    ),
    "cli.config.choice": (
        "{where}的「{key}」只能是 {choices} 之一，而不是 {value}",
        "{where}: {key!r} must be one of {choices}, not {value}",
    ),
    "cli.config.at_least": (
        "{where}的「{key}」至少应为 {limit}，而不是 {value}",
        "{where}: {key!r} must be at least {limit}, not {value}",
    ),
    "cli.config.at_most": (
        "{where}的「{key}」至多为 {limit}，而不是 {value}",
        "{where}: {key!r} must be at most {limit}, not {value}",
    ),
    "cli.config.too_few": (
        "{where}的「{key}」至少要有 {limit} 项",
        "{where}: {key!r} needs at least {limit} entries",
    ),
    "cli.config.too_many": (
        "{where}的「{key}」最多只能有 {limit} 项",
        "{where}: {key!r} takes at most {limit} entries",
    ),
    "cli.config.rule": ("{where}：{message}", "{where}: {message}"),
    "cli.config.rule_key": ("{where}的「{key}」：{message}", "{where}: {key!r}: {message}"),
    "cli.config.expect_number": ("数字", "a number"),
    "cli.config.expect_integer": ("整数", "a whole number"),
    "cli.config.expect_bool": ("true 或 false", "true or false"),
    "cli.config.expect_text": ("文本", "text"),
    "cli.config.expect_list": ("列表（[...]）", "a list ([...])"),
    "cli.config.expect_table": ("表（{...}）", "a table ({...})"),
    # -- batch ------------------------------------------------------------------------------------------------------
    "cli.batch.empty_folder": (
        f"{{folder}}：文件夹里没有可评级的工作簿（{_INPUT_KINDS_ZH}）；请检查文件夹",
        f"{{folder}}: holds no workbook ({_INPUT_KINDS}); check the folder",
    ),
    "cli.batch.nothing": (
        "没有可评级的工作簿：{arguments} 中一个工作簿也没有；请给出工作簿、文件夹或通配符",
        "nothing to grade: no workbook among {arguments}; give workbooks, folders or glob patterns",
    ),
    # -- history ----------------------------------------------------------------------------------------------------
    "cli.history.missing": (
        "{path}：这里没有历史数据库。batch 会在 --out-dir 里写一个（之后用 kactier history ID --out-dir DIR 查询），"
        "score 加 --history FILE 也会记录一个（之后用 --history FILE 查询）",
        "{path}: no history database here; `kactier batch INPUT... --out-dir DIR` writes one in DIR (then ask "
        "`kactier history ID --out-dir DIR`), and `kactier score INPUT --history FILE` records one in FILE (then "
        "give --history FILE)",
    ),
    "cli.history.unknown_customer": (
        "{path}：{runs} 次记录中没有客户「{customer}」；编号须与输入中“客户编号”列的文本完全一致",
        "{path}: no run lists customer {customer!r} ({runs} run(s) recorded); ids match exactly, as text, as in "
        "the input's 客户编号 / Customer ID column",
    ),
    "cli.history.unknown_customer_near": (
        "{path}：{runs} 次记录中没有客户「{customer}」，是不是要查 {suggestion}？编号须与输入中“客户编号”列的文本完全一致",
        "{path}: no run lists customer {customer!r} ({runs} run(s) recorded); did you mean {suggestion}? Ids match "
        "exactly, as text, as in the input's 客户编号 / Customer ID column",
    ),
}
