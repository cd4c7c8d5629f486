"""The command line: options in, one call into the core, rendering out.

Errors are turned into a message and an exit code in one place, :meth:`_Group.invoke`; commands themselves have no
error handling.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from . import __version__
from .config import config_toml, load_preset, localized, preset_names, preset_text
from .errors import EXIT_CODE_HELP, ExitCode, KactierError
from .pipeline import DEFAULT_PRESET, ScoreResult, resolve_config, score_workbook
from .render import console, error_line, presets_table, score_summary
from .write import write_text_file


class _Group(TyperGroup):
    """Turns every error into one line on stderr and its exit code (the traceback only with --debug)."""

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer does not export its type
        try:
            return super().invoke(ctx)
        except KactierError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted; nothing was written", ExitCode.TEMPORARY)
        except Exception as exc:  # the one place that catches everything else
            if type(exc).__module__.startswith("typer."):
                raise  # usage errors and exits: typer reports them itself (exit 2 for usage)
            _fail(ctx, f"internal error: {exc!r}; re-run with --debug and report it", ExitCode.INTERNAL)


def _fail(ctx: Any, message: str, code: ExitCode) -> None:
    meta = ctx.meta
    if meta.get("debug"):
        traceback.print_exc(file=sys.stderr)
    if meta.get("json"):
        typer.echo(json.dumps({"error": message, "exit_code": int(code)}, ensure_ascii=False))
    error_line(console(sys.stderr), message)
    raise typer.Exit(int(code))


app = typer.Typer(
    cls=_Group,
    name="kactier",
    help="Key-account customer tiering: score, grade and explain every customer in an Excel workbook.\n\n"
    + EXIT_CODE_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100, "terminal_width": 100},
)

Lang = Literal["auto", "zh", "en"]
InputArg = Annotated[
    Path, typer.Argument(help="The customer workbook (.xlsx/.xlsm).", metavar="INPUT", show_default=False)
]
PresetOpt = Annotated[
    str | None, typer.Option("--preset", "-p", help="A shipped preset; see `kactier presets`.")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="A TOML config file (wins over --preset).")
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="The sheet to read (default: the first with a header).")
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang", help="Language of added labels and messages: auto|zh|en (auto follows the headers)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON summary object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail (exit 65) when any row cannot be graded.")]


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date for provisional marks and follow-ups, YYYY-MM-DD (default: today)."),
]


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-30", param_hint="--as-of") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kactier {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.meta["debug"] = debug


def _check_lang(lang: str) -> str:
    if lang not in ("auto", "zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of auto, zh, en", param_hint="--lang")
    return lang


@app.command()
def score(
    ctx: typer.Context,
    input: InputArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write (default: <input>.tiered.xlsx beside it)."),
    ] = None,
    preset: PresetOpt = None,
    config: ConfigOpt = None,
    sheet: SheetOpt = None,
    lang: LangOpt = "auto",
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace an existing output file.")] = False,
    strict: StrictOpt = False,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Grade the customers of INPUT and write the annotated workbook.

    Example: kactier score customers.xlsx -o graded.xlsx --preset key-account
    """
    ctx.meta["json"] = json_out
    result = score_workbook(
        input,
        output,
        config=resolve_config(config, preset),
        sheet=sheet,
        lang=_check_lang(lang),
        force=force,
        strict=strict,
        as_of=_as_of(as_of),
    )
    _show(result, json_out=json_out, quiet=quiet, wrote=True)


@app.command()
def validate(
    ctx: typer.Context,
    input: InputArg,
    preset: PresetOpt = None,
    config: ConfigOpt = None,
    sheet: SheetOpt = None,
    lang: LangOpt = "auto",
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run every check of `score` and write nothing; exit 0 when every row can be graded, 65 when not.

    Example: kactier validate customers.xlsx
    """
    ctx.meta["json"] = json_out
    result = score_workbook(
        input,
        config=resolve_config(config, preset),
        sheet=sheet,
        lang=_check_lang(lang),
        write=False,
        as_of=_as_of(as_of),
    )
    if result.rows_invalid:
        result.exit_code = ExitCode.DATA
    _show(result, json_out=json_out, quiet=quiet and not result.rows_invalid, wrote=False)
    if result.exit_code:
        raise typer.Exit(int(result.exit_code))


@app.command()
def presets() -> None:
    """List the shipped presets, one line each.

    Example: kactier presets
    """
    rows = [(name, localized(load_preset(name).description, "en")) for name in preset_names()]
    presets_table(console(sys.stdout), rows)


config_app = typer.Typer(
    help="Write a config to edit, or print the effective config.\n\nExample: kactier config init --preset rfm",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


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
    write_text_file(output, preset_text(preset or DEFAULT_PRESET), force=force)
    typer.echo(f"wrote {output}; edit it and run: kactier score INPUT --config {output}")


@config_app.command("show")
def config_show(preset: PresetOpt = None, config: ConfigOpt = None) -> None:
    """Print the effective config as TOML, defaults filled in (--config wins over --preset).

    Example: kactier config show --preset rfm
    """
    source = str(config) if config is not None else f"preset {preset or DEFAULT_PRESET}"
    typer.echo(config_toml(resolve_config(config, preset), source), nl=False)


def _show(result: ScoreResult, *, json_out: bool, quiet: bool, wrote: bool) -> None:
    if json_out:
        payload = result.as_json()
        payload["issue_list"] = [issue.as_dict(result.lang) for issue in result.issues]
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    elif not quiet:
        score_summary(console(sys.stdout), result, wrote=wrote)


def main() -> None:
    """Console-script entry point."""
    app()
