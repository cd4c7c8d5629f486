"""``kactier batch``: re-rate many workbooks unattended (cron), one bad workbook never stopping the others.

- Inputs are files, folders (their ``*.xlsx``, ``*.xlsm``, ``*.xls``, ``*.xlsb``, ``*.ods`` and ``*.csv``, not
  recursively) and glob patterns (``**`` recurses): every format ``score`` reads. A folder or glob that holds no
  workbook is reported (exit 66), and so is an argument list that holds none at all. kactier's own outputs (``*.tiered.xlsx``), Excel's lock files (``~$*``) and hidden files are skipped
  wherever they come from, so a folder can hold its inputs and its outputs.
- Each input is written to ``OUT_DIR/<stem>.tiered.xlsx`` atomically (temporary file, fsync, rename); two inputs
  that would write the same output are an error for the second one.
- A lock (``flock`` on ``OUT_DIR/.kactier-batch.lock``) makes an overlapping run wait up to ``wait`` seconds, then
  give up with exit 75: two runs never write the same folder at once. Under the lock, the temporary files killed
  runs of kactier left behind are removed (those whose writer is gone: see :mod:`kactier.report.output`).
- History (SQLite) defaults to ``OUT_DIR/kactier-history.sqlite``.
- Reproducible: the as-of date defaults to each input's modification date (not today), and the run time goes only
  into document properties and the history; so re-running on unchanged inputs gives the same cells.
- The batch's exit code is the highest exit code among its files (0 when every file succeeded).
- Interrupted (Ctrl-C) before anything was recorded, a run leaves no history database it created behind.
- ``--json`` is one object, its schema versioned (:data:`JSON_SCHEMA_VERSION`) and documented in docs/batch-json.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.models import Config
from ..config.presets import load_preset
from ..errors import BatchLockedError, ExitCode, InputError, KactierError, OutputExistsError, error_lang
from ..history.cleanup import remove_unused_history
from ..history.store import DEFAULT_HISTORY_NAME
from ..i18n import Lang, text
from ..report.output import remove_abandoned_temporaries
from .inputs import INPUT_SUFFIXES, OUTPUT_SUFFIX, skip_reason
from .options import Progress, RunOptions
from .result import ScoreResult
from .run import score_workbook

LOCK_NAME = ".kactier-batch.lock"
JSON_SCHEMA_VERSION = 1  # of the --json object; docs/batch-json.md describes it
FileProgress = Callable[[int, int, Path], None]  # (files done, files in all, the file starting now)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """The options of :func:`run_batch`: the rules as for ``score`` (``config`` > each workbook's Config sheet >
    ``preset`` > the default), where the history goes (default ``OUT_DIR/kactier-history.sqlite``), how long to
    wait for another run's lock, and callbacks for a progress display."""

    config: Config | None = None
    config_file: Path | None = None  # the file ``config`` was read from, named as each run's config source
    preset: str | None = None
    history: Path | None = None
    wait: float = 60.0
    force: bool = False
    lang: str = "auto"
    as_of: dt.date | None = None  # default: each input's modification date
    strict: bool = False
    smaller: bool = False  # outputs zipped harder (deflate level 6): smaller, slower
    on_file: FileProgress | None = None
    on_stage: Progress | None = None


@dataclass(slots=True)
class FileOutcome:
    """What happened to one input."""

    input: Path
    output: Path | None
    exit_code: ExitCode
    result: ScoreResult | None = None
    error: str | None = None
    detail: str | None = None  # the traceback of an internal error, for --debug
    lang: Lang = "en"  # the language ``error`` is worded in

    def as_json(self) -> dict[str, Any]:
        """One file's object in ``--json``: the ``score --json`` summary, or the error."""
        if self.result is not None:
            payload = self.result.as_json()
            payload["exit_code"] = int(self.exit_code)
            payload["issue_list"] = [issue.as_dict(self.result.lang) for issue in self.result.issues]
            return payload
        return {
            "input": str(self.input),
            "output": None,
            "exit_code": int(self.exit_code),
            "error": self.error,
            "issue_list": [],
        }


