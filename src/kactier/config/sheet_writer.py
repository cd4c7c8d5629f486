"""The Config sheet written: a config as editable cells with dropdowns, checks and notes (:mod:`.sheet_layout`).

Templates and graded workbooks carry it; graded workbooks add the weights a run used and the facts of the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..excel import column_letters
from ..i18n import Lang, localized, text
from .models import Config
from .prediction_models import Prediction
from .sheet_layout import CRITERIA_COLUMNS, OPTIONS, SECTIONS, SETTINGS, TIER_COLUMNS, YES_NO, field_text
from .sheet_segments import write_segments


def write_config_sheet(
    book: Workbook,
    sheet: Worksheet,
    config: Config,
    lang: Lang,
    *,
    weights_used: Mapping[str, float] | None = None,
    run_facts: Sequence[tuple[str, Any]] = (),
) -> int:
    """Write ``config`` on ``sheet`` in the Config sheet layout, as editable cells with dropdowns and notes.

    ``weights_used`` (criterion key -> weight) adds the read-only 实际权重 / Weight used column of a graded
    workbook; ``run_facts`` (i18n label key, value) rows form the 运行信息 / Run section, which is never read back.
    Returns the row below the last one written.
    """
    return _SheetWriter(book, sheet, lang).write(config, weights_used, run_facts)


def write_mapping_section(
    book: Workbook, sheet: Worksheet, lang: Lang, row: int, mappings: Sequence[tuple[str, str, str]]
) -> None:
    """The 表头对应 / Column mapping section of a graded workbook's Config sheet, from ``row`` down: each header as
    written, its field and how it matched (exact, alias, variant, config). Never read back."""
    if mappings:
        _SheetWriter(book, sheet, lang).mappings(row, mappings)


class _SheetWriter:
    def __init__(self, book: Workbook, sheet: Worksheet, lang: Lang) -> None:
        self.book, self.sheet, self.lang = book, sheet, lang
        add = book.add_format
        editable = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "valign": "top"}
        self.title = add({"bold": True, "font_size": 14})
        self.hint = add({"italic": True, "font_color": "#595959"})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.label = add({"bold": True, "valign": "top"})
        self.help = add({"font_color": "#808080", "italic": True, "valign": "top"})
        self.header = add(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        )
        self.input = add(editable)
        self.input_wrap = add({**editable, "text_wrap": True})
        self.input_percent = add({**editable, "num_format": "0.0%"})
        self.readonly = add({"num_format": "0.0000", "font_color": "#595959", "border": 1})

    def write(
        self, config: Config, weights_used: Mapping[str, float] | None, run_facts: Sequence[tuple[str, Any]]
    ) -> int:
        sheet, lang = self.sheet, self.lang
        sheet.write_string(0, 0, text("cfg_marker", lang), self.title)
        sheet.write_string(1, 0, text("cfg_hint", lang), self.hint)
        row = self._settings(3, config) + 1
        row = self._criteria(row, config, weights_used) + 1
        row = self._tiers(row, config) + 1
        if config.segments is not None:
            formats = (self.section, self.label, self.input, self.help, self.header)
            row = write_segments(sheet, row, config.segments, lang, formats) + 1
        if config.ahp is not None:
            row = self._ahp(row, config) + 1
        if run_facts:
            row = self._run(row, run_facts)
        for column, width in enumerate((24, 22, 12, 12, 14, 44, 14, 16, 12)):
            sheet.set_column(column, column, width)
        return row

    def mappings(self, row: int, mappings: Sequence[tuple[str, str, str]]) -> None:
        """The 表头对应 / Column mapping section: each header as written, its field and how it matched."""
        sheet, lang = self.sheet, self.lang
        row = self._title(row, "columns")
        for column, key in enumerate(("mapping.header", "mapping.field", "mapping.match")):
            sheet.write_string(row, column, text(key, lang), self.header)
        for header, key, how in mappings:
            row += 1
            sheet.write_string(row, 0, header)
            sheet.write_string(row, 1, field_text(key, lang))
            sheet.write_string(row, 2, text(f"match.{how}", lang))

    def _title(self, row: int, section: str) -> int:
        self.sheet.write_string(row, 0, text(SECTIONS[section], self.lang), self.section)
        return row + 1

    def _note(self, key: str) -> str:
        return text(f"cfg_help.{key}", self.lang)

    def _settings(self, row: int, config: Config) -> int:
        sheet = self.sheet
        row = self._title(row, "settings")
        tiers = config.tiers
        values: dict[str, Any] = {
            "name": config.name,
            "description": localized(config.description, self.lang),
            "weights": config.weights,
            "aggregation": config.aggregation,
            "method": tiers.method,
            "value": field_text(tiers.value, self.lang),
            "score_decimals": config.score_decimals,
            "provisional_months": tiers.provisional_months,
        }
        if tiers.group_by is not None:  # written only when used, so a plain config's sheet stays as it was
            values["group_by"] = field_text(tiers.group_by, self.lang)
        if tiers.capacity is not None:
            values["capacity_per"] = field_text(tiers.capacity.per, self.lang)
        if config.prediction != Prediction():  # --orders models: written only when not the default
            values["prediction_months"] = config.prediction.months
            values["discount_rate"] = config.prediction.discount_rate
            values["at_risk_below"] = config.prediction.at_risk_below
        lists = {key: list(OPTIONS[key]) for key in ("weights", "aggregation", "method")}
        whole = {"score_decimals": (0, 6), "provisional_months": (0, 120), "prediction_months": (1, 120)}
        for key, value in values.items():
            sheet.write_string(row, 0, text(SETTINGS[key][0], self.lang), self.label)
            if isinstance(value, str):
                sheet.write_string(row, 1, value, self.input)
            else:
                sheet.write_number(row, 1, value, self.input)
            sheet.write_string(row, 2, self._note(key), self.help)
            if key in lists:
                self._list(row, 1, row, 1, lists[key])
            elif key in whole:
                low, high = whole[key]
                self._whole(row, 1, row, 1, low, high)
            row += 1
        return row

    def _criteria(self, row: int, config: Config, weights_used: Mapping[str, float] | None) -> int:
        sheet, lang = self.sheet, self.lang
        row = self._title(row, "criteria")
        columns = [k for k in CRITERIA_COLUMNS if k != "weight_used" or weights_used is not None]
        self._header(row, "criteria", columns, CRITERIA_COLUMNS)
        first = row + 1
        for criterion in config.criteria:
            row += 1
            cells: dict[str, Any] = {
                "label": criterion.display(lang),
                "field": field_text(criterion.field, lang),
                "weight": criterion.weight,
                "direction": criterion.direction,
                "normalize": criterion.normalize,
                "missing": criterion.missing,
                "bins": _join(criterion.bins),
                "points": _join(criterion.points),
            }
            for column, key in enumerate(columns):
                if key == "weight_used":
                    assert weights_used is not None
                    sheet.write_number(row, column, weights_used.get(criterion.key, 0.0), self.readonly)
                    continue
                value = cells[key]
                if isinstance(value, str):
                    sheet.write_string(row, column, value, self.input)
                else:
                    sheet.write_number(row, column, value, self.input)
        last = row
        position = {key: i for i, key in enumerate(columns)}
        self._decimal(first, position["weight"], last, 0, None)
        for key in ("direction", "normalize", "missing"):
            self._list(first, position[key], last, position[key], list(OPTIONS[key]))
        return row + 1

    def _tiers(self, row: int, config: Config) -> int:
        sheet, lang = self.sheet, self.lang
        tiers = config.tiers
        row = self._title(row, "tiers")
        columns = [k for k in TIER_COLUMNS if k != "capacity" or tiers.capacity is not None]
        caps = tiers.caps()
        self._header(row, "tiers", columns, TIER_COLUMNS)
        cuts = tiers.effective_cuts() if tiers.method == "pareto" else []
        shares = tiers.effective_shares() if tiers.method == "quantile" else []
        first = row + 1
        for index, level in enumerate(tiers.levels):
            row += 1
            filled = self.book.add_format(
                {"bg_color": level.color, "bold": True, "border": 1, "border_color": "#BFBFBF"}
            )
            sheet.write_string(row, 0, level.label, filled)
            values = {
                "min_score": level.min_score if tiers.method == "thresholds" else None,
                "cut": cuts[index] if index < len(cuts) else None,
                "share": shares[index] if index < len(shares) else None,
                "follow_up_days": level.follow_up_days,
            }
            if tiers.capacity is not None:
                values["capacity"] = caps.get(index)
            for key, value in values.items():
                column = columns.index(key)
                cell_format = self.input_percent if key in ("cut", "share") else self.input
                if value is None:
                    sheet.write_blank(row, column, None, cell_format)
                else:
                    sheet.write_number(row, column, value, cell_format)
            sheet.write_string(row, columns.index("color"), level.color, filled)
            sheet.write_string(row, columns.index("action"), localized(level.action, lang), self.input_wrap)
            sheet.write_string(
                row, columns.index("service_level"), localized(level.service_level, lang), self.input
            )
        last = row
        self._decimal(first, columns.index("min_score"), last, 0, 100)
        self._decimal(first, columns.index("cut"), last, 0, 1)
        self._decimal(first, columns.index("share"), last, 0, 1)
        self._whole(first, columns.index("follow_up_days"), last, columns.index("follow_up_days"), 1, 3660)
        if tiers.capacity is not None:
            self._whole(first, columns.index("capacity"), last, columns.index("capacity"), 0, 1_000_000)
        color = columns.index("color")
        top = f"{column_letters(color + 1)}{first + 1}"
        self.sheet.data_validation(
            first,
            color,
            last,
            color,
            {"validate": "custom", "value": f'=AND(LEN({top})=7,LEFT({top},1)="#")', **self._error()},
        )
        return row + 1

    def _ahp(self, row: int, config: Config) -> int:
        sheet, lang = self.sheet, self.lang
        assert config.ahp is not None
        row = self._title(row, "ahp")
        sheet.write_string(row, 0, text("cfg_ahp_allow", lang), self.label)
        yes, no = YES_NO["en" if lang == "en" else "zh"]  # 是/否 in either script
        sheet.write_string(row, 1, yes if config.ahp.allow_inconsistent else no, self.input)
        sheet.write_string(row, 2, self._note("ahp.allow"), self.help)
        self._list(row, 1, row, 1, [yes, no])
        row += 1
        # Numbered, so this row never looks like a header of customer fields to the data-sheet search.
        names = [f"{i}. {c.display(lang)}" for i, c in enumerate(config.criteria, start=1)]
        sheet.write_row(row, 0, [text("criterion", lang), *names], self.header)
        for name, values in zip(names, config.ahp.matrix, strict=True):
            row += 1
            sheet.write_string(row, 0, name, self.label)
            for column, value in enumerate(values, start=1):
                fraction = _as_fraction(value)
                if fraction is None:
                    sheet.write_number(row, column, value, self.input)
                else:
                    sheet.write_string(row, column, fraction, self.input)
        return row + 1

    def _run(self, row: int, facts: Sequence[tuple[str, Any]]) -> int:
        sheet = self.sheet
        row = self._title(row, "run")
        for key, value in facts:
            sheet.write_string(row, 0, text(key, self.lang), self.label)
            if isinstance(value, bool) or not isinstance(value, int | float):
                sheet.write_string(row, 1, str(value))
            else:
                sheet.write_number(row, 1, value)
            row += 1
        return row

    def _header(
        self, row: int, section: str, columns: list[str], labels: Mapping[str, tuple[str, ...]]
    ) -> None:
        for column, key in enumerate(columns):
            self.sheet.write_string(row, column, text(labels[key][0], self.lang), self.header)
            self.sheet.write_comment(
                row,
                column,
                self._note(f"{section}.{key}"),
                {"author": "kactier", "x_scale": 2.2, "y_scale": 1.4},
            )

    def _error(self) -> dict[str, str]:
        return {
            "error_title": text("cfg_invalid_title", self.lang),
            "error_message": text("cfg_invalid_message", self.lang),
        }

    def _list(self, first: int, column: int, last: int, last_column: int, options: list[str]) -> None:
        self.sheet.data_validation(
            first, column, last, last_column, {"validate": "list", "source": options, **self._error()}
        )

    def _decimal(self, first: int, column: int, last: int, low: float, high: float | None) -> None:
        rule: dict[str, Any] = (
            {"criteria": ">=", "value": low}
            if high is None
            else {"criteria": "between", "minimum": low, "maximum": high}
        )
        self.sheet.data_validation(
            first, column, last, column, {"validate": "decimal", **rule, **self._error()}
        )

    def _whole(self, first: int, column: int, last: int, last_column: int, low: int, high: int) -> None:
        self.sheet.data_validation(
            first,
            column,
            last,
            last_column,
            {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high, **self._error()},
        )


def _join(values: Sequence[float] | None) -> str:
    return "" if values is None else ", ".join(f"{v:g}" for v in values)


def _as_fraction(value: float) -> str | None:
    """``1/3`` for the reciprocal of a whole number (exact in the sheet, as AHP judgements are written)."""
    if 0 < value < 1:
        inverse = 1 / value
        if abs(inverse - round(inverse)) < 1e-9:
            return f"1/{round(inverse)}"
    return None
