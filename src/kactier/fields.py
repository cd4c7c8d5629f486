"""Canonical customer fields and the header aliases that name them.

Headers are matched after :func:`fold_header`: Traditional Chinese written in Simplified (OpenCC), Unicode NFKC
(full-width forms become ASCII), lower case, and every space and punctuation mark removed, so ``"Customer ID"``,
``"customer_id"``, ``"ＣＵＳＴＯＭＥＲ－ＩＤ"`` and ``"客戶編號"`` / ``"客户编号"`` are one name. A header that matches no name
as written is tried as a variant (:func:`header_candidates`): a unit in brackets (``年销售额（元）``) or a score's
suffix dropped (``购买力得分``), a synonym (``交易频率``), the words in another order.

The fields (key, labels, kind, range) are defined here; their header aliases and the lifecycle stages' spellings are
data, in ``aliases.toml`` beside this module, read once at import.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from .i18n import simplified, traditional

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
        if lang == "en":
            return self.en
        return traditional(self.zh) if lang == "zh-Hant" else self.zh


def _alias_tables() -> dict[str, Any]:
    """The tables of aliases.toml, the data file beside this module: ``fields``, ``variants``, ``related``,
    ``ambiguous`` and ``stages``."""
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
        Field("p_alive", "活跃概率", "P(alive)", Kind.NUMBER, low=0, high=1),  # BG/NBD (docs/methods.md §12)
        Field("expected_orders", "预计购买次数", "Expected Purchases", Kind.COUNT),
        Field("predicted_clv", "预测价值", "Predicted CLV", Kind.MONEY),
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
_BRACKETED = re.compile(r"[\(\[（【](.*?)[\)\]）】]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class Match(StrEnum):
    """How a header was matched to a field (shown with every mapping)."""

    EXACT = "exact"  # the field's key, Chinese or English name
    ALIAS = "alias"  # a name aliases.toml lists
    VARIANT = (
        "variant"  # a name reached by dropping a unit or a score's suffix, a synonym or another word order
    )
    CONFIG = "config"  # named by [columns] in the config or --map


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a header may name: its candidate fields (one, unless it is ambiguous), how it matched, and whether it
    says it holds points (a score's suffix or a bracket such as ``(0-100)``)."""

    candidates: tuple[str, ...]
    how: Match
    score_marked: bool = False


def normalize_header(text: object) -> str:
    """Fold a header for matching: NFKC, lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def fold_header(text: object) -> str:
    """:func:`normalize_header` after Traditional Chinese is written in Simplified (OpenCC t2s, loaded only for a
    text that has a Traditional character): ``"客戶編號"`` and ``"客户编号"`` fold alike. Used once per header, never
    per cell."""
    return normalize_header(simplified(unicodedata.normalize("NFKC", str(text))))


def _simplified(text: str) -> str:
    return simplified(unicodedata.normalize("NFKC", text)).casefold()


def _word_key(text: str) -> str:
    """The words of ``text`` in sorted order: "Frequency, Transaction" and "Transaction Frequency" are one name."""
    return " ".join(sorted(_WORD.findall(_simplified(text))))


def _indexes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Folded name -> field for the fields' own names, for their aliases, and by sorted words (English names).

    Names are folded without OpenCC (a header is, and matched both ways), so that building the index never loads
    it: aliases.toml lists the Traditional spellings it needs as written."""
    exact: dict[str, str] = {}
    alias: dict[str, str] = {}
    words: dict[str, str] = {}
    for spec in FIELDS:
        for name in (spec.key, spec.zh, spec.en):
            exact.setdefault(normalize_header(name), spec.key)
        for name in spec.aliases:
            alias.setdefault(normalize_header(name), spec.key)
        for name in (spec.key.replace("_", " "), spec.en, *spec.aliases):
            if name.isascii():
                words.setdefault(_word_key(name), spec.key)
    alias = {name: key for name, key in alias.items() if name not in exact}
    return exact, alias, words


ALIASES: dict[str, str] = {}  # every folded name -> field (exact names first), filled below
_EXACT, _ALIAS, _WORDS = _indexes()
ALIASES.update({**_ALIAS, **_EXACT})
STAGE_INDEX: dict[str, str] = {normalize_header(s): key for key, names in STAGES.items() for s in names}

_VARIANTS = _ALIAS_TABLES["variants"]
_SCORE_WORDS: tuple[str, ...] = tuple(fold_header(w) for w in _VARIANTS["score_words"])
_SCORE_BRACKETS = frozenset(fold_header(w) for w in _VARIANTS["score_brackets"])
_SYNONYMS: dict[str, str] = {fold_header(a): fold_header(b) for a, b in _VARIANTS["synonyms"].items()}
RELATED: dict[str, str] = {
    str(k): str(v) for k, v in _ALIAS_TABLES["related"].items()
}  # non-score field -> the score field it may be
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    fold_header(h): tuple(k) for h, k in _ALIAS_TABLES["ambiguous"].items()
}