@dataclass(slots=True)
class BatchResult:
    """Every input's outcome, and what was skipped."""

    out_dir: Path
    history: Path
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    files: list[FileOutcome] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        """The highest exit code among the files; 0 when all succeeded (or there was nothing to do)."""
        return max((f.exit_code for f in self.files), default=ExitCode.OK)

    def as_json(self) -> dict[str, Any]:
        """The one ``--json`` object of a batch."""
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "out_dir": str(self.out_dir),
            "history": str(self.history),
            "exit_code": int(self.exit_code),
            "ok": sum(1 for f in self.files if f.exit_code == ExitCode.OK),
            "failed": sum(1 for f in self.files if f.exit_code != ExitCode.OK),
            "files": [f.as_json() for f in self.files],
            "skipped": [{"path": str(p), "reason": reason} for p, reason in self.skipped],
        }


def find_inputs(
    arguments: Sequence[str], lang: str = "auto"
) -> tuple[list[Path], list[FileOutcome], list[tuple[Path, str]]]:
    """Expand files, folders and globs into inputs (in argument order, each once, folders and globs sorted).

    Returns the inputs, an outcome (exit 66) for each argument that names nothing or holds no workbook (worded in
    ``lang``: Chinese for ``zh``, else English), and what was skipped.
    """
    found = _Found()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            children = [child for child in sorted(path.iterdir()) if child.is_file()]
            for child in children:
                found.take(child, named=False)
            if all(skip_reason(child) for child in children):
                message = text("cli.batch.empty_folder", said_in(lang), folder=path)
                found.missing.append(_failure(path, ExitCode.NO_INPUT, message, said_in(lang)))
        elif path.is_file():
            found.take(path, named=True)
        elif glob.has_magic(argument):
            files = [m for m in (Path(m) for m in sorted(glob.glob(argument, recursive=True))) if m.is_file()]
            for match in files:
                found.take(match, named=False)
            if all(skip_reason(m) for m in files):
                message = text("cli.batch.no_match", said_in(lang), pattern=argument)
                found.missing.append(_failure(path, ExitCode.NO_INPUT, message, said_in(lang)))
        else:
            message = text("cli.batch.no_such_path", said_in(lang), path=argument)
            found.missing.append(_failure(path, ExitCode.NO_INPUT, message, said_in(lang)))
    return found.inputs, found.missing, found.skipped


@dataclass(slots=True)
class _Found:
    """The inputs found so far, each once, with what names nothing and what is skipped."""

    inputs: list[Path] = field(default_factory=list)
    missing: list[FileOutcome] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)

    def take(self, path: Path, named: bool) -> None:
        reason = skip_reason(path, named=named)
        if reason is not None:
            if named or path.suffix.casefold() in INPUT_SUFFIXES:  # other files of a folder go unmentioned
                self.skipped.append((path, reason))
            return
        key = path.resolve()
        if key not in self.seen:
            self.seen.add(key)
            self.inputs.append(path)


@contextlib.contextmanager
def batch_lock(folder: Path, wait: float) -> Iterator[None]:
    """Hold the exclusive lock of ``folder``, waiting up to ``wait`` seconds for another run to release it."""
    path = folder / LOCK_NAME
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise OutputExistsError("cli.folder_read_only", folder=folder) from None
    except OSError as exc:
        raise OutputExistsError("batch.lock_file", path=path, reason=exc.strerror) from None
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "?"
                    raise BatchLockedError("batch.locked", folder=folder, pid=holder, seconds=wait) from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(handle)  # releases the lock; the file stays, so waiting runs keep locking the same inode


def said_in(lang: str) -> Lang:
    """The language of a message said before any input is read: Chinese with ``--lang zh``, else English."""
    return "zh" if lang == "zh" else "en"


def check_writable_folder(folder: Path) -> None:
    """An existing ``folder`` this process cannot create files in is an :class:`OutputExistsError` (exit 73) saying
    what to do."""
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise OutputExistsError("cli.folder_read_only", folder=folder)


