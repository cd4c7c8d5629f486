"""kactier: key-account customer tiering (大客户分级管理 / 客户ABC分类).

Python API: :func:`score_workbook` runs the whole job; :func:`load_preset` and :func:`load_config_file` give
configs; the steps are :func:`read_customer_sheet` → :func:`validate_rows` → :func:`score_customers` →
:func:`grade_customers` → :func:`write_report`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kactier")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .config import Config, load_config_file, load_preset, preset_names
from .errors import ExitCode, KactierError
from .grading import grade_customers
from .pipeline import ScoreResult, score_workbook
from .problems import IssueCode, RowIssue
from .read import read_customer_sheet
from .scoring import score_customers
from .validate import validate_rows
from .write import write_report

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
