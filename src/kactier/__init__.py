"""kactier: key-account customer tiering (大客户分级管理 / 客户ABC分类).

Python API: :func:`score_workbook` runs the whole job; :func:`load_preset` and :func:`load_config_file` give
configs; the steps are :func:`read_customer_sheet` → :func:`validate_rows` → :func:`score_customers` →
:func:`grade_customers` → :func:`write_report`.
"""

from .config.models import Config, load_config_file, load_preset, preset_names
from .errors import ExitCode, KactierError
from .pipeline.run import ScoreResult, score_workbook
from .problems import IssueCode, RowIssue
from .read.workbook import read_customer_sheet
from .report.workbook import write_report
from .scoring.engine import score_customers
from .tiering.grade import grade_customers
from .validate.rows import validate_rows
from .version import __version__

__all__ = [
    "Config",
    "ExitCode",
    "IssueCode",
    "KactierError",
    "RowIssue",
    "ScoreResult",
    "__version__",
    "grade_customers",
    "load_config_file",
    "load_preset",
    "preset_names",
    "read_customer_sheet",
    "score_customers",
    "score_workbook",
    "validate_rows",
    "write_report",
]
