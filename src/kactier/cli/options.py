"""The options the commands share, and the small parsers and helpers behind them."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperCommand

from ..config.files import load_config_file
from ..config.models import Config, check_columns
from ..config.presets import find_preset, unknown_preset_error
from ..i18n import Lang as TextLang
from ..i18n import text
from ..orders.book import ORDERS_PRESET
from ..pipeline.batch import check_writable_folder
from ..pipeline.result import ScoreResult
from ..read.crypto import PASSWORD_ENV
from ..values import parse_date
from .explain_options import STABILITY, stability_asked
from .render import console, score_summary

OUTPUT_SUFFIX = ".xlsx"

Lang = Literal["auto", "zh", "en"]
InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="The customer workbooks (.xlsx/.xlsm/.xls/.ods) or CSV files, folders of them or quoted globs; "
        "several are graded together as one list. With --orders one order export: also a TSV or Parquet file, "
        "a folder of parts or a quoted glob.",
        metavar="INPUT...",
        show_default=False,
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
ASK = "-"  # ``--password -``, or ``--password`` without a value: ask for it
PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        envvar=PASSWORD_ENV,
        metavar="[TEXT|-]",
        help="Password of an encrypted input; `score` encrypts the output with it too. Alone or as -: asked "
        "without echo (read from stdin when piped). Prefer that, --password-file or the env var: a password "
        "typed here shows in `ps` and the shell history.",
    ),
]
PasswordFileOpt = Annotated[
    Path | None,
    typer.Option("--password-file", metavar="FILE", help="Read the --password from the first line of FILE."),
]


class PasswordCommand(TyperCommand):
    """A command whose ``--password`` may come without a value: then it is read as ``--password -`` (ask)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context; typer does not export it
        options = {opt for param in self.params for opt in getattr(param, "opts", [])}
        if STABILITY in options:  # --stability without a number of draws: the default
            args = stability_asked(args)
        return super().parse_args(ctx, password_asked(args, options))


def password_asked(args: list[str], options: set[str]) -> list[str]:
    """``args`` with ``-`` after a ``--password`` that ends them or is followed by another of ``options``."""
    given = list(args)
    end = given.index("--") if "--" in given else len(given)
    for at in range(end - 1, -1, -1):
        if given[at] == "--password" and (at + 1 == end or given[at + 1].partition("=")[0] in options):
            given.insert(at + 1, ASK)
    return given


def password_of(
    ctx: typer.Context, password: str | None, password_file: Path | None, lang: str
) -> str | None:
    """The password of ``--password``, ``--password -`` (asked without echo, or one line of a piped stdin),
    ``--password-file`` (its first line) or the environment (:data:`PASSWORD_ENV`); None without one."""
    said = usage_lang(lang)
    if password_file is not None:
        source = ctx.get_parameter_source("password")
        if (
            password is not None and getattr(source, "name", None) != "ENVIRONMENT"
        ):  # the file wins over the env
            raise typer.BadParameter(text("cli.password_twice", said), param_hint="--password-file")
        try:
            with password_file.open(encoding="utf-8-sig") as handle:
                password = handle.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise typer.BadParameter(
                text("cli.password_file_unreadable", said, path=password_file, reason=reason),
                param_hint="--password-file",
            ) from None
    elif password == ASK:
        if sys.stdin.isatty():
            password = typer.prompt(text("cli.password_prompt", said), hide_input=True, err=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    if password == "":
        raise typer.BadParameter(text("cli.password_empty", said), param_hint="--password")
    return password


SmallerOpt = Annotated[
    bool,
    typer.Option(
        "--smaller",
        help="Zip the output harder: about a quarter smaller, a little slower to write (deflate level 6, not 1).",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date for provisional marks and follow-ups: 2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日 or "
        "20261130 (default: today; with --orders: the last order date, and the order window ends there).",
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

MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="HEADER=FIELD",
        help='Map a column explicitly, e.g. --map "购买能力指数=purchasing_power" (repeatable; wins over the '
        "config's [columns] and over header matching).",
    ),
]


def map_columns(values: list[str] | None, lang: str | None = None) -> dict[str, str]:
    """``--map "HEADER=field"`` options as field -> header; a malformed one, an unknown field or a header given
    twice is a usage error."""
    columns: dict[str, str] = {}
    for value in values or []:
        header, sep, key = value.rpartition("=")
        if not sep or not header.strip() or not key.strip():
            raise typer.BadParameter(
                text("mapping.bad_map", usage_lang(lang), value=value), param_hint="--map"
            )
        columns[key.strip()] = header.strip()
    try:
        check_columns(columns)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None
    return columns


def usage_lang(lang: str | None) -> TextLang:
    """The language of a usage error, said before any input is read: Chinese with ``--lang zh``, else English."""
    return "zh" if lang == "zh" else "en"


def as_of_date(value: str | None, lang: str | None = None) -> dt.date | None:
    """``--as-of`` in any date form data accepts (2026-11-30, 2026/11/30, 2026.11.30, 2026年11月30日, 20261130)."""
    if value is None:
        return None
    date, _ = parse_date(value)
    if date is None:
        raise typer.BadParameter(text("cli.bad_date", usage_lang(lang), value=value), param_hint="--as-of")
    return date


def checked_preset(name: str | None, lang: str | None = None) -> str | None:
    """``--preset`` as the shipped preset's own name (case-insensitive); an unknown name is a usage error that
    suggests the nearest."""
    if name is None:
        return None
    found = find_preset(name)
    if found is None:
        message = unknown_preset_error(name).message(usage_lang(lang))
        raise typer.BadParameter(message, param_hint="--preset")
    return found


def checked_output(output: Path | None, lang: str | None = None) -> Path | None:
    """``-o`` must name an .xlsx file: kactier writes Excel workbooks, whatever the suffix says."""
    if output is None or output.suffix.casefold() == OUTPUT_SUFFIX or output.is_dir():
        return output  # a folder gets the run's own message: give a file name in it
    suggestion = output.with_suffix(OUTPUT_SUFFIX) if output.suffix else Path(f"{output}{OUTPUT_SUFFIX}")
    raise typer.BadParameter(
        text("cli.output_suffix", usage_lang(lang), path=output, suggestion=suggestion), param_hint="-o"
    )


def config_file(path: Path | None) -> Config | None:
    """The config of ``--config``, or None."""
    return load_config_file(path) if path is not None else None


def check_output_folder(output: Path | None, input_path: Path) -> None:
    """The folder the output goes to (``-o``'s, else the input's) must be writable: exit 73 saying what to do."""
    folder = output.parent if output is not None else input_path.parent
    if output is None and not input_path.exists():
        return  # the missing input is the thing to say; the run says it
    check_writable_folder(folder)


def progress_wanted(quiet: bool, json_out: bool) -> bool:
    """Progress bars only for a person at a terminal: never under cron (no TTY), --quiet or --json."""
    return not quiet and not json_out and sys.stderr.isatty()


def checked_lang(lang: str) -> str:
    if lang not in ("auto", "zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of auto, zh, en", param_hint="--lang")
    return lang


def show_result(
    result: ScoreResult, *, json_out: bool, quiet: bool, wrote: bool, config_path: Path | None = None
) -> None:
    """The result on stdout: one JSON object, or the summary (after the config file's path, when one was given)."""
    if json_out:
        payload = result.as_json()
        payload["issue_list"] = [issue.as_dict(result.lang) for issue in result.issues]
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    elif not quiet:
        out = console(sys.stdout)
        if config_path is not None:
            out.print(text("cli.config_from", result.lang, path=config_path), markup=False)
        score_summary(out, result, wrote=wrote)
