"""A run pauses the cyclic collector while it reads, then keeps what it read out of the collector's walks."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kactier.pipeline import run
from kactier.pipeline.collector import read_then_frozen
from kactier.pipeline.inputs import read_input
from kactier.pipeline.options import RunOptions


def test_the_collector_is_paused_until_the_read_settles_and_the_freeze_ends_with_the_block() -> None:
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    with read_then_frozen() as settle:
        assert not gc.isenabled()
        rows = [[i, str(i)] for i in range(1000)]
        settle()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(rows)
        settle()  # once only
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_before_is_left_alone_and_an_error_still_restores_the_collector() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with pytest.raises(ValueError, match="the read failed"), read_then_frozen():
            raise ValueError("the read failed")
        assert gc.isenabled()
        assert 0 < gc.get_freeze_count() <= before  # not undone, nothing added (a frozen object may be freed)
    finally:
        gc.unfreeze()


def test_a_run_reads_with_the_collector_paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return read_input(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("kactier.pipeline.run.read_input", watched)
    example = Path(__file__).parents[1] / "examples" / "key_accounts_zh.xlsx"
    run.score_workbook(example, RunOptions(output=tmp_path / "out.xlsx"))
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
