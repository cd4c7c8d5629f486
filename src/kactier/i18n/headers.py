"""Header matching: how a header was matched to a field, near misses and their fixes, in Chinese and English.

The ``mapping.*`` messages are errors (:mod:`kactier.validate.mapping`); their first line says what is wrong, the
indented lines below it what the sheet has and the exact fix. ``{where}`` is a ``where.header`` phrase.
"""

HEADERS: dict[str, tuple[str, str]] = {
    # -- how a header was matched (terminal, Config sheet, --json) ----------------------------------------------
    "match.exact": ("完全一致", "exact"),
    "match.alias": ("别名", "alias"),
    "match.variant": ("近似写法", "variant"),
    "match.config": ("指定", "config"),
    "mapping.title": ("表头对应", "Column mapping"),
    "mapping.header": ("表头", "Header"),
    "mapping.field": ("字段", "Field"),
    "mapping.match": ("匹配方式", "Match"),
    "mapping.block": ("{title}：", "{title}:"),
    "mapping.exact_line": ("  名称完全一致：{headers}", "  exact: {headers}"),
    "mapping.line": ("  {header} → {field}（{key}，{match}）", "  {header} → {field} ({key}, {match})"),
    # -- a required or scored column missing ------------------------------------------------------------------
    "mapping.required_missing": (
        "{where}：缺少必需的列：{fields}{details}",
        "{where}: required column missing: {fields}{details}",
    ),
    "mapping.scored_missing": (
        "{where}：配置“{config}”要评分的列，此表没有：{fields}；请添加或指定这些列，或换用其他预设"
        "（kactier presets）或 --config{details}",
        "{where}: the config {config!r} scores columns this sheet does not have: {fields}; add or map them, "
        "or choose another preset (`kactier presets`) or --config{details}",
    ),
    "mapping.unmatched": ("未对应任何字段的表头：{headers}", "headers that match no field: {headers}"),
    "mapping.no_unmatched": (
        "此表每个表头都已对应字段",
        "every header of the sheet already matches a field",
    ),
    "mapping.closest": ("与“{label}”最接近的表头：{headers}", "closest to {label!r}: {headers}"),
    "mapping.fix": (
        '改法：把表头“{header}”改为“{label}”，或在配置中加 [columns] {key} = "{header}"，'
        '或加 --map "{header}={key}"',
        'fix: rename the header {header!r} to {label!r}, or add [columns] {key} = "{header}" to the config, '
        'or pass --map "{header}={key}"',
    ),
    "mapping.fix_add": (
        '改法：添加{labels}列，或用 --map "表头={key}" 指定已有的列',
        'fix: add the column {labels}, or map an existing one with --map "HEADER={key}"',
    ),
    # -- two columns, one field; one column, two fields ---------------------------------------------------------
    "mapping.two_columns": (
        "{where}：“{first}”和“{second}”两列都表示{field}；请改名或删除其中一列，或用 --map 指定",
        "{where}: columns {first!r} and {second!r} both mean {field}; rename or delete one of them, or choose "
        "one with --map",
    ),
    "mapping.ambiguous": (
        "{where}：无法确定“{header}”列是{fields}中的哪一个{details}",
        "{where}: column {header!r} could be any of {fields}{details}",
    ),
    "mapping.ambiguous_fix": (
        "改法：把表头改为其中一个字段的名称，或指定：{fixes}",
        "fix: rename the header to one field's name, or map it: {fixes}",
    ),
    "mapping.parts": ("", ""),  # the placeholder key of phrases worded in code (validate.mapping.Lines)
    # -- an explicit mapping that does not fit the sheet ----------------------------------------------------------
    "mapping.no_such_header": (
        "{where}：{source} 指定的表头“{header}”（{key}）不在此表中；此表的表头：{headers}",
        "{where}: {source} names the header {header!r} ({key}), which this sheet does not have; its headers: "
        "{headers}",
    ),
    "mapping.bad_map": (
        '{value!r} 不是“表头=字段”的写法，例如 --map "购买能力指数=purchasing_power"',
        '{value!r} is not HEADER=field, e.g. --map "购买能力指数=purchasing_power"',
    ),
    "mapping.unknown_field": (
        "{field!r} 不是 kactier 的字段{close}；字段有：{fields}",
        "{field!r} is not a kactier field{close}; the fields: {fields}",
    ),
    "mapping.did_you_mean": ("（是否要写 {key}？）", " (did you mean {key}?)"),
    "mapping.header_twice": (
        "表头 {header!r} 被指定给了两个字段：{keys}；一个表头只能对应一个字段",
        "the header {header!r} is mapped to two fields: {keys}; a header maps to one field",
    ),
    "mapping.source_config": ("配置中的 [columns]", "[columns] in the config"),
    "mapping.source_map": ("--map", "--map"),
}
