"""Near misses: the headers of a sheet closest to a field it lacks, by rapidfuzz, for the missing column's error.

A header is compared, folded (:func:`~kactier.fields.fold_header`), with each name of the field (key, Chinese and
English labels, aliases) by :func:`rapidfuzz.fuzz.WRatio`, which weighs a name found inside a longer header
("购买力" in "购买能力指数") as well as a whole-string likeness; the best name counts. Only suggestions: a near miss
is never mapped on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from rapidfuzz import fuzz, process

from ..fields import FIELD_BY_KEY, fold_header

CLOSEST_CUTOFF = 65.0  # WRatio, 0-100: below it a header is not offered as a candidate
CLOSEST_SHOWN = 3


@cache
def _names(key: str) -> tuple[str, ...]:
    spec = FIELD_BY_KEY.get(key)
    if spec is None:
        return (fold_header(key),)
    return tuple({fold_header(n) for n in (spec.key, spec.zh, spec.en, *spec.aliases)} - {""})


def closest_headers(key: str, headers: Sequence[str]) -> list[str]:
    """The headers among ``headers`` most like a name of field ``key`` (best first, at most
    :data:`CLOSEST_SHOWN`, each scoring at least :data:`CLOSEST_CUTOFF`)."""
    names = _names(key)
    scored: list[tuple[float, int, str]] = []
    for position, header in enumerate(headers):
        folded = fold_header(header)
        if not folded:
            continue
        best = process.extractOne(folded, names, scorer=fuzz.WRatio, score_cutoff=CLOSEST_CUTOFF)
        if best is not None:
            scored.append((-best[1], position, header))
    return [header for _, _, header in sorted(scored)[:CLOSEST_SHOWN]]
