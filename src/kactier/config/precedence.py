"""Which config a run uses: ``--config`` > the workbook's Config sheet > ``--preset`` > the default preset."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    config: Config | None, sheet: SheetConfig | None, preset: str | None, default: str = DEFAULT_PRESET
) -> ChosenConfig:
    """The config of a run: ``config`` (from ``--config``) > the workbook's Config ``sheet`` > ``preset`` > the
    ``default`` preset. A Config sheet beside an explicit ``preset`` wins, with a note saying the preset was not
    used; an unknown preset name is an error even then."""
    if config is not None:
        return ChosenConfig(config, f"config {config.name!r}")
    if sheet is None:
        name = preset or default
        return ChosenConfig(load_preset(name), f"preset {name}")
    notes = [f"config: the workbook's Config sheet {sheet.sheet!r}"]
    if preset is not None:
        load_preset(preset)  # an unknown name is still an error, even when it would not be used
        notes.append(
            f"--preset {preset} was not used: the workbook's Config sheet {sheet.sheet!r} wins over a preset; "
            "pass --config FILE to grade with other rules"
        )
    return ChosenConfig(sheet.config, f"sheet {sheet.sheet}", notes)
