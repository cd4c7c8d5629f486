"""The texts of ``kactier split`` (one workbook per owner handed back), in Chinese and English."""

SPLIT: dict[str, tuple[str, str]] = {
    "split.blank": ("(空)", "(blank)"),
    "split_by": ("拆分依据", "Split by"),
    "split.not_graded": (
        "{path}：不是 kactier 评级后的工作簿（没有综合得分、排名、客户级别等列）；请先用 kactier score 评级，"
        "再拆分评级结果",
        "{path}: is not a workbook kactier graded (it has no Score, Rank, Tier… columns); grade it with "
        "kactier score first, then split the graded workbook",
    ),
    "split.tiers_differ": (
        "{path}：{count} 位客户的级别与按其数据和配置重新计算的不同（如 {id}：表中为 {was}，应为 {now}）；"
        "评级后数据或调整级别被改过，请先用 kactier score 重新评级，再拆分新的结果",
        "{path}: {count} customer(s) carry a tier their data and rules no longer give (e.g. {id}: {was} in the "
        "workbook, {now} now); the data or overrides were edited after grading, so run kactier score on it "
        "again and split the new output",
    ),
    "split.no_column": (
        "没有名为「{by}」的列可供拆分；请用 --by 给出字段名（如 owner）或以下表头之一：{headers}",
        "no column {by!r} to split by; give --by a field key (such as owner) or one of the headers: {headers}",
    ),
    "split.out_dir_not_folder": (
        "{path}：不是文件夹；请用 --out-dir 给出一个文件夹（不存在时会创建）",
        "{path}: is not a folder; give --out-dir a folder (it is created when missing)",
    ),
    "split.passwords_unreadable": (
        "{path}：无法读取密码文件（{reason}）",
        "{path}: cannot read the password file ({reason})",
    ),
    "split.passwords_not_utf8": (
        "{path}：密码文件不是 UTF-8 文本；请在 Excel 中另存为「CSV UTF-8」",
        '{path}: the password file is not UTF-8 text; save it as "CSV UTF-8"',
    ),
    "split.passwords_no_password": (
        "{path} 第 {line} 行：「{value}」没有密码；每行写 负责人,密码",
        "{path} line {line}: {value!r} has no password; write one owner,password per line",
    ),
    "split.passwords_twice": (
        "{path} 第 {line} 行：「{value}」在文件中出现两次且密码不同；每位负责人只保留一行",
        "{path} line {line}: {value!r} is listed twice with two passwords; keep one line per owner",
    ),
    "split.passwords_missing": (
        "{path}：没有以下 {count} 位负责人的密码：{values}；请补上后重试（未写入任何文件）",
        "{path}: no password for {count} owner value(s): {values}; add them and run again (nothing was "
        "written)",
    ),
    "term.split.wrote": ("已写入 {path}（{rows} 位客户{locked}）", "wrote {path} ({rows} customers{locked})"),
    "term.split.locked": ("，已加密", ", encrypted"),
    "term.split.summary": (
        "{input} 按「{by}」拆分为 {count} 个工作簿 · 评级基准日 {as_of}",
        "{input} split by {by!r} into {count} workbooks · as of {as_of}",
    ),
}
