"""kactier: key-account customer tiering (大客户分级管理 / 客户ABC分类).

The Python API, for notebooks and scripts:

- :func:`grade` grades a pandas DataFrame whose columns are named as a workbook's headers would be;
  :func:`score_workbook` (:func:`validate_workbook`) runs ``kactier score`` (``validate``) on a workbook
  (:func:`score_workbooks`, :func:`validate_workbooks`: several graded as one list), with
  :class:`RunOptions`; :func:`run_batch` re-rates many workbooks; :func:`split_workbook` (:class:`SplitOptions`)
  hands a graded workbook back as one workbook per owner.
- Configs: :func:`load_preset`, :func:`load_config_file`, :func:`parse_config`, :func:`preset_names`,
  :class:`Config`.
- The steps: :func:`read_customer_sheet` → :func:`validate_rows` → :func:`score_customers` →
  :func:`grade_customers` → :func:`write_report`; from order lines, :func:`read_order_sheet` and
  :func:`aggregate_orders`.
- The methods, as plain functions on arrays: :func:`manual_weights`, :func:`entropy_weights`,
  :func:`critic_weights`, :func:`ahp_weights`, :func:`threshold_tiers`, :func:`pareto_tiers`,
  :func:`quantile_tiers`, :func:`computed_abc_tiers`, :func:`competition_rank`, :func:`percentile`.
- Results and problems: :class:`ScoreResult`, :class:`Graded`, :class:`RowIssue`, :class:`IssueCode`,
  :class:`Action`, :class:`ExitCode` and every error class (:class:`KactierError` and its subclasses).
"""

from .config.files import load_config_file, parse_config
from .config.models import Config
from .config.presets import load_preset, preset_names
from .errors import (
    BatchLockedError,
    ConfigError,
    DataError,
    ExitCode,
    HistoryBusyError,
    HistoryError,
    InputChangedError,
    InputError,
    KactierError,
    OutputExistsError,
    OutputIOError,
    TieringError,
    WeightError,
    WorkbookError,
)
from .orders.aggregate import aggregate_orders
from .orders.book import read_order_sheet
from .pipeline.batch import BatchOptions, BatchResult, run_batch
from .pipeline.frame import Graded, grade
from .pipeline.options import RunOptions
from .pipeline.result import ScoreResult
from .pipeline.run import score_workbook, score_workbooks, validate_workbook, validate_workbooks
from .pipeline.split import SplitOptions, SplitResult, split_workbook
from .problems import Action, IssueCode, RowIssue
from .read.workbook import read_customer_sheet
from .report.workbook import write_report
from .scoring.engine import score_customers
from .scoring.rank import competition_rank, percentile
from .scoring.weights import ahp_weights, critic_weights, entropy_weights, manual_weights
from .tiering.computed_abc import computed_abc_tiers
from .tiering.grade import grade_customers
from .tiering.methods import pareto_tiers, quantile_tiers, threshold_tiers
from .validate.rows import validate_rows
from .version import __version__

__all__ = [
    "Action",
    "BatchLockedError",
    "BatchOptions",
    "BatchResult",
    "Config",
    "ConfigError",
    "DataError",
    "ExitCode",
    "Graded",
    "HistoryBusyError",
    "HistoryError",
    "InputChangedError",
    "InputError",
    "IssueCode",
    "KactierError",
    "OutputExistsError",
    "OutputIOError",
    "RowIssue",
    "RunOptions",
    "ScoreResult",
    "SplitOptions",
    "SplitResult",
    "TieringError",
    "WeightError",
    "WorkbookError",
    "__version__",
    "aggregate_orders",
    "ahp_weights",
    "competition_rank",
    "computed_abc_tiers",
    "critic_weights",
    "entropy_weights",
    "grade",
    "grade_customers",
    "load_config_file",
    "load_preset",
    "manual_weights",
    "pareto_tiers",
    "parse_config",
    "percentile",
    "preset_names",
    "quantile_tiers",
    "read_customer_sheet",
    "read_order_sheet",
    "run_batch",
    "score_customers",
    "score_workbook",
    "score_workbooks",
    "split_workbook",
    "threshold_tiers",
    "validate_rows",
    "validate_workbook",
    "validate_workbooks",
    "write_report",
]
