"""Generate the example input workbooks in ``examples/`` (deterministic, seeded).

Run from the repository root::

    python scripts/make_examples.py

Writes two files:

``examples/key_accounts_zh.xlsx`` -- sheet ``客户信息``, 200 customers.
    Row 1 is a title banner merged across all columns, row 2 is blank, row 3 is
    the header row and data starts at row 4 (rows 4-204).  Row numbers below
    are as Excel shows them:

    * row 10: ``ABC公司`` with scores 90, 80, 75, 85, 95 (mean 85, tier A)
    * row 11: ``XYZ公司`` with scores 80, 75, 80, 90, 80 (mean 81, tier B)

    Deliberate imperfections:

    * row 27: 市场影响力评分 is 105 (out of the 0-100 range)
    * row 58: 交易频次评分 is blank
    * row 83: 年销售额 is the text ``¥1,234,500.00`` instead of a number
    * row 104: a completely blank row in the middle of the data

    Text that looks like a formula or a number is stored as text: the 备注 of
    row 40 is ``=重点关注`` and the 备注 of row 146 is a ``+86 138...`` phone.
    There is no total row.

``examples/key_accounts_en.xlsx`` -- sheet ``Customers``, 60 customers, header
    in row 1, data in rows 2-61, no imperfections.

In both files roughly 15% of customers have a mean score >= 85 (tier A), 35%
have 70 <= mean < 85 (tier B) and the rest are below 70 (tier C).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

SEED = 20261122
OUT_DIR = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 1)  # six customers start within the 6 months before this date

ZH_HEADERS = [
    "客户编号",
    "客户名称",
    "所在地区",
    "所属行业",
    "负责人",
    "客户状态",
    "首次合作日期",
    "年销售额",
    "毛利",
    "交易次数",
    "回款天数",
    "距上次购买天数",
    "购买力评分",
    "交易频次评分",
    "合作历史评分",
    "市场影响力评分",
    "客户忠诚度评分",
    "备注",
]
EN_HEADERS = [
    "Customer ID",
    "Customer Name",
    "Region",
    "Industry",
    "Sales Owner",
    "Lifecycle Stage",
    "First Deal Date",
    "Annual Sales",
    "Gross Profit",
    "Orders",
    "Payment Days",
    "Recency Days",
    "Purchasing Power",
    "Transaction Frequency",
    "Relationship History",
    "Market Influence",
    "Customer Loyalty",
    "Notes",
]
ZH_WIDTHS = [10, 30, 9, 11, 8, 10, 12, 16, 14, 9, 9, 12, 11, 12, 12, 14, 14, 26]
EN_WIDTHS = [11, 32, 9, 16, 18, 14, 14, 15, 14, 8, 12, 12, 16, 20, 19, 16, 16, 30]

ZH_CITIES = {
    "华东": ["上海", "苏州", "杭州", "宁波", "南京", "无锡", "合肥", "青岛", "厦门", "温州"],
    "华南": ["广州", "深圳", "东莞", "佛山", "珠海", "南宁"],
    "华北": ["北京", "天津", "石家庄", "太原", "济南"],
    "华中": ["武汉", "长沙", "郑州", "南昌"],
    "西南": ["成都", "重庆", "昆明", "贵阳"],
    "西北": ["西安", "兰州", "银川"],
    "东北": ["沈阳", "大连", "长春", "哈尔滨"],
}
ZH_REGION_WEIGHTS = {"华东": 40, "华南": 18, "华北": 14, "华中": 10, "西南": 8, "西北": 4, "东北": 6}
ZH_STEMS = [
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
    "新锐",
    "润泽",
    "嘉禾",
    "盛世",
    "鑫源",
    "海纳",
    "远航",
    "中拓",
    "卓越",
    "汇丰",
    "德力",
    "正泰",
    "安澜",
    "明辉",
    "晨光",
    "立信",
    "锦程",
    "万象",
    "凯利",
    "长盈",
    "同力",
    "信达",
]
ZH_TRADES = {
    "制造业": ["精密机械", "机电设备", "五金制品", "智能装备"],
    "零售": ["商贸", "百货", "连锁超市", "电子商务"],
    "医药": ["医药", "生物科技", "医疗器械", "药业"],
    "电子": ["电子科技", "微电子", "光电", "半导体"],
    "汽车零部件": ["汽车零部件", "汽配", "传动系统", "车辆部件"],
    "食品饮料": ["食品", "饮料", "乳业", "粮油"],
    "化工": ["化工", "新材料", "涂料", "精细化工"],
    "物流": ["物流", "供应链管理", "国际货运", "仓储"],
}
ZH_SUFFIXES = ["有限公司"] * 6 + ["股份有限公司"] * 3 + ["集团有限公司"]
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余杜叶程魏苏吕丁沈"
ZH_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国志红玲峰晨浩宇欣怡婷子轩思雨博文"
ZH_STATUSES = ["现实客户"] * 80 + ["意向客户"] * 8 + ["潜在客户"] * 6 + ["流失客户"] * 6
ZH_NOTES = [
    "年度框架协议客户",
    "需关注回款情况",
    "2025年新增渠道客户",
    "已签订三年供货合同",
    "总部集中采购",
    "价格敏感，需定期回访",
]

EN_REGIONS = ["North", "South", "East", "West", "Central"]
EN_TRADES = {
    "Manufacturing": ["Precision Machining", "Industrial Systems", "Tooling"],
    "Retail": ["Retail Group", "Supply Stores", "Outfitters"],
    "Healthcare": ["Medical Supply", "Health Products", "Biotech"],
    "Electronics": ["Electronics", "Microsystems", "Semiconductor"],
    "Automotive Parts": ["Auto Parts", "Drivetrain", "Motor Components"],
    "Food & Beverage": ["Foods", "Beverages", "Provisions"],
    "Chemicals": ["Chemicals", "Coatings", "Polymers"],
    "Logistics": ["Logistics", "Freight", "Distribution"],
}
EN_STEMS = [
    "Northwind",
    "Bluewater",
    "Summit",
    "Ironwood",
    "Crescent",
    "Pioneer",
    "Redstone",
    "Harbor",
    "Evergreen",
    "Atlas",
    "Keystone",
    "Silverline",
    "Granite",
    "Lakeshore",
    "Brightpath",
    "Cedar",
    "Meridian",
    "Falcon",
    "Riverbend",
    "Oakridge",
    "Sterling",
]
EN_SUFFIXES = ["Inc.", "LLC", "Ltd.", "Corp.", "Co."]
EN_FIRST = [
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emily",
    "Daniel",
    "Priya",
    "Kevin",
    "Laura",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Patel",
    "Thompson",
    "Nguyen",
    "Clark",
    "Lewis",
]
EN_STAGES = ["Active"] * 78 + ["Prospect"] * 10 + ["Churned"] * 7 + ["On Hold"] * 5
EN_NOTES = [
    "Annual framework agreement",
    "Watch overdue invoices",
    "New channel partner in 2025",
    "Three-year supply contract",
    "Central procurement at HQ",
]

# Mean-score band (as a sum over the five scores) for each tier.
TIER_SUMS = {"A": (425, 480), "B": (350, 424), "C": (200, 349)}


@dataclass
class Customer:
    cid: str
    name: str
    region: str
    industry: str
    owner: str
    status: str
    first_date: dt.date
    sales: float | str
    profit: float
    orders: int
    pay_days: int
    scores: list[int | None]
    note: str


def clip(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def make_scores(rng: random.Random, tier: str) -> list[int | None]:
    """Five 0-100 integer scores whose sum falls inside the tier's band."""
    lo, hi = TIER_SUMS[tier]
    centre = rng.uniform(lo, hi) / 5
    scores = [int(clip(round(rng.gauss(centre, 6)), 0, 100)) for _ in range(5)]
    while not lo <= sum(scores) <= hi:
        step = 1 if sum(scores) < lo else -1
        i = rng.randrange(5)
        scores[i] = int(clip(scores[i] + step, 0, 100))
    return list(scores)


