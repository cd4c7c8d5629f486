"""``kactier score`` and ``kactier validate``: one workbook graded, or checked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ExitCode
from ..orders.window import DEFAULT_WINDOW_MONTHS
from ..pipeline.options import RunOptions
from ..pipeline.run import score_workbooks, validate_workbooks
from .app import app
from .explain_options import JsonRowsOpt, StabilityOpt
from .options import (
    AsOfOpt,
    HistoryOpt,
    InputsArg,
    JsonOpt,
    LangOpt,
    MapOpt,
    OrdersOpt,
    PasswordCommand,
    PasswordFileOpt,
    PasswordOpt,
    QuietOpt,
    SheetOpt,
    SmallerOpt,
    StrictOpt,
    WindowOpt,
    WorkbookConfigOpt,
    WorkbookPresetOpt,
    as_of_date,
    check_output_folder,
    checked_lang,
    checked_output,
    checked_preset,
    config_file,
    map_columns,
    password_of,
    progress_wanted,
    show_result,
)
from .render_tables import progress_display


@app.command(cls=PasswordCommand)
def score(
    ctx: typer.Context,
    inputs: InputsArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write (default: <input>.tiered.xlsx beside it; for a folder, <folder>.tiered.xlsx; "
            "needed for several inputs).",
        ),
    ] = None,
    preset: WorkbookPresetOpt = None,
    config: WorkbookConfigOpt = None,
    sheet: SheetOpt = None,
    column_map: MapOpt = None,
    lang: LangOpt = "auto",
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing output file.")] = False,
    strict: StrictOpt = False,
    as_of: AsOfOpt = None,
    orders: OrdersOpt = False,
    window_months: WindowOpt = DEFAULT_WINDOW_MONTHS,
    history: HistoryOpt = None,
    password: PasswordOpt = None,
    password_file: PasswordFileOpt = None,
    smaller: SmallerOpt = False,
    stability: StabilityOpt = None,
    json_out: JsonOpt = False,
    json_rows: JsonRowsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Grade the customers of INPUT and write the annotated workbook.

    Example: kactier score customers.xlsx -o graded.xlsx --preset key-account

    Several workbooks, folders or globs are graded together as one list, each row naming its file:
    kactier score 华东.xlsx 华南.xlsx regions/ -o 全公司.xlsx

    Rules: --config FILE, else INPUT's Config sheet (配置/Config, from `kactier template`), else --preset, else
    key-account (rfm with --orders).

    From a sales export: kactier score orders.xlsx --orders --as-of 2026-10-31

    How robust each tier is to the weights: kactier score customers.xlsx --stability
    """
    ctx.meta["json"] = json_out
    output, preset = checked_output(output, lang), checked_preset(preset, lang)
    check_output_folder(output, inputs[0])
    with progress_display(sys.stderr, enabled=progress_wanted(quiet, json_out), lang=lang) as display:
        options = RunOptions(
            output=output,
            config=config_file(config),
            config_file=config,
            preset=preset,
            sheet=sheet,
            lang=checked_lang(lang),
            force=force,
            strict=strict,
            as_of=as_of_date(as_of, lang),
            orders=orders,
            window_months=window_months,
            history=history,
            progress=display.stage if display else None,
            password=password_of(ctx, password, password_file, lang),
            smaller=smaller,
            columns=map_columns(column_map, lang),
            stability=stability,
            json_rows=json_rows,
        )
        result = score_workbooks(inputs, options)
    show_result(result, json_out=json_out, quiet=quiet, wrote=True, config_path=config)


@app.command(cls=PasswordCommand)
def validate(
    ctx: typer.Context,
    inputs: InputsArg,
    preset: WorkbookPresetOpt = None,
    config: WorkbookConfigOpt = None,
    sheet: SheetOpt = None,
    column_map: MapOpt = None,
    lang: LangOpt = "auto",
    as_of: AsOfOpt = None,
    orders: OrdersOpt = False,
    window_months: WindowOpt = DEFAULT_WINDOW_MONTHS,
    password: PasswordOpt = None,
    password_file: PasswordFileOpt = None,
    stability: StabilityOpt = None,
    json_out: JsonOpt = False,
    json_rows: JsonRowsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run every check of `score` and write nothing; exit 0 when every row can be graded, 65 when not.

    With --orders, an order line that cannot be counted also gives 65.

    Example: kactier validate customers.xlsx
    """
    ctx.meta["json"] = json_out
    preset = checked_preset(preset, lang)
    options = RunOptions(
        config=config_file(config),
        config_file=config,
        preset=preset,
        sheet=sheet,
        lang=checked_lang(lang),
        as_of=as_of_date(as_of, lang),
        orders=orders,
        window_months=window_months,
        password=password_of(ctx, password, password_file, lang),
        columns=map_columns(column_map, lang),
        stability=stability,
        json_rows=json_rows,
    )
    result = validate_workbooks(inputs, options)
    quiet = quiet and result.exit_code == ExitCode.OK
    show_result(result, json_out=json_out, quiet=quiet, wrote=False, config_path=config)
    if result.exit_code:
        raise typer.Exit(int(result.exit_code))
