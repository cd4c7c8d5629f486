"""Header aliases in Simplified Chinese, Traditional Chinese and English (SPEC §2)."""

import pytest

from kactier.fields import FIELDS, match_header, normalize_header


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("客户编号", "customer_id"),
        ("客戶編號", "customer_id"),
        ("Customer ID", "customer_id"),
        ("customer_id", "customer_id"),
        ("ＣＵＳＴＯＭＥＲ－ＩＤ", "customer_id"),
        ("  客户 名称 ", "customer_name"),
        ("客戶名稱", "customer_name"),
        ("年销售额（元）", "annual_sales"),
        ("Annual Sales (CNY)", "annual_sales"),
        ("年銷售額", "annual_sales"),
        ("购买力评分", "purchasing_power"),
        ("購買力評分", "purchasing_power"),
        ("Purchasing Power", "purchasing_power"),
        ("客户忠诚度评分", "loyalty_score"),
        ("調整級別", "override_tier"),
        ("回款天数", "payment_days"),
    ],
)
def test_headers_match_their_field(header: str, key: str) -> None:
    assert match_header(header) == key


@pytest.mark.parametrize("header", ["备注", "Notes", "", "联系电话"])
def test_unknown_headers_match_nothing(header: str) -> None:
    assert match_header(header) is None


def test_no_alias_names_two_fields() -> None:
    owners: dict[str, str] = {}
    for field in FIELDS:
        for name in {field.key, field.zh, field.en, *field.aliases}:
            folded = normalize_header(name)
            assert owners.setdefault(folded, field.key) == field.key, (
                f"{name!r} names {owners[folded]} and {field.key}"
            )
