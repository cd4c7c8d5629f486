"""The config's rules in words, for the Instructions: what puts a customer in each tier, and how the score and
the tiers are computed.
"""

from __future__ import annotations

from ..config.models import Config, Criterion
from ..i18n import Lang, text
from .columns import field_label


def tier_condition(config: Config, index: int, lang: Lang) -> str:
    """What puts a customer in tier ``index``, in words."""
    tiers = config.tiers
    last = index == len(tiers.levels) - 1
    value = field_label(tiers.value, lang)
    if tiers.method == "thresholds":
        if last:
            return text("tpl.cond.below", lang, previous=tiers.levels[index - 1].min_score)
        return text("tpl.cond.at_least", lang, minimum=tiers.levels[index].min_score)
    if tiers.method == "pareto":
        cuts = tiers.effective_cuts()
        if last:
            return text("tpl.cond.rest", lang)
        if index == 0:
            return text("tpl.cond.pareto_top", lang, value=value, cut=cuts[0])
        return text("tpl.cond.pareto_band", lang, value=value, low=cuts[index - 1], high=cuts[index])
    if tiers.method == "quantile":
        shares = tiers.effective_shares()
        if last:
            return text("tpl.cond.rest", lang)
        if index == 0:
            return text("tpl.cond.quantile_top", lang, share=shares[0])
        return text("tpl.cond.quantile_next", lang, share=shares[index])
    return text("tpl.cond.computed_abc", lang, value=value)


def method_lines(config: Config, lang: Lang) -> list[str]:
    """How the score and the tiers are computed, one line each (the Instructions' fourth section)."""
    lines: list[str] = []
    if config.weights == "manual":
        total = sum(c.weight for c in config.criteria)
        lines.append(text("tpl.method.manual", lang))
        for criterion in config.criteria:
            lines.append("  · " + criterion_line(criterion, criterion.weight / total, lang))
    else:
        method = text(f"tpl.weights.{config.weights}", lang)
        lines.append(text("tpl.method.computed", lang, method=method))
        for criterion in config.criteria:
            lines.append("  · " + criterion_line(criterion, None, lang))
    if config.aggregation != "weighted-sum":
        lines.append(text(f"tpl.aggregation.{config.aggregation}", lang))
    lines.append(text("tpl.method.decimals", lang, decimals=config.score_decimals))
    tiers = config.tiers
    lines.append(text(f"tpl.tiers.{tiers.method}", lang, value=field_label(tiers.value, lang)))
    if tiers.provisional_months > 0:
        lines.append(text("tpl.method.provisional", lang, months=tiers.provisional_months))
    lines.append(text("tpl.method.override", lang))
    return lines


def criterion_line(criterion: Criterion, weight: float | None, lang: Lang) -> str:
    """One criterion in words: its name, weight (when fixed), direction, normalisation and missing values."""
    name = criterion.display(lang)
    parts = [] if weight is None else [text("tpl.criterion.weight", lang, weight=weight)]
    parts.append(text(f"tpl.direction.{criterion.direction}", lang))
    parts.append(text(f"tpl.normalize.{criterion.normalize}", lang))
    parts.append(text(f"tpl.missing.{criterion.missing}", lang))
    separator = text("tpl.criterion.separator", lang)
    return f"{name}{text('tpl.criterion.colon', lang)}{separator.join(parts)}"
