"""``kactier presets`` and ``kactier config``: the shipped rules, a copy to edit, and the effective config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..config.files import config_toml
from ..config.precedence import DEFAULT_PRESET, resolve_config
from ..config.presets import load_preset, preset_names, preset_text
from ..i18n import localized, text
from ..report.output import write_text_file
from .app import app, config_app
from .options import ConfigOpt, LangOpt, PresetOpt, checked_lang, checked_preset
from .render import console, presets_table, terminal_lang


@app.command()
def presets(lang: LangOpt = "auto") -> None:
    """List the shipped presets, one line each.

    Example: kactier presets
    """
    chosen = terminal_lang(checked_lang(lang))  # auto: the locale's language
    rows = [(name, localized(load_preset(name).description, chosen)) for name in preset_names()]
    presets_table(console(sys.stdout), rows)


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
    write_text_file(output, preset_text(checked_preset(preset) or DEFAULT_PRESET), force=force)
    typer.echo(text("term.config_wrote", terminal_lang("auto"), target=output))  # the locale's language


@config_app.command("show")
def configshow_result(preset: PresetOpt = None, config: ConfigOpt = None) -> None:
    """Print the effective config as TOML, defaults filled in (--config wins over --preset).

    Example: kactier config show --preset rfm
    """
    preset = checked_preset(preset)
    source = str(config) if config is not None else f"preset {preset or DEFAULT_PRESET}"
    typer.echo(config_toml(resolve_config(config, preset), source), nl=False)
