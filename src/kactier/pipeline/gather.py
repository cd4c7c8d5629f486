"""The inputs of a run over several workbooks (SPEC §13): files, folders and globs expanded, each workbook read, and
the one set of rules they are graded by."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config.models import Config
from ..config.precedence import ChosenConfig, choose_config
from ..config.presets import load_preset
from ..config.sheet_reader import SheetConfig
from ..errors import ConfigError, InputError, UsageError, spoken_in
from ..i18n import Lang, Note
from ..read.cells import RawSheet
from ..validate.rows import resolve_lang
from .inputs import INPUT_SUFFIXES, OUTPUT_SUFFIX, InputRead, read_input, skip_reason, stamps_together
from .options import RunOptions
from .review import own_columns
from .together import combine_sheets


def expand_inputs(given: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The workbooks ``given`` names, in order and each once: a file as it is, a folder's and a glob's workbooks in
    name order. Returns them and the files of folders and globs passed over as kactier outputs (``*.tiered.xlsx``),
    which a folder of regional workbooks often holds beside them."""
    found: list[Path] = []
    passed: list[Path] = []
    seen: set[Path] = set()
    for path in given:
        if path.is_dir():
            files = [p for p in sorted(path.iterdir()) if p.is_file()]
            if not any(p.suffix.casefold() in INPUT_SUFFIXES and skip_reason(p) is None for p in files):
                raise InputError(
                    "together.empty_folder", path=path, suffixes=", ".join(sorted(INPUT_SUFFIXES))
                )
        elif not path.exists() and glob.has_magic(str(path)):
            files = [Path(p) for p in sorted(glob.glob(str(path), recursive=True)) if Path(p).is_file()]
            if not files:
                raise InputError("orders.no_match", path=path)
        else:
            files = [path]  # named: taken as it is (a missing file is the read step's to say)
        for file in files:
            if file is not path and (file.suffix.casefold() not in INPUT_SUFFIXES or skip_reason(file)):
                if file.name.casefold().endswith(OUTPUT_SUFFIX):
                    passed.append(file)
                continue
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found, passed


def read_together(paths: Sequence[Path], options: RunOptions) -> tuple[InputRead, ChosenConfig]:
    """Read every input and lay their customers out as one sheet (:func:`~.together.combine_sheets`), with the
    rules they are graded by: ``--config``, else their Config sheets when these agree, else ``--preset``."""
    if options.orders:
        raise UsageError("together.orders", count=len(paths))
    sources = [read_input(path, options) for path in paths]
    lang = resolve_lang(options.lang, sources[0].raw.headers)
    with spoken_in(lang):
        chosen = chosen_together(paths, [s.config_sheet for s in sources], options)
        raws = [_without_own_columns(s.raw, chosen.config, lang) for s in sources]
        combined = combine_sheets(raws, chosen.config, lang, options.columns)
    stamps = [s.stamp for s in sources]
    stamp = None if None in stamps else stamps_together([s for s in stamps if s is not None])
    sheets = [s.config_sheet for s in sources if s.config_sheet is not None]
    first_sheet = (
        sheets[0] if len(sheets) == len(sources) else None
    )  # every input a template: blank rows unfilled
    return InputRead(combined.raw, None, first_sheet, stamp, tuple(paths), combined), chosen


def _without_own_columns(raw: RawSheet, config: Config, lang: Lang) -> RawSheet:
    """A graded workbook among the inputs without kactier's own added columns (written afresh for all)."""
    carried = own_columns(raw, config, lang)
    return carried.raw if carried is not None else raw


def chosen_together(
    paths: Sequence[Path], sheets: Sequence[SheetConfig | None], options: RunOptions
) -> ChosenConfig:
    """``--config``; else the inputs' Config sheets when they carry the same rules (a file without one takes
    theirs); else ``--preset``, which settles sheets that disagree; else an error naming two that disagree."""
    found = [(path, sheet) for path, sheet in zip(paths, sheets, strict=True) if sheet is not None]
    if options.config is None and found:
        first_path, first = found[0]
        for path, sheet in found[1:]:
            differs = _first_difference(_rules(first), _rules(sheet))
            if differs is None:
                continue
            if options.preset is None:
                raise ConfigError("together.configs_differ", first=first_path, other=path, key=differs)
            chosen = ChosenConfig(load_preset(options.preset), f"preset {options.preset}")
            chosen.notes.append(
                Note("note.configs_differ", first=first_path.name, other=path.name, key=differs)
            )
            return chosen
    return choose_config(
        options.config,
        found[0][1] if found else None,
        options.preset,
        config_file=options.config_file,
    )


def _rules(sheet: SheetConfig) -> dict[str, Any]:
    """A Config sheet's rules: every setting but the config's name and description."""
    return sheet.config.model_dump(exclude={"name", "description"})


def _first_difference(first: dict[str, Any], other: dict[str, Any], prefix: str = "") -> str | None:
    """The dotted key of the first setting two configs hold differently (``tiers.levels``), or None."""
    for key in [*first, *(k for k in other if k not in first)]:
        a, b = first.get(key), other.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            return _first_difference(a, b, f"{prefix}{key}.")
        return f"{prefix}{key}"
    return None
