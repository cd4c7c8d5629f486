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
