"""Numbers and dates as people type them (SPEC §2)."""

import datetime as dt

import pytest

from kactier.values import excel_serial_to_date, id_text, parse_date, parse_number


@pytest.mark.parametrize(
    ("text", "value", "reported"),
    [
        ("1234.5", 1234.5, False),
        ("85", 85.0, False),
        ("¥1,234.50", 1234.5, True),
        ("￥1,234.50", 1234.5, True),
        ("1 234", 1234.0, True),
        ("12.5万", 125000.0, True),
        ("3亿", 300000000.0, True),
        ("35%", 0.35, True),
        ("(1,234.00)", -1234.0, True),
        ("１２３４", 1234.0, True),  # full-width digits: SPEC §2 lists them among reported assumptions
        ("１，２３４．５", 1234.5, True),
        ("-¥2,000", -2000.0, True),
        ("1,000元", 1000.0, True),
    ],
)
def test_parse_number_understands_typed_numbers(text: str, value: float, reported: bool) -> None:
    parsed, assumption = parse_number(text)
    assert parsed == pytest.approx(value)
    assert bool(assumption) is reported


@pytest.mark.parametrize("text", ["", "abc", "NA", "None", "nan", "inf", "1.2.3", "12万3", "--5"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) == (None, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-31", dt.date(2024, 1, 31)),
        ("2024/1/31", dt.date(2024, 1, 31)),
        ("2024.1.31", dt.date(2024, 1, 31)),
        ("2024年1月31日", dt.date(2024, 1, 31)),
        ("20240131", dt.date(2024, 1, 31)),
        ("2024-01-31 08:30", dt.date(2024, 1, 31)),
    ],
)
def test_parse_date_understands_typed_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text) == (expected, expected.isoformat())


@pytest.mark.parametrize("text", ["31/1/2024", "2024-02-30", "yesterday", ""])
def test_parse_date_does_not_guess(text: str) -> None:
    assert parse_date(text) == (None, "")


def test_excel_serials_follow_the_workbook_date_system() -> None:
    assert excel_serial_to_date(45322) == dt.date(2024, 1, 31)
    assert excel_serial_to_date(45322 - 1462, date1904=True) == dt.date(2024, 1, 31)
    assert excel_serial_to_date(0) is None


@pytest.mark.parametrize(
    ("cell", "text"),
    [("00123", "00123"), (1001.0, "1001"), (12.5, "12.5"), ("KH-01 ", "KH-01 "), ("", None), ("  ", None)],
)
def test_ids_stay_text_exactly_as_given(cell: object, text: str | None) -> None:
    assert id_text(cell) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85分", 85.0),
        ("85 分", 85.0),
        ("85 points", 85.0),
        ("85pts", 85.0),
        ("85 Points", 85.0),
        ("８５分", 85.0),
        ("92.5分", 92.5),
        ("八十五分", 85.0),
    ],
)
def test_a_score_with_its_unit_is_read_as_points(text: str, value: float) -> None:
    assert parse_number(text, score=True) == (value, f"{value:g}")


@pytest.mark.parametrize("text", ["85分", "85 points", "85pts"])
def test_a_unit_is_a_score_unit_only_in_a_score(text: str) -> None:
    assert parse_number(text) == (None, "")  # 分 is also a cent: only a score column reads it as points


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("八十五", 85.0),
        ("一百二十万", 1_200_000.0),
        ("十二点五万", 125_000.0),
        ("一百二十萬", 1_200_000.0),
        ("十二點五萬", 125_000.0),
        ("九十五点五", 95.5),
        ("一百零五", 105.0),
        ("两百", 200.0),
        ("壹佰贰拾元", 120.0),
        ("人民币一百二十万元", 1_200_000.0),
        ("负八十五", -85.0),
        ("十", 10.0),
    ],
)
def test_chinese_numerals_that_are_wholly_a_number(text: str, value: float) -> None:
    parsed, assumption = parse_number(text)
    assert parsed == pytest.approx(value)
    assert assumption  # always reported


@pytest.mark.parametrize(
    "text",
    [
        "张三",
        "万一",
        "十几",
        "三四",
        "八五",
        "二〇二四",
        "百",
        "万",
        "八十五公司",
        "第八十五",
        "十点",
        "点五",
        "五六十",
        "一百二十万左右",
    ],
)
def test_words_and_names_are_never_read_as_numerals(text: str) -> None:
    assert parse_number(text) == (None, "")
    assert parse_number(text, score=True) == (None, "")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12.5万元", 125_000.0),
        ("RMB 1,234", 1234.0),
        ("rmb 1,234", 1234.0),
        ("人民币1,234元", 1234.0),
        ("人民幣1,234元", 1234.0),
        ("NT$1,234", 1234.0),
        ("¥1,234.50", 1234.5),
        ("1 234", 1234.0),
        ("3亿", 300_000_000.0),
    ],
)
def test_money_as_people_type_it(text: str, value: float) -> None:
    assert parse_number(text) == (value, f"{value:.0f}" if value.is_integer() else f"{value}")


@pytest.mark.parametrize(
    "text", ["2024.3.5", "2024-3-5", "2024/3/5", "2024年3月5日", "2024年3月5号", "2024 年 3 月 5 日"]
)
def test_dates_as_people_type_them(text: str) -> None:
    assert parse_date(text) == (dt.date(2024, 3, 5), "2024-03-05")
