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

from .config import Config, load_config_file, load_preset, preset_names  # noqa: E402
from .errors import ExitCode, KactierError  # noqa: E402
from .grading import grade_customers  # noqa: E402
from .pipeline import ScoreResult, score_workbook  # noqa: E402
from .problems import IssueCode, RowIssue  # noqa: E402
from .read import read_customer_sheet  # noqa: E402
from .scoring import score_customers  # noqa: E402
from .validate import validate_rows  # noqa: E402
from .write import write_report  # noqa: E402

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
