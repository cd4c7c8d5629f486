"""Canonical customer fields and the header aliases that name them.

Headers are matched after :func:`normalize_header`: Unicode NFKC (full-width forms become ASCII), lower case, and
every space and punctuation mark removed, so ``"Customer ID"``, ``"customer_id"`` and ``"ＣＵＳＴＯＭＥＲ－ＩＤ"`` are
one name. A unit in brackets at the end (``年销售额（元）``) is ignored when the full header matches nothing.

The fields (key, labels, kind, range) are defined here; their header aliases and the lifecycle stages' spellings are
data, in ``aliases.toml`` beside this module, read once at import.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import resources

ALIAS_FILE = "aliases.toml"  # package data of kactier


class Kind(StrEnum):
    """How a field's cells are read."""

    ID = "id"
    TEXT = "text"
    NUMBER = "number"  # any real number
    MONEY = "money"  # a non-negative amount
    SIGNED_MONEY = "signed_money"  # an amount that may be negative (profit)
    COUNT = "count"  # a non-negative number of things or days
    SCORE = "score"  # 0..100
    DATE = "date"
    STAGE = "stage"
    TIER = "tier"


@dataclass(frozen=True, slots=True)
class Field:
    """A canonical field: its key, Chinese and English labels, kind and header aliases."""

    key: str
    zh: str
    en: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def label(self, lang: str) -> str:
        """The field's display name in ``lang``."""
        return self.zh if lang == "zh" else self.en


def _alias_tables() -> dict[str, dict[str, list[str]]]:
    """The ``fields`` and ``stages`` tables of aliases.toml, the data file beside this module."""
    data = resources.files("kactier").joinpath(ALIAS_FILE).read_text(encoding="utf-8")
    return tomllib.loads(data)


_ALIAS_TABLES = _alias_tables()


def _with_aliases(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """``fields`` with the header aliases aliases.toml lists for each; the file must name exactly these fields."""
    table = _ALIAS_TABLES["fields"]
    if list(table) != [f.key for f in fields]:
        raise RuntimeError(f"{ALIAS_FILE} must list the aliases of every field in kactier.fields, in order")
    return tuple(replace(f, aliases=tuple(table[f.key])) for f in fields)


FIELDS: tuple[Field, ...] = _with_aliases(
    (
        Field("customer_id", "客户编号", "Customer ID", Kind.ID),
        Field("customer_name", "客户名称", "Customer Name", Kind.TEXT),
        Field("region", "所在地区", "Region", Kind.TEXT),
        Field("industry", "所属行业", "Industry", Kind.TEXT),
        Field("owner", "负责人", "Sales Owner", Kind.TEXT),
        Field("stage", "客户状态", "Lifecycle Stage", Kind.STAGE),
        Field("first_deal_date", "首次合作日期", "First Deal Date", Kind.DATE),
        Field("tenure_years", "合作年限", "Tenure Years", Kind.COUNT),
        Field("annual_sales", "年销售额", "Annual Sales", Kind.MONEY),
        Field("gross_profit", "毛利", "Gross Profit", Kind.SIGNED_MONEY),
        Field("orders", "交易次数", "Orders", Kind.COUNT),
        Field("avg_price", "平均单价", "Average Price", Kind.MONEY),
        Field("payment_days", "回款天数", "Payment Days", Kind.COUNT),
        Field("overdue_amount", "逾期金额", "Overdue Amount", Kind.MONEY),
        Field("recency_days", "距上次购买天数", "Recency Days", Kind.COUNT),
        Field("purchasing_power", "购买力评分", "Purchasing Power", Kind.SCORE, low=0, high=100),
        Field("frequency_score", "交易频次评分", "Transaction Frequency", Kind.SCORE, low=0, high=100),
        Field("history_score", "合作历史评分", "Relationship History", Kind.SCORE, low=0, high=100),
        Field("influence_score", "市场影响力评分", "Market Influence", Kind.SCORE, low=0, high=100),
        Field("loyalty_score", "客户忠诚度评分", "Customer Loyalty", Kind.SCORE, low=0, high=100),
        Field("satisfaction", "满意度", "Satisfaction", Kind.NUMBER),
        Field("recommend", "推荐意愿", "Likelihood to Recommend", Kind.SCORE, low=0, high=10),
        Field("override_tier", "调整级别", "Tier Override", Kind.TIER),
        Field("override_reason", "调整原因", "Override Reason", Kind.TEXT),
        # Computed from order lines (`kactier score --orders`), or given in a customer sheet.
        Field("avg_order_value", "平均客单价", "Average Order Value", Kind.MONEY),
        Field("last_order_date", "最近购买日期", "Last Order Date", Kind.DATE),
        # Fields of an order line (`kactier score --orders`): one row per order.
        Field("order_id", "订单号", "Order ID", Kind.ID),
        Field("order_date", "订单日期", "Order Date", Kind.DATE),
        Field("order_amount", "订单金额", "Order Amount", Kind.SIGNED_MONEY),  # a refund is a negative amount
        Field("paid_date", "回款日期", "Paid Date", Kind.DATE),
    )
)

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED: tuple[str, ...] = ("customer_id", "customer_name")


def both_labels(key: str) -> str:
    """``"客户编号 / Customer ID"``: a field's Chinese and English labels for a message; ``repr(key)`` for a key that
    is not a field (a criterion named by its header)."""
    spec = FIELD_BY_KEY.get(key)
    return f"{spec.zh} / {spec.en}" if spec is not None else repr(key)


# Lifecycle stages, canonical key -> accepted spellings (zh-Hans, zh-Hant, en).
STAGES: dict[str, tuple[str, ...]] = {key: tuple(names) for key, names in _ALIAS_TABLES["stages"].items()}

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_TRAILING_UNIT = re.compile(r"[\(\[（【].*?[\)\]）】]\s*$")


def normalize_header(text: object) -> str:
    """Fold a header for matching: NFKC, lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field in FIELDS:
        for name in (field.key, field.zh, field.en, *field.aliases):
            index.setdefault(normalize_header(name), field.key)
    return index


ALIASES: dict[str, str] = _alias_index()
STAGE_INDEX: dict[str, str] = {normalize_header(s): key for key, names in STAGES.items() for s in names}


def match_header(text: object) -> str | None:
    """The canonical field key a header names, or None."""
    if text is None or text == "":
        return None
    key = ALIASES.get(normalize_header(text))
    if key is None:
        without_unit = _TRAILING_UNIT.sub("", unicodedata.normalize("NFKC", str(text)))
        if without_unit and without_unit != str(text):
            key = ALIASES.get(normalize_header(without_unit))
    return key


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a CJK ideograph (decides ``--lang auto``)."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
