"""What a run did: counts, tiers, problems, where the output went, and the ``--json`` summary object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.models import Config
from ..errors import ExitCode
from ..history.changes import TierChanges
from ..i18n import Lang
from ..orders.book import OrderBook
from ..problems import RowIssue
from ..report.order_kpis import OrderKpis
from ..validate.mapping import HeaderMapping


@dataclass(frozen=True, slots=True)
class OrdersOutcome:
    """An ``--orders`` run: the order lines as read and reconciled, and the KPIs of the graded customers."""

    book: OrderBook
    kpis: OrderKpis
    tier_labels: tuple[str, ...]

    @property
    def lines_invalid(self) -> int:
        """Order lines that cannot be counted."""
        return self.book.counts.invalid

    def as_json(self) -> dict[str, Any]:
        """The ``orders`` object of ``--json``."""
        return {**self.book.as_json(), "kpis": self.kpis.as_json(list(self.tier_labels))}


@dataclass(slots=True)
class ScoreResult:
    """What a run did: counts, tiers, problems and where the output went.

    ``notes`` are what the run assumed or decided (the config's source, the weights found, the order window...), in
    the order they arose; ``changes`` is set when the output was written against a history database.
    """

    input: Path
    output: Path | None
    sha256: str
    sheet: str
    header_row: int
    lang: Lang
    config: Config
    rows_read: int
    rows_scored: int
    rows_invalid: int
    rows_skipped: int
    tier_counts: dict[str, int]
    weights: dict[str, float]
    issues: list[RowIssue]
    provisional: int = 0
    overridden: int = 0
    notes: list[str] = field(default_factory=list)
    config_source: str = ""  # where the config came from: a --config file, the Config sheet or a preset
    exit_code: ExitCode = ExitCode.OK
    changes: TierChanges | None = None  # against the previous run in the history database
    history_run: int | None = None  # the id this run was recorded under
    orders: OrdersOutcome | None = None
    mappings: list[HeaderMapping] = field(default_factory=list)  # header as written -> field, how matched
    inputs: list[Path] = field(default_factory=list)  # several inputs graded together: each (else empty)
    # --json's stability, and with --json-rows every customer's explanation
    explained: dict[str, Any] = field(default_factory=dict)

    @property
    def lines_invalid(self) -> int:
        """``--orders``: order lines that cannot be counted (0 without ``--orders``)."""
        return self.orders.lines_invalid if self.orders is not None else 0

    @property
    def warnings(self) -> list[str]:
        """The header row used, then the notes: the ``warnings`` list of ``--json``."""
        return [f"header row {self.header_row} of sheet {self.sheet!r}", *self.notes]

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` summary object."""
        return {
            "input": str(self.input),
            **({"inputs": [str(path) for path in self.inputs]} if self.inputs else {}),
            "output": str(self.output) if self.output else None,
            "sha256": self.sha256,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "config": self.config.name,
            "rows": {
                "read": self.rows_read,
                "scored": self.rows_scored,
                "invalid": self.rows_invalid,
                "skipped": self.rows_skipped,
            },
            "tier_counts": self.tier_counts,
            "provisional": self.provisional,
            "overridden": self.overridden,
            "weights": self.weights,
            "issues": len(self.issues),
            "exit_code": int(self.exit_code),
            "warnings": self.warnings,
            "config_source": self.config_source,
            "changes": self.changes.as_json() if self.changes is not None else None,
            "history_run": self.history_run,
            "orders": self.orders.as_json() if self.orders is not None else None,
            "mappings": [m.as_json() for m in self.mappings],
            **self.explained,
        }
