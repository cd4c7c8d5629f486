"""The options the commands share, and the small parsers and helpers behind them."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..config.files import load_config_file
from ..config.models import Config
from ..orders.book import ORDERS_PRESET
from ..pipeline.result import ScoreResult
from ..read.crypto import PASSWORD_ENV
from .render import console, score_summary

Lang = Literal["auto", "zh", "en"]
InputArg = Annotated[
    Path,
    typer.Argument(
        help="The customer workbook (.xlsx/.xlsm/.xls/.ods) or CSV file.", metavar="INPUT", show_default=False
    ),
]
PresetOpt = Annotated[
    str | None, typer.Option("--preset", "-p", help="A shipped preset; see `kactier presets`.")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="A TOML config file (wins over --preset).")
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="The sheet to read (default: the first with a header).")
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang", help="Language of added labels and messages: auto|zh|en (auto follows the headers)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON summary object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")]
WorkbookPresetOpt = Annotated[
    str | None,
    typer.Option(
        "--preset",
        "-p",
        help="A shipped preset; see `kactier presets`. A Config sheet in INPUT wins over it (with a warning).",
    ),
]
WorkbookConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="A TOML config file; wins over INPUT's Config sheet and --preset."),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail (exit 65) when any row cannot be graded.")]
PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        envvar=PASSWORD_ENV,
        help="Password of an encrypted input workbook; `score` also encrypts the output with it.",
    ),
]


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date for provisional marks and follow-ups, YYYY-MM-DD (default: today; with --orders: the last "
        "order date, and the order window ends there).",
    ),
]
OrdersOpt = Annotated[
    bool,
    typer.Option(
        "--orders",
        help="INPUT holds order lines (one row per order): total them per customer first "
        f"(default preset: {ORDERS_PRESET}).",
    ),
]
WindowOpt = Annotated[
    int,
    typer.Option(
        "--window-months", min=1, max=120, help="With --orders: the months up to --as-of whose orders count."
    ),
]


HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help="SQLite file of past runs (created when missing): adds previous tier, change and a Changes sheet, "
        "and records this run.",
    ),
]


def as_of_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-30", param_hint="--as-of") from None


def config_file(path: Path | None) -> Config | None:
    return load_config_file(path) if path is not None else None


def progress_wanted(quiet: bool, json_out: bool) -> bool:
    """Progress bars only for a person at a terminal: never under cron (no TTY), --quiet or --json."""
    return not quiet and not json_out and sys.stderr.isatty()


def checked_lang(lang: str) -> str:
    if lang not in ("auto", "zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of auto, zh, en", param_hint="--lang")
    return lang


def show_result(result: ScoreResult, *, json_out: bool, quiet: bool, wrote: bool) -> None:
    if json_out:
        payload = result.as_json()
        payload["issue_list"] = [issue.as_dict(result.lang) for issue in result.issues]
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    elif not quiet:
        score_summary(console(sys.stdout), result, wrote=wrote)
