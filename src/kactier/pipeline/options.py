"""What a run is asked to do: every option of ``kactier score`` and ``validate`` as one object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config.models import Config
from ..orders.window import DEFAULT_WINDOW_MONTHS

Progress = Callable[[str], None]  # called with each stage: read, validate, score, grade, write, history


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The options of one run of :func:`~kactier.pipeline.run.score_workbook`; every field has a default.

    - ``output``: where to write (default ``<input stem>.tiered.xlsx`` beside the input); ``write=False`` writes
      nothing (``kactier validate``).
    - ``config`` (from ``--config``) wins over the workbook's Config sheet, which wins over ``preset``, which wins
      over the default preset (:func:`~kactier.config.precedence.choose_config`).
    - ``sheet``: the sheet to read (default: the first with a header); ``lang``: ``auto``, ``zh`` or ``en``.
    - ``force`` replaces an existing output; with ``strict`` any row that cannot be graded stops the run before
      anything is written.
    - ``as_of`` (default: today) dates provisional marks and follow-ups; ``now`` (the run time) goes only into the
      document properties and the history, never into a cell.
    - ``history``: an SQLite file (created when missing); the output then shows what changed since the previous
      run, and this run is recorded after the output is written.
    - ``progress`` is called with the name of each stage as it starts.
    - With ``orders`` the input holds order lines, totalled per customer over the ``window_months`` months ending
      at ``as_of`` (default: the last order date, which then also dates provisional marks and follow-ups).
    - ``password`` opens a password-protected input and encrypts the output.
    - ``smaller`` zips the output harder (deflate level 6 instead of 1): about a quarter smaller, slower to write.
    - ``columns`` (field key -> header as written, from ``--map``) map columns explicitly, winning over the
      config's ``[columns]`` and over header matching.
    - ``stability`` (``--stability N``) adds 级别稳定度 / Tier stability over N perturbed weight vectors;
      ``json_rows`` puts every customer's tier, explanation and stability in the ``--json`` object.
    """

    output: Path | None = None
    config: Config | None = None
    config_file: Path | None = None  # the file ``config`` was read from, named as the run's config source
    preset: str | None = None
    sheet: str | None = None
    lang: str = "auto"
    force: bool = False
    strict: bool = False
    write: bool = True
    as_of: dt.date | None = None
    now: dt.datetime | None = None
    history: Path | None = None
    progress: Progress | None = None
    orders: bool = False
    window_months: int = DEFAULT_WINDOW_MONTHS
    password: str | None = None
    smaller: bool = False
    columns: dict[str, str] = field(default_factory=dict)
    stability: int | None = None  # --stability N: draws of perturbed weights (None: no stability column)
    json_rows: bool = False  # --json-rows: every customer's tier and explanation in the --json object
