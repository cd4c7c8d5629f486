"""``kactier template``: a blank, validated input workbook to hand out, with the rules inside it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..config.precedence import resolve_config
from ..pipeline.batch import check_writable_folder
from ..template.workbook import DEFAULT_ROWS as DEFAULT_TEMPLATE_ROWS
from ..template.workbook import MAX_ROWS as MAX_TEMPLATE_ROWS
from ..template.workbook import TemplateOptions, default_template_name, write_template
from .app import app
from .options import PresetOpt, checked_output, checked_preset
from .render import console, wrote_line


@app.command()
def template(
    ctx: typer.Context,
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
    said = lang if _given(ctx, "lang") else None  # usage errors: English unless --lang zh is given
    output, preset = checked_output(output, said), checked_preset(preset, said)
    chosen = resolve_config(config, preset)
    target = output or Path(default_template_name(chosen))
    check_writable_folder(target.parent)
    chosen_lang: Literal["zh", "en"] = "zh" if lang == "zh" else "en"
    write_template(target, chosen, TemplateOptions(lang=chosen_lang, rows=rows, example=example), force=force)
    wrote_line(console(sys.stdout), chosen_lang, target)


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given (on the command line or in the environment), not left at its default."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"
