"""Generate the filled template workbooks in ``examples/`` (deterministic, byte-for-byte reproducible).

Run from the repository root::

    python scripts/make_templates.py

Writes ``examples/template_<preset>_<lang>.xlsx`` for every shipped preset (``kactier presets``) in Chinese (zh) and English (en):
what ``kactier template --preset <preset> --lang <lang>
--example --rows 50`` writes, with the workbook's creation time fixed so the bytes do not depend on the day.
Each holds 24 sample customers (two of them recent, so provisional; one with a tier override) in a table of 50
rows, the Instructions, the Config sheet with the preset's rules, and the Lists sheet.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from kactier.config.presets import load_preset, preset_names
from kactier.template.workbook import TemplateOptions, write_template

OUT_DIR = Path(__file__).resolve().parent.parent / "examples"
CREATED = dt.datetime(2026, 11, 1)  # fixed, so the bytes are reproducible (as in make_examples.py)
ROWS = 50
LANGS = ("zh", "en")


def template_path(folder: Path, preset: str, lang: str) -> Path:
    """``<folder>/template_<preset>_<lang>.xlsx``."""
    return folder / f"template_{preset}_{lang}.xlsx"


def main(folder: Path = OUT_DIR) -> list[Path]:
    """Write every preset's filled template in both languages to ``folder``; return the paths."""
    folder.mkdir(exist_ok=True)
    written = []
    for preset in preset_names():
        for lang in LANGS:
            path = template_path(folder, preset, lang)
            write_template(
                path,
                load_preset(preset),
                TemplateOptions(lang="zh" if lang == "zh" else "en", rows=ROWS, example=True),
                force=True,
                created=CREATED,
            )
            written.append(path)
    return written


if __name__ == "__main__":
    paths = main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
    print("wrote " + ", ".join(str(p) for p in paths))