def assign_tiers(rng: random.Random, sales: list[float]) -> list[str]:
    """Rank customers by log-sales plus noise: top 15% A, next 35% B, rest C."""
    n = len(sales)
    latent = [math.log(s) + rng.gauss(0, 0.8) for s in sales]
    order = sorted(range(n), key=lambda i: -latent[i])
    tiers = ["C"] * n
    for rank, i in enumerate(order):
        tiers[i] = "A" if rank < round(0.15 * n) else "B" if rank < round(0.5 * n) else "C"
    return tiers


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def make_customers(rng: random.Random, n: int, zh: bool) -> list[Customer]:
    sales = [round(clip(rng.lognormvariate(math.log(1.5e6), 1.1), 5e4, 5e7), 2) for _ in range(n)]
    tiers = assign_tiers(rng, sales)
    recent = set(rng.sample(range(n), 6))
    names: set[str] = set()
    out: list[Customer] = []
    for k in range(n):
        if zh:
            region = rng.choices(list(ZH_REGION_WEIGHTS), list(ZH_REGION_WEIGHTS.values()))[0]
            industry = rng.choice(list(ZH_TRADES))
        else:
            region = rng.choice(EN_REGIONS)
            industry = rng.choice(list(EN_TRADES))
        name = ""
        while not name or name in names:
            if zh:
                name = (
                    rng.choice(ZH_CITIES[region])
                    + rng.choice(ZH_STEMS)
                    + rng.choice(ZH_TRADES[industry])
                    + rng.choice(ZH_SUFFIXES)
                )
            else:
                name = f"{rng.choice(EN_STEMS)} {rng.choice(EN_TRADES[industry])} {rng.choice(EN_SUFFIXES)}"
        names.add(name)
        if zh:
            owner = rng.choice(ZH_SURNAMES) + "".join(rng.choices(ZH_GIVEN, k=rng.choice([1, 2, 2])))
        else:
            owner = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        if k in recent:
            first = random_date(rng, AS_OF - dt.timedelta(days=180), AS_OF - dt.timedelta(days=1))
        else:
            first = random_date(rng, dt.date(2015, 1, 1), dt.date(2026, 4, 30))
        orders = int(clip(round(10 * math.sqrt(sales[k] / 1e6) * rng.lognormvariate(0, 0.4)), 1, 120))
        notes = ZH_NOTES if zh else EN_NOTES
        out.append(
            Customer(
                cid=f"KH{k + 1:04d}" if zh else f"C-{1001 + k}",
                name=name,
                region=region,
                industry=industry,
                owner=owner,
                status=rng.choice(ZH_STATUSES if zh else EN_STAGES),
                first_date=first,
                sales=sales[k],
                profit=round(sales[k] * rng.uniform(0.10, 0.35), 2),
                orders=orders,
                pay_days=int(clip(round(rng.gauss(60, 25)), 15, 150)),
                scores=make_scores(rng, tiers[k]),
                note=rng.choice(notes) if rng.random() < 0.08 else "",
            )
        )
    return out


