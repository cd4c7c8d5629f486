"""The early warning of a graded run (流失预警): P(alive) from the table, the last two runs from the trend."""

from __future__ import annotations

import numpy as np

from ..history.changes import GradedRows
from ..history.trends import Trend
from ..tiering.at_risk import P_ALIVE_BELOW, AtRisk, at_risk


def early_warning(graded: GradedRows, trend: Trend | None, below: float = P_ALIVE_BELOW) -> AtRisk | None:
    """The early warning of ``graded`` (see :mod:`kactier.tiering.at_risk`; P(alive) ``below`` this triggers it),
    or None when nothing can trigger one: the table has no P(alive) (``p_alive``) and fewer than two past runs are
    recorded."""
    frame = graded.table.frame
    two_runs = trend is not None and len(trend.points) >= 3
    if "p_alive" not in frame and not two_runs:
        return None
    p_alive = frame["p_alive"].to_numpy(dtype=float, na_value=np.nan) if "p_alive" in frame else None
    tier = graded.grades.tier
    recent = None
    if trend is not None and two_runs:
        now = [
            s if t >= 0 else None for s, t in zip(graded.scores.score.tolist(), tier.tolist(), strict=True)
        ]
        recent = trend.recent_scores(frame["customer_id"].tolist(), now, 3)
    return at_risk(np.asarray(tier), p_alive, recent, below)
