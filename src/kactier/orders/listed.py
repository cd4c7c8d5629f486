"""At most so many issues of one kind listed one by one, the rest counted in one issue (:mod:`.columnar`)."""

from __future__ import annotations

from ..problems import Action, IssueCode, RowIssue

LISTED_PER_KIND = 100_000  # issues listed one by one per column and kind; the rest are counted in one issue


class Listed:
    """At most :data:`LISTED_PER_KIND` issues per column and kind, the rest counted: an export with 50M dates typed
    ``2024/3/5`` keeps 100,000 of its 50M readings and one issue saying how many more there are."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str | None, IssueCode], int] = {}
        self.more: dict[tuple[str | None, IssueCode], tuple[int, Action]] = {}

    def add(self, into: list[RowIssue], found: list[RowIssue]) -> None:
        """Append the issues of ``found`` to ``into`` while their kind has room; count the others."""
        for issue in found:
            kind = (issue.column, issue.code)
            kept = self.kept.get(kind, 0)
            if kept < LISTED_PER_KIND:
                self.kept[kind] = kept + 1
                into.append(issue)
            else:
                count, _ = self.more.get(kind, (0, issue.action))
                self.more[kind] = (count + 1, issue.action)

    def beyond(self) -> list[RowIssue]:
        """One issue per kind with issues not listed, saying how many."""
        return [
            RowIssue(None, column, code.value, IssueCode.MORE_LIKE_THESE, action, f"{count:,}")
            for (column, code), (count, action) in self.more.items()
        ]


def excluding(issue: RowIssue) -> RowIssue:
    return RowIssue(issue.row, issue.column, issue.value, issue.code, Action.LINE_EXCLUDED, issue.detail)
