"""The Typer app and its one error handler: every error becomes one line on stderr and its exit code.

Commands themselves have no error handling; :class:`ErrorHandlingGroup` turns a :class:`~kactier.errors.KactierError`
into its message and exit code, Ctrl-C into exit 75, and anything else into exit 70 (the traceback with --debug).

The message is in the run's language (:func:`~kactier.errors.error_lang`): the command's ``--lang zh|en``; else the
language of the input's headers when the run got that far; else the locale's (LC_ALL, LC_MESSAGES, LANG); else
English. The prefix is translated too ("kactier：错误："): a Chinese user reads one language, and the line still
starts with "kactier" for whoever greps a log; scripts should rely on the exit code or ``--json`` anyway.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import EXIT_CODE_HELP, ExitCode, KactierError, error_lang
from ..i18n import Lang, text
from ..version import __version__
from .render import console, error_line


class ErrorHandlingGroup(TyperGroup):
    """Turns every error into one line on stderr and its exit code (the traceback only with --debug)."""

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer does not export its type
        # the command's own arguments, read before typer parses them: a usage error must honour --json too
        arguments = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except KactierError as exc:
            lang = error_lang(_requested_lang(ctx, arguments), exc)
            _fail(ctx, exc.message(lang), exc.exit_code, lang)
        except KeyboardInterrupt:
            lang = error_lang(_requested_lang(ctx, arguments))
            _fail(ctx, text("error.interrupted", lang), ExitCode.TEMPORARY, lang)
        except Exception as exc:  # the one place that catches everything else
            if type(exc).__module__.startswith("typer."):
                if _usage_error(exc) and "--json" in arguments[: _end_of_options(arguments)]:
                    message = exc.format_message()  # type: ignore[attr-defined]
                    payload = {"error": message, "exit_code": int(ExitCode.USAGE)}
                    typer.echo(json.dumps(payload, ensure_ascii=False))
                raise  # usage errors and exits: typer reports them itself (exit 2 for usage)
            lang = error_lang(_requested_lang(ctx, arguments))
            _fail(ctx, text("error.internal", lang, error=repr(exc)), ExitCode.INTERNAL, lang)


def _requested_lang(ctx: Any, arguments: list[str]) -> str | None:
    """The ``--lang`` the command was given (None without one): its arguments parsed again as click parses them,
    leniently, into the command's params. The command's own context is gone once its error reached here."""
    try:
        command, context, rest = ctx.command, ctx, list(arguments)
        while isinstance(command, TyperGroup) and rest:
            name, command, rest = command.resolve_command(context, rest)
            if command is None:
                return None
            context = command.make_context(name, rest, parent=context, resilient_parsing=True)
            rest = [*getattr(context, "_protected_args", []), *context.args]
        value = context.params.get("lang")
    except Exception:  # a command line click cannot parse: it has no --lang to honour
        return None
    return value if isinstance(value, str) else None


def _usage_error(exc: Exception) -> bool:
    """A typer (click) usage error: it carries exit code 2 and a message."""
    return isinstance(exc, typer.TyperException) and getattr(exc, "exit_code", None) == ExitCode.USAGE


def _end_of_options(arguments: list[str]) -> int:
    return arguments.index("--") if "--" in arguments else len(arguments)


def _fail(ctx: Any, message: str, code: ExitCode, lang: Lang) -> None:
    meta = ctx.meta
    if meta.get("debug"):
        traceback.print_exc(file=sys.stderr)
    if meta.get("json"):
        typer.echo(json.dumps({"error": message, "exit_code": int(code)}, ensure_ascii=False))
    error_line(console(sys.stderr), message, lang)
    raise typer.Exit(int(code))


app = typer.Typer(
    cls=ErrorHandlingGroup,
    name="kactier",
    help="Key-account customer tiering: score, grade and explain every customer in an Excel workbook.\n\n"
    + EXIT_CODE_HELP,
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100, "terminal_width": 100, "help_option_names": ["-h", "--help"]},
)


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


config_app = typer.Typer(
    help="Write a config to edit, or print the effective config.\n\nExample: kactier config init --preset rfm",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")
