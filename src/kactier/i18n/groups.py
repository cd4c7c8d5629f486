"""Texts of tiers within groups (``[tiers] group_by``) and capacity caps (``[tiers.capacity]``): marks, issues,
errors, Summary sections and Config sheet labels. Each entry is (简体中文, English)."""

from __future__ import annotations

GROUPS: dict[str, tuple[str, str]] = {
    # -- the data sheet's mark and the Issues sheet -------------------------------------------------------------
    "capacity": ("容量调整", "Capacity"),
    "action.tier_moved": ("级别下调一级", "tier moved down one level"),
    "issue.capacity_moved": ("容量调整：{detail}", "capacity cap: {detail}"),
    "note.capacity_moved": (
        "原级别 {tier}；{per}“{value}”的 {tier} 级客户已达上限 {cap} 个，调为 {to}",
        "original tier {tier}; {per} {value!r} already has its {cap} {tier} customers, moved to {to}",
    ),
    "issue.blank_group": (
        "分组列为空：该客户在“（空）”组内参与{detail}",
        "blank group value: the customer is in the group of blanks for {detail}",
    ),
    "note.group_tiers": ("分级", "tiering"),
    "note.group_capacity": ("容量上限", "the capacity cap"),
    "note.group_both": ("分级和容量上限", "tiering and the capacity cap"),
    # -- a group column the sheet does not have ------------------------------------------------------------------
    "tiers.no_group_column": (
        "{where}：配置 [tiers] 的 {setting} 指定的列“{header}”不在此表中；此表的表头：{headers}。"
        "请改为其中一个表头，或在表中加上这一列",
        "{where}: {setting} in the config's [tiers] names the column {header!r}, which this sheet does not have; "
        "its headers: {headers}. Name one of them, or add the column",
    ),
    # -- Summary sections ---------------------------------------------------------------------------------------
    "by_tier_group": ("分组级别分布（客户数）", "Tiers by group (customers)"),
    "by_capacity_group": ("容量分组级别分布（客户数）", "Tiers by capacity group (customers)"),
    # -- Config sheet ----------------------------------------------------------------------------------------
    "tier_group_by": ("分组分级依据", "Tier within groups of"),
    "capacity_per": ("容量上限按", "Capacity per"),
    "cfg_capacity": ("容量上限", "Capacity cap"),
    "cfg_help.group_by": (
        "可选：在每个取值（如每个地区）内分别分级；填字段或表头，留空则全部客户一起分级",
        "Optional: grade within each value of this field or header (e.g. each region); blank grades everyone together",
    ),
    "cfg_help.capacity_per": (
        "可选：容量上限按此字段或表头计（如负责人）；在“级别”表的“容量上限”列填每级的上限",
        "Optional: the field or header the capacity caps count per (e.g. the sales owner); give each tier's cap in the "
        "Tiers table's Capacity cap column",
    ),
    "cfg_help.tiers.capacity": (
        "可选：每个“容量上限按”取值下该级最多的客户数；超出的排名最低者下调一级（最后一级不设上限）",
        "Optional: the most customers of this tier per Capacity per value; the lowest-ranked above it move down one "
        "tier (the last tier has no cap)",
    ),
}
