"""Which config a run uses: ``--config`` > the workbook's Config sheet > ``--preset`` > the default preset."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Note
from .files import load_config_file
from .models import Config
from .presets import load_preset
from .sheet_reader import SheetConfig

DEFAULT_PRESET = "key-account"


@dataclass(frozen=True, slots=True)
class ChosenConfig:
    """The config of a run, where it came from (for the Config sheet and ``--json``), and notes for the result."""

    config: Config
    source: str
    notes: list[str] = field(default_factory=list)


def resolve_config(config_path: Path | None, preset: str | None) -> Config:
    """``--config`` wins over ``--preset``; the default is the key-account preset."""
    if config_path is not None:
        return load_config_file(config_path)
    return load_preset(preset or DEFAULT_PRESET)


def choose_config(
    config: Config | None,
    sheet: SheetConfig | None,
    preset: str | None,
    default: str = DEFAULT_PRESET,
    *,
    config_file: Path | None = None,
) -> ChosenConfig:
    """The config of a run: ``config`` (from ``--config``) > the workbook's Config ``sheet`` > ``preset`` > the
    ``default`` preset. A Config sheet beside an explicit ``preset`` wins, with a note saying the preset was not
    used; an unknown preset name is an error even then."""
    if config is not None:
        source = f"config {config.name!r}" + (f" from {config_file}" if config_file is not None else "")
        return ChosenConfig(config, source)
    if sheet is None:
        name = preset or default
        return ChosenConfig(load_preset(name), f"preset {name}")
    notes: list[str] = [Note("note.config_sheet", sheet=sheet.sheet)]
    if preset is not None:
        load_preset(preset)  # an unknown name is still an error, even when it would not be used
        notes.append(Note("note.preset_not_used", preset=preset, sheet=sheet.sheet))
    return ChosenConfig(sheet.config, f"sheet {sheet.sheet}", notes)