def output_for(input_path: Path, out_dir: Path) -> Path:
    """Where an input's graded workbook goes."""
    return out_dir / f"{input_path.stem}{OUTPUT_SUFFIX}"


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Remove the temporary files killed runs of kactier left in ``out_dir`` (any output's), when their writer is
    gone; see :func:`~kactier.report.output.remove_abandoned_temporaries`. Returns them."""
    return remove_abandoned_temporaries(out_dir)


def run_batch(arguments: Sequence[str], out_dir: Path, options: BatchOptions | None = None) -> BatchResult:
    """Grade every input of ``arguments`` into ``out_dir``; see the module docstring and :class:`BatchOptions`.

    Raises only for the batch as a whole (an unknown preset: 78; the folder is missing or cannot be written to: 73;
    the lock is held: 75; the arguments hold no workbook at all: 66); each file's problem is in its
    :class:`FileOutcome`.
    """
    options = options or BatchOptions()
    started = dt.datetime.now().astimezone()
    if options.preset is not None:
        load_preset(options.preset)  # an unknown preset stops the batch before any file is touched
    if not out_dir.is_dir():
        raise OutputExistsError("batch.no_folder", folder=out_dir)
    check_writable_folder(out_dir)
    database = options.history if options.history is not None else out_dir / DEFAULT_HISTORY_NAME
    result = BatchResult(out_dir, database, started)
    with batch_lock(out_dir, options.wait):
        remove_stale_temporaries(out_dir)
        inputs, missing, result.skipped = find_inputs(arguments, options.lang)
        if not inputs and not missing:
            raise InputError("cli.batch.nothing", arguments=" ".join(arguments))
        result.files.extend(missing)
        with no_database_left_behind(database):
            _grade_all(inputs, database, options, result)
    return result


def _grade_all(inputs: list[Path], database: Path, options: BatchOptions, result: BatchResult) -> None:
    claimed: dict[Path, Path] = {}
    for done, input_path in enumerate(inputs):
        if options.on_file is not None:
            options.on_file(done, len(inputs), input_path)
        output = output_for(input_path, result.out_dir)
        first = claimed.setdefault(output, input_path)
        if first is not input_path:
            lang = error_lang(options.lang)
            message = text("batch.same_output", lang, path=input_path, output=output, first=first)
            result.files.append(_failure(input_path, ExitCode.CANT_CREATE, message, lang))
            continue
        result.files.append(_grade_one(input_path, output, database, options))
    if options.on_file is not None:
        options.on_file(len(inputs), len(inputs), result.out_dir)


@contextlib.contextmanager
def no_database_left_behind(database: Path) -> Iterator[None]:
    """Interrupted (Ctrl-C) before any run was recorded, remove the history database the block created."""
    existed = database.exists()
    try:
        yield
    except KeyboardInterrupt:
        if not existed:
            remove_unused_history(database)
        raise


def _grade_one(input_path: Path, output: Path, database: Path, options: BatchOptions) -> FileOutcome:
    try:
        modified = dt.date.fromtimestamp(input_path.stat().st_mtime)
        run = RunOptions(
            output=output,
            config=options.config,
            preset=options.preset,
            lang=options.lang,
            force=options.force,
            strict=options.strict,
            config_file=options.config_file,
            as_of=options.as_of or modified,
            history=database,
            progress=options.on_stage,
            smaller=options.smaller,
        )
        scored = score_workbook(input_path, run)
    except KactierError as exc:
        lang = error_lang(options.lang, exc)
        return _failure(input_path, exc.exit_code, exc.message(lang), lang)
    except OSError as exc:
        lang = error_lang(options.lang)
        message = text("batch.cannot_read", lang, path=input_path, reason=exc.strerror or exc)
        return _failure(input_path, ExitCode.NO_INPUT, message, lang)
    except Exception as exc:  # a bug on one workbook must not stop the others; reported with its traceback
        return FileOutcome(
            input_path,
            None,
            ExitCode.INTERNAL,
            error=text("batch.internal", error_lang(options.lang), path=input_path, error=repr(exc)),
            lang=error_lang(options.lang),
            detail=traceback.format_exc(),
        )
    return FileOutcome(input_path, output, scored.exit_code, scored)


def _failure(path: Path, code: ExitCode, message: str, lang: Lang = "en") -> FileOutcome:
    return FileOutcome(path, None, code, error=message, lang=lang)
