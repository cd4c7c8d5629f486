"""Sample customers for ``kactier template --example``, and the made-up names they are built from.

The names (cities, company stems, trades, surnames) are sample data, not translations: each language has its
own.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ..config.models import Config
from ..i18n import Lang
from .lists import INDUSTRIES, REGIONS, stage_names

EXAMPLE_ROWS = 24
_REFERENCE_DAY = dt.date(2026, 11, 1)  # sample first-deal dates and tenures are relative to this fixed day
_OVERRIDE_REASON = {"zh": "战略合作伙伴，总部指定重点维护", "en": "Strategic partner named by head office"}

_ZH_CITIES = {
    "华东": ["上海", "苏州", "杭州", "宁波", "南京"],
    "华南": ["广州", "深圳", "东莞", "佛山"],
    "华北": ["北京", "天津", "济南"],
    "华中": ["武汉", "长沙", "郑州"],
    "西南": ["成都", "重庆", "昆明"],
    "西北": ["西安", "兰州"],
    "东北": ["沈阳", "大连", "长春"],
}
_ZH_STEMS = [
    "恒通",
    "华信",
    "永盛",
    "鼎力",
    "瑞丰",
    "金泰",
    "宏达",
    "联创",
    "天成",
    "博远",
    "润泽",
    "嘉禾",
    "鑫源",
    "海纳",
]
_ZH_TRADES = {
    "制造业": "精密机械",
    "零售": "商贸",
    "医药": "医药",
    "电子": "电子科技",
    "汽车零部件": "汽配",
    "食品饮料": "食品",
    "化工": "新材料",
    "物流": "供应链管理",
    "其他": "实业",
}
_ZH_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "集团有限公司"]
_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
_ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超"
_EN_STEMS = [
    "Northwind",
    "Bluewater",
    "Summit",
    "Ironwood",
    "Crescent",
    "Pioneer",
    "Redstone",
    "Harbor",
    "Atlas",
    "Keystone",
    "Granite",
    "Meridian",
    "Falcon",
    "Sterling",
]
_EN_TRADES = {
    "Manufacturing": "Precision Machining",
    "Retail": "Retail Group",
    "Healthcare": "Medical Supply",
    "Electronics": "Electronics",
    "Automotive Parts": "Auto Parts",
    "Food & Beverage": "Foods",
    "Chemicals": "Coatings",
    "Logistics": "Logistics",
    "Other": "Holdings",
}
_EN_SUFFIXES = ["Inc.", "LLC", "Ltd.", "Corp."]
_EN_FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Sarah", "David", "Emily", "Priya", "Kevin"]
_EN_LAST = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Wilson", "Patel", "Nguyen", "Clark", "Lewis"]


def example_customers(config: Config, lang: Lang, count: int = EXAMPLE_ROWS) -> list[dict[str, Any]]:
    """Realistic sample customers (field key -> value), the same every time for the same language.

    One latent quality per customer drives the scores, sales, orders and collection speed together, so every
    preset finds a spread of tiers; two customers started recently (provisional), one has a manual override.
    """
    rng = random.Random(f"kactier-template-{lang}")
    regions, industries = REGIONS[lang], INDUSTRIES[lang]
    stages = stage_names(lang)
    active, intent = stages[4], stages[3]
    top_tier = config.tiers.levels[0].label
    names: set[str] = set()
    customers: list[dict[str, Any]] = []
    for k in range(count):
        quality = (k * 7 % count + rng.random()) / count  # spread evenly, in a shuffled order
        region, industry = rng.choice(regions), rng.choice(industries[:-1])
        name = ""
        while not name or name in names:
            if lang == "zh":
                name = (
                    rng.choice(_ZH_CITIES[region])
                    + rng.choice(_ZH_STEMS)
                    + _ZH_TRADES[industry]
                    + rng.choice(_ZH_SUFFIXES)
                )
            else:
                name = f"{rng.choice(_EN_STEMS)} {_EN_TRADES[industry]} {rng.choice(_EN_SUFFIXES)}"
        names.add(name)
        owner = (
            rng.choice(_ZH_SURNAMES) + "".join(rng.choices(_ZH_GIVEN, k=rng.choice((1, 2))))
            if lang == "zh"
            else f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        )
        recent = k in (3, 17)
        first = (
            _REFERENCE_DAY - dt.timedelta(days=rng.randrange(30, 150))
            if recent
            else dt.date(2014, 1, 1)
            + dt.timedelta(days=rng.randrange((dt.date(2025, 12, 31) - dt.date(2014, 1, 1)).days))
        )
        sales = round(10 ** (5 + 2.3 * quality + rng.gauss(0, 0.15)), -2)
        orders = max(1, round((3 + 57 * quality) * rng.uniform(0.7, 1.3)))
        base = 45 + 50 * quality
        record: dict[str, Any] = {
            "customer_id": f"KH{k + 1:04d}" if lang == "zh" else f"C-{1001 + k}",
            "customer_name": name,
            "region": region,
            "industry": industry,
            "owner": owner,
            "first_deal_date": first,
            "tenure_years": round((_REFERENCE_DAY - first).days / 365.25, 1),
            "stage": intent if recent else active,
            "annual_sales": sales,
            "gross_profit": round(sales * rng.uniform(0.12, 0.35), 2),
            "orders": orders,
            "avg_price": round(sales / orders, 2),
            "payment_days": int(min(150, max(10, round(rng.gauss(80 - 45 * quality, 10))))),
            "overdue_amount": round(sales * max(0.0, rng.gauss(0.02, 0.02)), 2),
            "recency_days": int(min(365, max(1, round(365 / orders * rng.uniform(0.3, 1.5))))),
            "satisfaction": round(min(5.0, max(1.0, rng.gauss(3 + 1.8 * quality, 0.4))), 1),
            "recommend": int(min(10, max(0, round(rng.gauss(5 + 4.5 * quality, 1.2))))),
        }
        # what --orders would predict (BG/NBD, Gamma-Gamma), from the same quality: no draw, so the other
        # fields stay as they were
        alive = round(0.3 + 0.65 * quality, 2)
        record["p_alive"] = alive
        record["expected_orders"] = round(orders * alive, 1)
        record["predicted_clv"] = round(sales * alive * 0.9, -2)
        for key in (
            "purchasing_power",
            "frequency_score",
            "history_score",
            "influence_score",
            "loyalty_score",
        ):
            record[key] = int(min(100, max(0, round(rng.gauss(base, 6)))))
        for criterion in config.criteria:  # a criterion that names no field gets plausible numbers too
            record.setdefault(criterion.key, int(min(100, max(0, round(rng.gauss(base, 8))))))
        if k == 9:
            record["override_tier"] = top_tier
            record["override_reason"] = _OVERRIDE_REASON[lang]
        customers.append(record)
    return customers
