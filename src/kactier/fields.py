"""Canonical customer fields and the header aliases that name them.

Headers are matched after :func:`normalize_header`: Unicode NFKC (full-width forms become ASCII), lower case, and
every space and punctuation mark removed, so ``"Customer ID"``, ``"customer_id"`` and ``"ＣＵＳＴＯＭＥＲ－ＩＤ"`` are
one name. A unit in brackets at the end (``年销售额（元）``) is ignored when the full header matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


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


FIELDS: tuple[Field, ...] = (
    Field(
        "customer_id",
        "客户编号",
        "Customer ID",
        Kind.ID,
        (
            "客户ID",
            "客户代码",
            "客户编码",
            "客户号",
            "编号",
            "客戶編號",
            "客戶代碼",
            "客戶ID",
            "customer no",
            "customer number",
            "customer code",
            "cust id",
            "account id",
            "account number",
            "client id",
            "id",
        ),
    ),
    Field(
        "customer_name",
        "客户名称",
        "Customer Name",
        Kind.TEXT,
        (
            "客户名",
            "客户",
            "公司名称",
            "单位名称",
            "客戶名稱",
            "客戶",
            "公司名稱",
            "customer",
            "account name",
            "account",
            "company",
            "company name",
            "client",
            "client name",
            "name",
        ),
    ),
    Field(
        "region",
        "所在地区",
        "Region",
        Kind.TEXT,
        (
            "地区",
            "区域",
            "所属区域",
            "所在區域",
            "所在地區",
            "地區",
            "區域",
            "area",
            "territory",
            "sales region",
        ),
    ),
    Field("industry", "所属行业", "Industry", Kind.TEXT, ("行业", "所屬行業", "行業", "sector", "vertical")),
    Field(
        "owner",
        "负责人",
        "Sales Owner",
        Kind.TEXT,
        (
            "销售负责人",
            "客户经理",
            "销售代表",
            "負責人",
            "客戶經理",
            "業務負責人",
            "owner",
            "account manager",
            "sales rep",
            "salesperson",
            "key account manager",
        ),
    ),
    Field(
        "stage",
        "客户状态",
        "Lifecycle Stage",
        Kind.STAGE,
        ("客户阶段", "生命周期", "客戶狀態", "客戶階段", "stage", "status", "customer status", "lifecycle"),
    ),
    Field(
        "first_deal_date",
        "首次合作日期",
        "First Deal Date",
        Kind.DATE,
        (
            "首次合作时间",
            "首次交易日期",
            "合作开始日期",
            "首次合作時間",
            "首次交易日期",
            "first order date",
            "customer since",
            "first purchase date",
            "start date",
        ),
    ),
    Field(
        "tenure_years",
        "合作年限",
        "Tenure Years",
        Kind.COUNT,
        ("合作年數", "合作年数", "tenure", "years as customer", "relationship years"),
    ),
    Field(
        "annual_sales",
        "年销售额",
        "Annual Sales",
        Kind.MONEY,
        (
            "销售额",
            "年度销售额",
            "年銷售額",
            "銷售額",
            "年度銷售額",
            "sales",
            "revenue",
            "annual revenue",
            "sales amount",
        ),
    ),
    Field(
        "gross_profit",
        "毛利",
        "Gross Profit",
        Kind.SIGNED_MONEY,
        ("毛利润", "毛利额", "毛利潤", "毛利額", "profit", "gross margin amount"),
    ),
    Field(
        "orders",
        "交易次数",
        "Orders",
        Kind.COUNT,
        ("订单数", "订单次数", "交易次數", "訂單數", "order count", "number of orders", "transactions"),
    ),
    Field(
        "avg_price",
        "平均单价",
        "Average Price",
        Kind.MONEY,
        ("平均單價", "均价", "avg price", "average unit price"),
    ),
    Field(
        "payment_days",
        "回款天数",
        "Payment Days",
        Kind.COUNT,
        ("回款周期", "账期", "回款天數", "帳期", "dso", "days sales outstanding", "collection days"),
    ),
    Field(
        "overdue_amount",
        "逾期金额",
        "Overdue Amount",
        Kind.MONEY,
        ("逾期金額", "逾期款", "overdue", "overdue balance"),
    ),
    Field(
        "recency_days",
        "距上次购买天数",
        "Recency Days",
        Kind.COUNT,
        ("距上次购买天數", "距上次購買天數", "最近购买间隔", "recency", "days since last order"),
    ),
    Field(
        "purchasing_power",
        "购买力评分",
        "Purchasing Power",
        Kind.SCORE,
        ("购买力", "購買力評分", "購買力", "purchasing power score"),
        0,
        100,
    ),
    Field(
        "frequency_score",
        "交易频次评分",
        "Transaction Frequency",
        Kind.SCORE,
        ("交易频次", "交易頻次評分", "交易頻次", "frequency score", "transaction frequency score"),
        0,
        100,
    ),
    Field(
        "history_score",
        "合作历史评分",
        "Relationship History",
        Kind.SCORE,
        (
            "合作历史",
            "合作歷史評分",
            "合作歷史",
            "cooperation history",
            "history score",
            "relationship history score",
        ),
        0,
        100,
    ),
    Field(
        "influence_score",
        "市场影响力评分",
        "Market Influence",
        Kind.SCORE,
        ("市场影响力", "市場影響力評分", "市場影響力", "market influence score", "influence"),
        0,
        100,
    ),
    Field(
        "loyalty_score",
        "客户忠诚度评分",
        "Customer Loyalty",
        Kind.SCORE,
        (
            "客户忠诚度",
            "忠诚度",
            "客戶忠誠度評分",
            "客戶忠誠度",
            "忠誠度",
            "loyalty",
            "loyalty score",
            "customer loyalty score",
        ),
        0,
        100,
    ),
    Field(
        "satisfaction",
        "满意度",
        "Satisfaction",
        Kind.NUMBER,
        ("客户满意度", "滿意度", "客戶滿意度", "csat", "customer satisfaction"),
    ),
    Field(
        "recommend",
        "推荐意愿",
        "Likelihood to Recommend",
        Kind.SCORE,
        ("推荐意向", "推薦意願", "nps score", "recommend", "likelihood to recommend score"),
        0,
        10,
    ),
    Field(
        "override_tier",
        "调整级别",
        "Tier Override",
        Kind.TIER,
        ("人工调整级别", "调整后级别", "調整級別", "override", "override tier", "manual tier"),
    ),
    Field(
        "override_reason",
        "调整原因",
        "Override Reason",
        Kind.TEXT,
        ("调整理由", "調整原因", "調整理由", "reason for override"),
    ),
    # Computed from order lines (`kactier score --orders`), or given in a customer sheet.
    Field(
        "avg_order_value",
        "平均客单价",
        "Average Order Value",
        Kind.MONEY,
        ("客单价", "平均客單價", "客單價", "aov", "avg order value"),
    ),
    Field(
        "last_order_date",
        "最近购买日期",
        "Last Order Date",
        Kind.DATE,
        (
            "最近下单日期",
            "最后下单日期",
            "最后购买日期",
            "最近購買日期",
            "last purchase date",
            "most recent order",
        ),
    ),
    # Fields of an order line (`kactier score --orders`): one row per order.
    Field(
        "order_id",
        "订单号",
        "Order ID",
        Kind.ID,
        (
            "订单编号",
            "单据编号",
            "销售订单号",
            "訂單號",
            "訂單編號",
            "order no",
            "order number",
            "invoice number",
        ),
    ),
    Field(
        "order_date",
        "订单日期",
        "Order Date",
        Kind.DATE,
        (
            "下单日期",
            "下单时间",
            "订单时间",
            "单据日期",
            "业务日期",
            "销售日期",
            "交易日期",
            "成交日期",
            "訂單日期",
            "下單日期",
            "order time",
            "purchase date",
            "transaction date",
            "sale date",
            "invoice date",
        ),
    ),
    Field(
        "order_amount",
        "订单金额",
        "Order Amount",
        Kind.SIGNED_MONEY,  # a refund is a negative amount
        (
            "金额",
            "订单总额",
            "订单总金额",
            "成交金额",
            "价税合计",
            "含税金额",
            "訂單金額",
            "金額",
            "amount",
            "order total",
            "order value",
            "line amount",
            "net amount",
        ),
    ),
    Field(
        "paid_date",
        "回款日期",
        "Paid Date",
        Kind.DATE,
        ("收款日期", "到账日期", "回款时间", "付款日期", "回款時間", "到帳日期", "payment date", "date paid"),
    ),
)

FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED: tuple[str, ...] = ("customer_id", "customer_name")

# Lifecycle stages, canonical key -> accepted spellings (zh-Hans, zh-Hant, en).
STAGES: dict[str, tuple[str, ...]] = {
    "non_customer": ("非客户", "非客戶", "non-customer", "non customer", "noncustomer"),
    "prospect": ("潜在客户", "潛在客戶", "prospect", "potential"),
    "target": ("目标客户", "目標客戶", "target"),
    "intent": ("意向客户", "意向客戶", "intent", "lead", "qualified"),
    "active": ("现实客户", "現實客戶", "现有客户", "現有客戶", "active", "customer", "current"),
    "churned": ("流失客户", "流失客戶", "churned", "lost", "inactive"),
}

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
