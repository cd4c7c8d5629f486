"""``--stability [N]`` and ``--json-rows``: the options of ``score`` and ``validate`` for tier stability and the
per-customer detail of ``--json``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..tiering.stability import DEFAULT_DRAWS, MAX_DRAWS

STABILITY = "--stability"

StabilityOpt = Annotated[
    int | None,
    typer.Option(
        STABILITY,
        metavar="[N]",
        min=1,
        max=MAX_DRAWS,
        help=f"Add 级别稳定度 / Tier stability: the share of N weight vectors (default {DEFAULT_DRAWS:,}; each "
        "weight × U(0.8, 1.2), seeded) under which each customer keeps its tier; under 0.8 is marked 临界 / "
        "borderline, and the Summary lists them per tier.",
        show_default=False,
    ),
]
JsonRowsOpt = Annotated[
    bool,
    typer.Option(
        "--json-rows",
        help="With --json: list every customer (row, id, tier, score, Why, points to next tier, best lever and, "
        "with --stability, the tier stability).",
    ),
]


def stability_asked(args: list[str]) -> list[str]:
    """``args`` with the default number of draws after a ``--stability`` that is not followed by a number."""
    given = list(args)
    end = given.index("--") if "--" in given else len(given)
    for at in range(end - 1, -1, -1):
        if given[at] == STABILITY and (at + 1 == end or not given[at + 1].isdigit()):
            given.insert(at + 1, str(DEFAULT_DRAWS))
    return given