def zh_customers(rng: random.Random) -> list[Customer]:
    """Chinese customers with the worked example and the documented imperfections.

    Index k is written to Excel row 4 + k for k < 100 and 5 + k after the blank row.
    """
    cs = make_customers(rng, 200, zh=True)
    cs[6].name, cs[6].scores = "ABC公司", [90, 80, 75, 85, 95]  # row 10
    cs[7].name, cs[7].scores = "XYZ公司", [80, 75, 80, 90, 80]  # row 11
    cs[23].scores[3] = 105  # row 27: 市场影响力评分 out of range
    cs[36].note = "=重点关注"  # row 40: formula-like text
    cs[54].scores[1] = None  # row 58: 交易频次评分 blank
    cs[79].sales = "¥1,234,500.00"  # row 83: sales stored as text
    cs[79].profit = round(1234500 * 0.22, 2)
    cs[141].note = "+86 138 1234 5678（采购部王经理）"  # row 146: phone-like text
    return cs


def recency_days(customer: Customer) -> int:
    """Days since the last order: frequent buyers ordered recently. Its own generator, so that adding this
    column left every other generated value as it was."""
    rng = random.Random(f"{SEED}-{customer.cid}")
    return int(clip(round(365 / customer.orders * rng.uniform(0.2, 1.5)), 1, 365))


def write_book(
    path: Path,
    sheet: str,
    headers: list[str],
    widths: list[int],
    rows: list[Customer | None],
    title: str | None,
) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2026, 11, 1)})  # fixed, so the bytes are reproducible
    ws = wb.add_worksheet(sheet)
    head = wb.add_format(
        {
            "bold": True,
            "bg_color": "#DDEBF7",
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    hrow = 0
    if title is not None:
        banner = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        ws.merge_range(0, 0, 0, len(headers) - 1, title, banner)
        ws.set_row(0, 30)
        hrow = 2
    for col, text in enumerate(headers):
        ws.write_string(hrow, col, text, head)
    ws.freeze_panes(hrow + 1, 0)
    for r, c in enumerate(rows, start=hrow + 1):
        if c is None:
            continue  # deliberately blank row
        for col, text in enumerate([c.cid, c.name, c.region, c.industry, c.owner, c.status]):
            ws.write_string(r, col, text)
        ws.write_datetime(r, 6, dt.datetime.combine(c.first_date, dt.time()), date_fmt)
        if isinstance(c.sales, str):
            ws.write_string(r, 7, c.sales)
        else:
            ws.write_number(r, 7, c.sales, money)
        ws.write_number(r, 8, c.profit, money)
        ws.write_number(r, 9, c.orders)
        ws.write_number(r, 10, c.pay_days)
        ws.write_number(r, 11, recency_days(c))
        for i, score in enumerate(c.scores):
            if score is not None:
                ws.write_number(r, 12 + i, score)
        if c.note:
            ws.write_string(r, 17, c.note)
    wb.close()


def main() -> None:
    OUT_DIR.mkdir(exist_ok=True)
    rng = random.Random(SEED)
    zh: list[Customer | None] = list(zh_customers(rng))
    zh.insert(100, None)  # row 104: blank row in the middle of the data
    write_book(
        OUT_DIR / "key_accounts_zh.xlsx",
        "客户信息",
        ZH_HEADERS,
        ZH_WIDTHS,
        zh,
        "2026年度大客户分级评估表（华东事业部）",
    )
    en: list[Customer | None] = list(make_customers(rng, 60, zh=False))
    write_book(OUT_DIR / "key_accounts_en.xlsx", "Customers", EN_HEADERS, EN_WIDTHS, en, None)
    print(f"wrote {OUT_DIR / 'key_accounts_zh.xlsx'} and {OUT_DIR / 'key_accounts_en.xlsx'}")


if __name__ == "__main__":
    main()
