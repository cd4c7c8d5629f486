"""The command line: options in, one call into the core, rendering out.

Errors are turned into a message and an exit code in one place, :meth:`_Group.invoke`; commands themselves have no
error handling.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from ..config.models import (
    Config,
    config_toml,
    load_config_file,
    load_preset,
    preset_names,
    preset_text,
)
from ..errors import EXIT_CODE_HELP, ExitCode, KactierError
from ..history.store import DEFAULT_HISTORY_NAME, customer_trajectory
from ..i18n import localized
from ..orders.book import DEFAULT_WINDOW_MONTHS, ORDERS_PRESET
from ..pipeline.batch import run_batch
from ..pipeline.run import DEFAULT_PRESET, ScoreResult, resolve_config, score_workbook
from ..read.crypto import PASSWORD_ENV
from ..report.workbook import write_text_file
from ..template.workbook import DEFAULT_ROWS as DEFAULT_TEMPLATE_ROWS
from ..template.workbook import MAX_ROWS as MAX_TEMPLATE_ROWS
from ..template.workbook import default_template_name, write_template
from ..version import __version__
from .render import (
    batch_summary,
    console,
    error_line,
    history_table,
    presets_table,
    progress_display,
    score_summary,
)


class _Group(TyperGroup):
    """Turns every error into one line on stderr and its exit code (the traceback only with --debug)."""

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer does not export its type
        # the command's own arguments, read before typer parses them: a usage error must honour --json too
        arguments = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except KactierError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted; nothing was written", ExitCode.TEMPORARY)
        except Exception as exc:  # the one place that catches everything else
            if type(exc).__module__.startswith("typer."):
                if _usage_error(exc) and "--json" in arguments[: _end_of_options(arguments)]:
                    message = exc.format_message()  # type: ignore[attr-defined]
                    typer.echo(json.dumps({"error": message, "exit_code": int(ExitCode.USAGE)}))
                raise  # usage errors and exits: typer reports them itself (exit 2 for usage)
            _fail(ctx, f"internal error: {exc!r}; re-run with --debug and report it", ExitCode.INTERNAL)


def _usage_error(exc: Exception) -> bool:
    """A typer (click) usage error: it carries exit code 2 and a message."""
    return isinstance(exc, typer.TyperException) and getattr(exc, "exit_code", None) == ExitCode.USAGE


def _end_of_options(arguments: list[str]) -> int:
    return arguments.index("--") if "--" in arguments else len(arguments)


def _fail(ctx: Any, message: str, code: ExitCode) -> None:
    meta = ctx.meta
    if meta.get("debug"):
        traceback.print_exc(file=sys.stderr)
    if meta.get("json"):
        typer.echo(json.dumps({"error": message, "exit_code": int(code)}, ensure_ascii=False))
    error_line(console(sys.stderr), message)
    raise typer.Exit(int(code))


app = typer.Typer(
    cls=_Group,
    name="kactier",
    help="Key-account customer tiering: score, grade and explain every customer in an Excel workbook.\n\n"
    + EXIT_CODE_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100, "terminal_width": 100},
)

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


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-30", param_hint="--as-of") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kactier {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.meta["debug"] = debug


def _config_file(path: Path | None) -> Config | None:
    return load_config_file(path) if path is not None else None


HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help="SQLite file of past runs (created when missing): adds previous tier, change and a Changes sheet, "
        "and records this run.",
    ),
]


def _progress_wanted(quiet: bool, json_out: bool) -> bool:
    """Progress bars only for a person at a terminal: never under cron (no TTY), --quiet or --json."""
    return not quiet and not json_out and sys.stderr.isatty()


def _check_lang(lang: str) -> str:
    if lang not in ("auto", "zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of auto, zh, en", param_hint="--lang")
    return lang


@app.command()
def score(
    ctx: typer.Context,
    input: InputArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write (default: <input>.tiered.xlsx beside it)."),
    ] = None,
    preset: WorkbookPresetOpt = None,
    config: WorkbookConfigOpt = None,
    sheet: SheetOpt = None,
    lang: LangOpt = "auto",
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing output file.")] = False,
    strict: StrictOpt = False,
    as_of: AsOfOpt = None,
    orders: OrdersOpt = False,
    window_months: WindowOpt = DEFAULT_WINDOW_MONTHS,
    history: HistoryOpt = None,
    password: PasswordOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Grade the customers of INPUT and write the annotated workbook.

    Example: kactier score customers.xlsx -o graded.xlsx --preset key-account

    Rules: --config FILE, else INPUT's Config sheet (配置/Config, from `kactier template`), else --preset, else
    key-account (rfm with --orders).

    From a sales export: kactier score orders.xlsx --orders --as-of 2026-10-31
    """
    ctx.meta["json"] = json_out
    with progress_display(sys.stderr, enabled=_progress_wanted(quiet, json_out)) as display:
        result = score_workbook(
            input,
            output,
            config=_config_file(config),
            preset=preset,
            sheet=sheet,
            lang=_check_lang(lang),
            force=force,
            strict=strict,
            as_of=_as_of(as_of),
            orders=orders,
            window_months=window_months,
            history=history,
            progress=display.stage if display else None,
            password=password,
        )
    _show(result, json_out=json_out, quiet=quiet, wrote=True)