def _strip_score_words(folded: str) -> tuple[str, bool]:
    """``folded`` without a score's suffix or prefix (评分, 得分, score, rating...); True when one was there."""
    for word in _SCORE_WORDS:
        if folded.endswith(word) and len(folded) > len(word) + 1:
            return folded[: -len(word)], True
        if folded.startswith(word) and len(folded) > len(word) + 1 and len(word) > 1:
            return folded[len(word) :], True
    return folded, False


def _with_synonyms(folded: str) -> str:
    for word, replacement in _SYNONYMS.items():
        folded = folded.replace(word, replacement)
    return folded


def _lookup(stem: str) -> tuple[str, ...]:
    if stem in AMBIGUOUS:
        return AMBIGUOUS[stem]
    key = ALIASES.get(stem) or ALIASES.get(_with_synonyms(stem))
    return (key,) if key is not None else ()


def _variant(text: str) -> HeaderMatch | None:
    """A header matched after dropping brackets (a unit, or a score marker such as ``(0-100)``) and a score's
    suffix, with synonyms, in any word order; see the [variants] table of aliases.toml."""
    brackets = [fold_header(b) for b in _BRACKETED.findall(text)]
    bare = _BRACKETED.sub(" ", text)
    marked = any(b in _SCORE_BRACKETS for b in brackets)
    stem, suffixed = _strip_score_words(fold_header(bare))
    found = _lookup(stem) or _lookup(fold_header(bare))
    if not found:
        words = [w for w in _word_key(bare).split() if w not in _SCORE_WORDS]
        key = _WORDS.get(" ".join(words))
        found = (key,) if key is not None else ()
    if not found:
        return None
    return _marked(found, marked or suffixed, Match.VARIANT)


def _marked(found: tuple[str, ...], marked: bool, how: Match) -> HeaderMatch | None:
    """A header marked as a score names a score: its score candidates, a non-score's related score, and never an
    identifier or a text ("客户评分" is not the customer's name)."""
    if not marked:
        return HeaderMatch(found, how)
    kinds = {key: FIELD_BY_KEY[key].kind for key in found}
    scores = tuple(k for k in found if kinds[k] is Kind.SCORE)
    if scores:
        return HeaderMatch(scores, how, score_marked=True)
    numbers = tuple(
        k for k in found if kinds[k] not in (Kind.ID, Kind.TEXT, Kind.STAGE, Kind.TIER, Kind.DATE)
    )
    if not numbers:
        return None
    related = tuple(RELATED[k] for k in numbers if k in RELATED)
    return HeaderMatch(numbers + related, how, score_marked=True)


@lru_cache(maxsize=4096)  # a header is looked up a few times (header row search, mapping); never per cell
def header_candidates(text: object) -> HeaderMatch | None:
    """What a header may name (see :class:`HeaderMatch`), or None when it names no field.

    The header as written (folded by :func:`fold_header`) is looked up among the fields' names, then their aliases,
    then as a variant: a unit in brackets dropped, a score's suffix or prefix dropped (评分/得分/分/分数/分值,
    score/rating/points), a synonym (频率 → 频次, 购买能力 → 购买力), the words in another order.
    """
    if text is None or text == "" or not isinstance(text, str | int | float):
        return None
    folded, as_written = fold_header(text), normalize_header(text)
    if not folded:
        return None
    for name in (folded, as_written):
        if name in _EXACT:
            return HeaderMatch((_EXACT[name],), Match.EXACT)
    for name in (folded, as_written):
        if name in _ALIAS:
            return HeaderMatch((_ALIAS[name],), Match.ALIAS)
    return _variant(str(text))


def marks_score(text: str) -> bool:
    """True when a header or a group cell above headers says its columns hold points: ``"评分指标（0-100）"``,
    ``"Scores"``, ``"（分）"``."""
    brackets = {fold_header(b) for b in _BRACKETED.findall(text)}
    folded = fold_header(_BRACKETED.sub(" ", text))
    return bool(brackets & _SCORE_BRACKETS) or any(len(w) > 1 and w in folded for w in _SCORE_WORDS)


def as_score(found: HeaderMatch) -> HeaderMatch | None:
    """``found`` for a header marked as a score (by a group cell above it): its score candidates, or a non-score
    field with the score it may be (合作年限 → also 合作历史评分); None when it cannot be a score."""
    return _marked(found.candidates, True, found.how)


def match_header(text: object) -> str | None:
    """The canonical field key a header names, or None (also None when it could name two fields)."""
    found = header_candidates(text)
    if found is None or len(found.candidates) != 1:
        return None
    return found.candidates[0]


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a CJK ideograph (decides ``--lang auto``)."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
