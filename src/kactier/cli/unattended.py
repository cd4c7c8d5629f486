"""``kactier batch`` and ``kactier history``: re-rating from cron, and a customer's grades over the runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..errors import UsageError
from ..history.store import DEFAULT_HISTORY_NAME, customer_trajectory, history_database
from ..history.trends import input_trends
from ..i18n import text
from ..pipeline.batch import BatchOptions, run_batch
from .app import app
from .options import (
    JsonOpt,
    LangOpt,
    QuietOpt,
    SmallerOpt,
    StrictOpt,
    WorkbookConfigOpt,
    WorkbookPresetOpt,
    as_of_date,
    checked_lang,
    checked_preset,
    config_file,
    progress_wanted,
)
from .render import console, error_line
from .render_tables import batch_lang, batch_summary, history_lang, history_table, progress_display
from .render_trends import trajectory_line, trend_tables, trends_lang


@app.command()
def batch(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Workbooks, folders (their .xlsx/.xlsm/.xls/.xlsb/.ods/.csv) and glob patterns; *.tiered.xlsx "
            "outputs and ~$ lock files are skipped.",
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
            help="Date for provisional marks and follow-ups, in any form score's --as-of takes (default: each "
            "input's modification date, so re-running on unchanged inputs gives the same cells).",
        ),
    ] = None,
    strict: StrictOpt = False,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Replace existing outputs (needed to re-rate).")
    ] = False,
    smaller: SmallerOpt = False,
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
    preset = checked_preset(preset, lang)
    with progress_display(sys.stderr, enabled=progress_wanted(quiet, json_out), lang=lang) as display:
        options = BatchOptions(
            config=config_file(config),
            config_file=config,
            preset=preset,
            history=history,
            wait=wait,
            force=force,
            lang=checked_lang(lang),
            as_of=as_of_date(as_of, lang),
            strict=strict,
            smaller=smaller,
            on_file=display.file if display else None,
            on_stage=display.stage if display else None,
        )
        result = run_batch(inputs, out_dir, options)
    if json_out:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    table_lang = batch_lang(result, lang)
    if not json_out and not quiet:
        batch_summary(console(sys.stdout), result, table_lang)
    errors = console(sys.stderr)
    for outcome in result.files:
        if outcome.error:
            error_line(errors, outcome.error, outcome.lang)
        if outcome.detail and ctx.meta.get("debug"):
            sys.stderr.write(outcome.detail)
    if result.exit_code:
        raise typer.Exit(int(result.exit_code))


@app.command("history")
def history_command(
    ctx: typer.Context,
    customer_id: Annotated[
        str | None,
        typer.Argument(
            help="The customer id, exactly as in the input (or --trend).", metavar="[CUSTOMER_ID]"
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "-d",
            help=f"The folder batch wrote to: its {DEFAULT_HISTORY_NAME} (default: this folder's).",
        ),
    ] = None,
    history_file: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="The SQLite file that batch --history or score --history wrote (wins over --out-dir).",
        ),
    ] = None,
    trend: Annotated[
        bool, typer.Option("--trend", help="Each input's tier counts and mean score per tier, run by run.")
    ] = False,
    lang: LangOpt = "auto",
    json_out: JsonOpt = False,
) -> None:
    """Show a customer's tier and score over past runs, oldest first (--trend: every input's tier counts and mean
    score per tier, run by run).

    Exit 65 when no run lists the customer (the nearest ids are suggested); 66 when there is no database.

    Example: kactier history C001 --out-dir graded
    """
    ctx.meta["json"] = json_out
    checked_lang(lang)
    history = history_database(out_dir, history_file)
    if trend or customer_id is None:
        _trend(history, lang, json_out, asked=trend)
        return
    entries = customer_trajectory(history, customer_id)
    if json_out:
        payload = {
            "customer_id": customer_id,
            "history": str(history),
            "runs": [e.as_json() for e in entries],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        shown = history_lang(entries, lang)
        history_table(console(sys.stdout), customer_id, entries, shown)
        line = trajectory_line(entries, shown)
        if line is not None:
            console(sys.stdout).print(escape(line))


def _trend(history: Path, lang: str, json_out: bool, *, asked: bool) -> None:
    """``kactier history --trend`` (without a customer id and without --trend: a usage error)."""
    if not asked:
        raise UsageError("cli.history.no_customer")
    trends = input_trends(history)
    if json_out:
        payload = {
            "history": str(history),
            "inputs": [
                {
                    "input": t.input_name,
                    "tier_labels": list(t.labels),
                    "runs": [p.as_json(t.labels) for p in t.points],
                }
                for t in trends
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    shown = trends_lang(trends, lang)
    trend_tables(console(sys.stdout), trends, shown, text("term.trend.none", shown, path=history))