@app.command()
def validate(
    ctx: typer.Context,
    input: InputArg,
    preset: WorkbookPresetOpt = None,
    config: WorkbookConfigOpt = None,
    sheet: SheetOpt = None,
    lang: LangOpt = "auto",
    as_of: AsOfOpt = None,
    orders: OrdersOpt = False,
    window_months: WindowOpt = DEFAULT_WINDOW_MONTHS,
    password: PasswordOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run every check of `score` and write nothing; exit 0 when every row can be graded, 65 when not.

    With --orders, an order line that cannot be counted also gives 65.

    Example: kactier validate customers.xlsx
    """
    ctx.meta["json"] = json_out
    result = score_workbook(
        input,
        config=_config_file(config),
        preset=preset,
        sheet=sheet,
        lang=_check_lang(lang),
        write=False,
        as_of=_as_of(as_of),
        orders=orders,
        window_months=window_months,
        password=password,
    )
    invalid = result.rows_invalid or result.lines_invalid
    if invalid:
        result.exit_code = ExitCode.DATA
    _show(result, json_out=json_out, quiet=quiet and not invalid, wrote=False)
    if result.exit_code:
        raise typer.Exit(int(result.exit_code))


@app.command()
def template(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write (default: kactier-template-<preset>.xlsx in this folder)."
        ),
    ] = None,
    preset: PresetOpt = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="A TOML config to put in the template (wins over --preset)."),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the sheets, headers and notes: zh|en.")
    ] = "zh",
    rows: Annotated[
        int,
        typer.Option("--rows", min=1, max=MAX_TEMPLATE_ROWS, help="Empty rows prepared with validation."),
    ] = DEFAULT_TEMPLATE_ROWS,
    example: Annotated[bool, typer.Option("--example", help="Fill in realistic sample customers.")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing file.")] = False,
) -> None:
    """Write a blank input workbook to fill in: validated columns, instructions, and the rules in a Config sheet.

    `kactier score` follows the workbook's Config sheet, so edit it there to change weights or thresholds.

    Example: kactier template --preset sales-abc --lang en -o regional-form.xlsx
    """
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of zh, en", param_hint="--lang")
    chosen = resolve_config(config, preset)
    target = output or Path(default_template_name(chosen))
    chosen_lang: Literal["zh", "en"] = "zh" if lang == "zh" else "en"
    write_template(target, chosen, lang=chosen_lang, rows=rows, example=example, force=force)
    typer.echo(f"wrote {target}; fill it in and run: kactier score {target}")


@app.command()
def batch(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Workbooks, folders (their .xlsx/.xlsm/.csv) and glob patterns; *.tiered.xlsx outputs and ~$ "
            "lock files are skipped.",
            metavar="INPUT...",
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-d", help="Folder for the <input>.tiered.xlsx outputs (must exist).")
    ],
    preset: WorkbookPresetOpt = None,
    config: WorkbookConfigOpt = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history", help=f"SQLite file of past runs (default: {DEFAULT_HISTORY_NAME} in --out-dir)."
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, help="Seconds to wait for another batch writing to --out-dir, then exit 75."
        ),
    ] = 60.0,
    lang: LangOpt = "auto",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date for provisional marks and follow-ups, YYYY-MM-DD (default: each input's modification date, "
            "so re-running on unchanged inputs gives the same cells).",
        ),
    ] = None,
    strict: StrictOpt = False,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Replace existing outputs (needed to re-rate).")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object with a result per file.")
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Re-rate many workbooks unattended (cron): a bad file is reported and the others proceed.

    Outputs are written atomically; an overlapping run waits for the first (--wait), then exits 75. The exit code
    is the highest of the files' exit codes. Each run is recorded in the history database, so the next run shows
    who moved up, down, in or out.

    Example: kactier batch incoming/ 'archive/2026-*.xlsx' --out-dir graded --force --quiet
    """
    ctx.meta["json"] = json_out
    if preset is not None:
        load_preset(preset)  # an unknown preset stops the batch (78) before any file is touched
    with progress_display(sys.stderr, enabled=_progress_wanted(quiet, json_out)) as display:
        result = run_batch(
            inputs,
            out_dir,
            config=_config_file(config),
            preset=preset,
            history=history,
            wait=wait,
            force=force,
            lang=_check_lang(lang),
            as_of=_as_of(as_of),
            strict=strict,
            on_file=display.file if display else None,
            on_stage=display.stage if display else None,
        )
    if json_out:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    elif not quiet:
        batch_summary(console(sys.stdout), result)
    errors = console(sys.stderr)
    for outcome in result.files:
        if outcome.error:
            error_line(errors, outcome.error)
        if outcome.detail and ctx.meta.get("debug"):
            sys.stderr.write(outcome.detail)
    if result.exit_code:
        raise typer.Exit(int(result.exit_code))


@app.command("history")
def history_command(
    ctx: typer.Context,
    customer_id: Annotated[
        str, typer.Argument(help="The customer id, exactly as in the input.", metavar="CUSTOMER_ID")
    ],
    history: Annotated[
        Path, typer.Option("--history", help="The SQLite file that batch or score --history wrote.")
    ] = Path(DEFAULT_HISTORY_NAME),
    json_out: JsonOpt = False,
) -> None:
    """Show a customer's tier and score over past runs, oldest first.

    Example: kactier history C001 --history graded/kactier-history.sqlite
    """
    ctx.meta["json"] = json_out
    entries = customer_trajectory(history, customer_id)
    if json_out:
        payload = {
            "customer_id": customer_id,
            "history": str(history),
            "runs": [e.as_json() for e in entries],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        history_table(console(sys.stdout), customer_id, entries)


@app.command()
def presets() -> None:
    """List the shipped presets, one line each.

    Example: kactier presets
    """
    rows = [(name, localized(load_preset(name).description, "en")) for name in preset_names()]
    presets_table(console(sys.stdout), rows)


config_app = typer.Typer(
    help="Write a config to edit, or print the effective config.\n\nExample: kactier config init --preset rfm",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


@config_app.command("init")
def config_init(
    preset: PresetOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the config.")] = Path(
        "kactier.toml"
    ),
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented config (a copy of a preset) to edit and pass with --config.

    Example: kactier config init --preset sales-abc -o my-tiers.toml
    """
    write_text_file(output, preset_text(preset or DEFAULT_PRESET), force=force)
    typer.echo(f"wrote {output}; edit it and run: kactier score INPUT --config {output}")


@config_app.command("show")
def config_show(preset: PresetOpt = None, config: ConfigOpt = None) -> None:
    """Print the effective config as TOML, defaults filled in (--config wins over --preset).

    Example: kactier config show --preset rfm
    """
    source = str(config) if config is not None else f"preset {preset or DEFAULT_PRESET}"
    typer.echo(config_toml(resolve_config(config, preset), source), nl=False)


def _show(result: ScoreResult, *, json_out: bool, quiet: bool, wrote: bool) -> None:
    if json_out:
        payload = result.as_json()
        payload["issue_list"] = [issue.as_dict(result.lang) for issue in result.issues]
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    elif not quiet:
        score_summary(console(sys.stdout), result, wrote=wrote)
