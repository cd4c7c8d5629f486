"""``kactier template``: a blank, validated input workbook to hand out, with the rules inside it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ..config.precedence import resolve_config
from ..template.workbook import DEFAULT_ROWS as DEFAULT_TEMPLATE_ROWS
from ..template.workbook import MAX_ROWS as MAX_TEMPLATE_ROWS
from ..template.workbook import TemplateOptions, default_template_name, write_template
from .app import app
from .options import PresetOpt


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
    write_template(target, chosen, TemplateOptions(lang=chosen_lang, rows=rows, example=example), force=force)
    typer.echo(f"wrote {target}; fill it in and run: kactier score {target}")
