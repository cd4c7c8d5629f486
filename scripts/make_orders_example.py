"""Generate the example order workbook ``examples/orders_zh.xlsx`` (deterministic, seeded).

Run from the repository root::

    python scripts/make_orders_example.py

Grade it with ``kactier score examples/orders_zh.xlsx --orders`` (the as-of date defaults to the last order date,
2026-10-31; the window is the 12 months from 2025-11-01).

Sheet ``销售订单``: row 1 is a title banner, row 2 is blank, row 3 is the header (订单号, 客户编号, 客户名称,
所在地区, 所属行业, 负责人, 订单日期, 订单金额, 毛利, 回款日期, 备注) and the order lines follow, in no particular
order, for 120 customers over the three years up to 2026-10-31. About one order in eight has two lines under one
订单号. Some customers stopped buying before the last 12 months, some started within them. Row numbers below are
as Excel shows them:

* row 4: a refund (negative 订单金额), netted in its window
* row 5: 订单金额 typed as the text ``¥12,500.00`` (read as 12500, reported)
* row 6: 订单日期 typed as the text ``2026/3/5`` (read as 2026-03-05, reported)
* row 7: no 客户编号 (the line is not counted, reported)
* row 8: 订单日期 ``2026-02-30`` is not a date (the line is not counted, reported)
* the row after the last line is blank, and the one after it is a 合计 (total) row; both are skipped

The 备注 of row 9 is ``=加急`` (text that looks like a formula; it stays text).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import xlsxwriter

SEED = 20261031
OUT = Path(__file__).resolve().parent.parent / "examples" / "orders_zh.xlsx"
LAST_DAY = dt.date(2026, 10, 31)
DAYS = 3 * 365
CUSTOMERS = 120
HEADERS = [
    "订单号",
    "客户编号",
    "客户名称",
    "所在地区",
    "所属行业",
    "负责人",
    "订单日期",
    "订单金额",
    "毛利",
    "回款日期",
    "备注",
]
WIDTHS = [13, 10, 28, 9, 11, 8, 12, 14, 12, 12, 16]
REGIONS = {
    "华东": ["上海", "杭州", "苏州", "南京"],
    "华南": ["广州", "深圳"],
    "华北": ["北京", "天津"],
    "西南": ["成都", "重庆"],
}
TRADES = {"制造业": "精密机械", "零售": "商贸", "医药": "医药", "电子": "电子科技", "物流": "供应链管理"}
STEMS = [
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
    "鑫源",
]
SURNAMES = "王李张刘陈杨黄赵吴周"
NOTES = ["月结", "需开专票", "分批发货", "老客户返单"]


def customers(rng: random.Random) -> list[dict[str, Any]]:
    """Customers with an order rate, an active span and descriptive fields."""
    out = []
    for k in range(CUSTOMERS):
        region = rng.choice(list(REGIONS))
        industry = rng.choice(list(TRADES))
        start, end = 0, DAYS - 1
        roll = rng.random()
        if roll < 0.15:
            end = rng.randint(60, DAYS - 400)  # stopped buying before the last 12 months
        elif roll < 0.25:
            start = rng.randint(DAYS - 330, DAYS - 40)  # new within the last 12 months
        out.append(
            {
                "id": f"KH{k + 1:04d}",
                "name": rng.choice(REGIONS[region]) + rng.choice(STEMS) + TRADES[industry] + "有限公司",
                "region": region,
                "industry": industry,
                "owner": rng.choice(SURNAMES) + rng.choice("伟芳敏静磊强洋"),
                "rate": rng.lognormvariate(math.log(8), 0.9),  # orders a year
                "size": rng.lognormvariate(math.log(20000), 0.8),
                "start": start,
                "end": end,
            }
        )
    return out


def order_lines(rng: random.Random) -> list[list[Any]]:
    """Every line as the row of cells to write (订单号 … 备注), shuffled."""
    first_day = LAST_DAY - dt.timedelta(days=DAYS - 1)
    lines: list[list[Any]] = []
    number = 0
    for c in customers(rng):
        span = c["end"] - c["start"] + 1
        count = max(1, round(c["rate"] * span / 365 * rng.uniform(0.7, 1.3)))
        for _ in range(count):
            number += 1
            day = first_day + dt.timedelta(days=c["start"] + rng.randrange(span))
            parts = 2 if rng.random() < 0.125 else 1
            for _ in range(parts):
                amount = round(c["size"] * rng.lognormvariate(0, 0.5) / parts, 2)
                paid = day + dt.timedelta(days=rng.randint(5, 110)) if rng.random() < 0.85 else None
                if paid is not None and paid > LAST_DAY:
                    paid = None
                note = rng.choice(NOTES) if rng.random() < 0.05 else ""
                lines.append(
                    [f"SO{day:%Y%m}{number:05d}", c["id"], c["name"], c["region"], c["industry"], c["owner"], day,
                     amount, round(amount * rng.uniform(0.12, 0.32), 2), paid, note]
                )  # fmt: skip
    rng.shuffle(lines)
    lines[-1][6], lines[-1][9] = LAST_DAY, None  # the last order date, so the default as-of date is LAST_DAY
    return lines


def documented(lines: list[list[Any]]) -> None:
    """The imperfections listed in the module docstring, on rows 4–9."""
    refund = lines[0]
    refund[7], refund[8] = -round(refund[7] * 0.4, 2), -round(refund[8] * 0.4, 2)
    refund[9], refund[10] = None, "退货"
    lines[1][7] = "¥12,500.00"
    lines[1][8] = 3100.0
    lines[2][6] = "2026/3/5"
    lines[2][9] = None
    lines[3][1] = None
    lines[4][6] = "2026-02-30"
    lines[5][10] = "=加急"


def main() -> None:
    rng = random.Random(SEED)
    lines = order_lines(rng)
    documented(lines)
    OUT.parent.mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(str(OUT), {"strings_to_formulas": False, "strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(2026, 11, 1)})  # fixed, so the bytes are reproducible
    sheet = book.add_worksheet("销售订单")
    banner = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "2024–2026 年销售订单明细（ERP 导出）", banner)
    sheet.set_row(0, 28)
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.write_row(2, 0, HEADERS, head)
    sheet.freeze_panes(3, 0)
    row = 3
    for line in lines:
        for column, value in enumerate(line):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, float):
                sheet.write_number(row, column, value, money)
            else:
                sheet.write_string(row, column, value)
        row += 1
    row += 1  # a blank row
    sheet.write_string(row, 0, "合计")
    sheet.write_number(row, 7, round(sum(x[7] for x in lines if isinstance(x[7], float)), 2), money)
    book.close()
    print(f"wrote {OUT} ({len(lines)} order lines, rows 4–{3 + len(lines)})")


if __name__ == "__main__":
    main()
