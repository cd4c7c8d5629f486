"""``kactier split``: the graded workbook handed back, one workbook per owner."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..i18n import text
from ..pipeline.split import SplitOptions, SplitResult, split_workbook
from .app import app
from .options import JsonOpt, LangOpt, PasswordCommand, PasswordOpt, QuietOpt, checked_lang, password_of
from .render import console


@app.command(cls=PasswordCommand)
def split(
    ctx: typer.Context,
    input: Annotated[
        Path,
        typer.Argument(
            help="The graded workbook (<input>.tiered.xlsx from kactier score).",
            metavar="GRADED",
            show_default=False,
        ),
    ],
    by: Annotated[
        str, typer.Option("--by", help="The column to split by: a field key (owner) or a header (负责人).")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-d", help="Folder for the workbooks (created when missing).")
    ],
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            metavar="CSV",
            help="CSV of value,password (UTF-8): each workbook is encrypted with its owner's password; a value "
            "the file does not list stops the run before anything is written.",
        ),
    ] = None,
    password: PasswordOpt = None,
    lang: LangOpt = "auto",
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace existing workbooks.")] = False,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write one workbook per value of --by: that owner's rows in the same formats, a Summary of their own
    customers, the Config and their own issues; nothing of another owner.

    The tiers are the graded workbook's (company-wide scores and ranks); a workbook edited after grading is
    refused until it is scored again. Rows with a blank value go to one file named (空) / (blank).

    Example: kactier split customers.tiered.xlsx --by 负责人 --out-dir handback --password-file owners.csv
    """
    ctx.meta["json"] = json_out
    options = SplitOptions(
        by=by,
        out_dir=out_dir,
        passwords=password_file,
        password=password_of(ctx, password, None, lang),
        lang=checked_lang(lang),
        force=force,
    )
    show_split(split_workbook(input, options), json_out=json_out, quiet=quiet)


def show_split(result: SplitResult, *, json_out: bool, quiet: bool) -> None:
    """What was written: one JSON object, or a line per workbook (passwords are never shown)."""
    if json_out:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    if quiet:
        return
    out, lang = console(sys.stdout), result.lang
    summary = text(
        "term.split.summary",
        lang,
        input=result.input.name,
        by=result.by,
        count=len(result.files),
        as_of=result.as_of,
    )
    out.print(escape(summary))
    for written in result.files:
        locked = text("term.split.locked", lang) if written.encrypted else ""
        out.print(escape(text("term.split.wrote", lang, path=written.path, rows=written.rows, locked=locked)))
