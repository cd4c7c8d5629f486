"""Configs, presets and the config commands (SPEC §4–§5)."""

import tomllib
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kactier.cli import app
from kactier.config.files import config_toml, parse_config
from kactier.config.models import Config
from kactier.config.presets import load_preset, preset_names, preset_text
from kactier.errors import ConfigError, ExitCode
from kactier.pipeline.options import RunOptions
from kactier.pipeline.run import score_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PRESETS = ("key-account", "sales-abc", "sales-profit-payment", "rfm", "rfm-segments", "entropy-topsis", "clv")
runner = CliRunner()


def test_presets_ship_as_plain_commented_toml_files() -> None:
    assert set(preset_names()) == set(PRESETS)
    for name in PRESETS:
        text = (ROOT / "templates" / f"{name}.toml").read_text(encoding="utf-8")
        assert text == preset_text(name)
        assert text.startswith("# kactier preset: " + name)
        assert load_preset(name).name == name


@pytest.mark.parametrize("preset", [p for p in PRESETS if p != "clv"])  # clv's 预测价值 comes from --orders
@pytest.mark.parametrize("example", ["key_accounts_zh.xlsx", "key_accounts_en.xlsx"])
def test_every_preset_runs_on_the_examples(tmp_path: Path, preset: str, example: str) -> None:
    result = score_workbook(
        EXAMPLES / example, RunOptions(output=tmp_path / "out.xlsx", config=load_preset(preset))
    )
    assert result.rows_scored >= 59
    assert sum(result.tier_counts.values()) == result.rows_scored
    assert all(n > 0 for n in result.tier_counts.values())
    assert sum(result.weights.values()) == pytest.approx(1.0)
    assert (tmp_path / "out.xlsx").is_file()


def test_sales_abc_tiers_meet_the_pareto_cuts(tmp_path: Path) -> None:
    score_workbook(
        EXAMPLES / "key_accounts_en.xlsx",
        RunOptions(output=tmp_path / "out.xlsx", config=load_preset("sales-abc")),
    )
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["Customers"]
    header = [c.value for c in sheet[1]]
    sales, tier = header.index("Annual Sales"), header.index("Tier")
    rows = [(r[sales], r[tier]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    total = sum(s for s, _ in rows)
    a_share = sum(s for s, t in rows if t == "A") / total
    smallest_a = min(s for s, t in rows if t == "A")
    assert a_share >= 0.80
    assert (
        a_share - smallest_a / total < 0.80
    )  # the smallest such set: without its last member A is below 80%
    assert max(s for s, t in rows if t == "B") <= smallest_a


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("name = 'x'\n[tiers]\nlevels = []", "criteria"),
        (
            "[[criteria]]\nfield = 'orders'\nwieght = 2\n[tiers]\nlevels = [{label='A', min_score=1}, {label='B'}]",
            "criterion 1 has an unknown key 'wieght' (did you mean 'weight'?)",
        ),
        (
            "[[criteria]]\nfield = 'orders'\ndirection = 'up'\n[tiers]\nlevels = [{label='A', min_score=1}, {label='B'}]",
            "criterion 1: 'direction' must be one of 'higher', 'lower', not 'up'",
        ),
        (
            "[[criteria]]\nfield = 'orders'\n[tiers]\nlevels = [{label='A', min_score=50}, {label='B', min_score=60}, "
            "{label='C'}]",
            "min_score must decrease",
        ),
        (
            "[[criteria]]\nfield = 'orders'\n[tiers]\nlevels = [{label='A', min_score=1, color='green'}, {label='B'}]",
            "tier 1: 'color': colour must be written #RRGGBB, got 'green'",
        ),
        (
            "[[criteria]]\nfield = 'orders'\nweight = 0\n[tiers]\nlevels = [{label='A', min_score=1}, {label='B'}]",
            "must not all be zero",
        ),
        (
            "[[criteria]]\nfield = 'orders'\n[tiers]\nmethod = 'pareto'\ncuts = [0.95, 0.8]\n"
            "levels = [{label='A'}, {label='B'}, {label='C'}]",
            "cuts must increase",
        ),
        (
            "weights = 'ahp'\n[[criteria]]\nfield = 'orders'\n[[criteria]]\nfield = 'annual_sales'\n"
            "[tiers]\nlevels = [{label='A', min_score=1}, {label='B'}]",
            "needs an [ahp] table",
        ),
    ],
)
def test_config_errors_name_the_key(toml: str, key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(toml, "my.toml")
    assert str(raised.value).startswith("my.toml: ")
    assert key in str(raised.value)


CONSISTENT = '[[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]]'
INCONSISTENT = '[[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]'  # a > b > c > a: a cycle, CR far above 0.10
CRITERIA = """
[[criteria]]
field = "annual_sales"
normalize = "log-minmax"
[[criteria]]
field = "gross_profit"
normalize = "log-minmax"
[[criteria]]
field = "orders"
normalize = "minmax"
[tiers]
levels = [{label = "A", min_score = 60}, {label = "B"}]
"""


def config_text(weights: str, matrix: str = CONSISTENT, extra: str = "") -> str:
    ahp = f"[ahp]\nmatrix = {matrix}\n{extra}" if weights == "ahp" else ""
    return f'weights = "{weights}"\n{ahp}{CRITERIA}'


def test_ahp_accepts_fractions_and_rejects_inconsistency_unless_allowed() -> None:
    config = parse_config(config_text("ahp"), "ahp.toml")
    assert config.ahp is not None
    assert config.ahp.matrix[1][0] == 1 / 3
    with pytest.raises(ConfigError, match=r"^ahp\.toml: .*consistency ratio .* >= 0.1.*allow_inconsistent"):
        parse_config(config_text("ahp", INCONSISTENT), "ahp.toml")
    allowed = parse_config(config_text("ahp", INCONSISTENT, "allow_inconsistent = true\n"), "ahp.toml")
    assert allowed.ahp is not None


@pytest.mark.parametrize("method", ["entropy", "critic", "ahp"])
def test_computed_weights_are_used_and_shown(tmp_path: Path, method: str) -> None:
    config = parse_config(config_text(method), "c.toml")
    result = score_workbook(
        EXAMPLES / "key_accounts_zh.xlsx", RunOptions(output=tmp_path / "o.xlsx", config=config)
    )
    weights = list(result.weights.values())
    assert sum(weights) == pytest.approx(1.0)
    assert len(set(round(w, 6) for w in weights)) == 3  # not equal weights: computed
    config_sheet = openpyxl.load_workbook(tmp_path / "o.xlsx")["配置"]
    cells = [c for row in config_sheet.iter_rows(values_only=True) for c in row]
    assert method in cells
    for weight in weights:
        assert any(isinstance(c, float) and c == pytest.approx(weight) for c in cells)


def test_config_show_prints_the_effective_config_which_loads_back() -> None:
    result = runner.invoke(app, ["config", "show", "--preset", "sales-abc"])
    assert result.exit_code == ExitCode.OK
    data = tomllib.loads(result.stdout)
    assert data["tiers"]["cuts"] == [0.8, 0.95]
    assert Config.model_validate(data) == load_preset("sales-abc")
    assert config_toml(load_preset("rfm"), "x").startswith("# effective kactier config, from x")


def test_config_show_of_a_file_and_a_broken_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(preset_text("rfm"), encoding="utf-8")
    assert runner.invoke(app, ["config", "show", "--config", str(good)]).exit_code == ExitCode.OK
    bad = tmp_path / "bad.toml"
    bad.write_text(preset_text("rfm").replace('direction = "lower"', 'direction = "down"'), encoding="utf-8")
    result = runner.invoke(app, ["config", "show", "--config", str(bad)])
    assert result.exit_code == ExitCode.CONFIG
    assert "bad.toml" in result.output
    assert "criterion 1: 'direction' must be one of 'higher', 'lower', not 'down'" in result.output
    assert "Traceback" not in result.output


def test_config_init_writes_a_commented_copy_and_keeps_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    result = runner.invoke(app, ["config", "init", "--preset", "sales-abc", "-o", str(target)])
    assert result.exit_code == ExitCode.OK
    assert target.read_text(encoding="utf-8") == preset_text("sales-abc")
    target.write_text("# edited", encoding="utf-8")
    again = runner.invoke(app, ["config", "init", "-o", str(target)])
    assert again.exit_code == ExitCode.CANT_CREATE
    assert target.read_text(encoding="utf-8") == "# edited"


def test_score_with_a_broken_config_exits_78_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        preset_text("key-account").replace("min_score = 85", "min_score = 'high'"), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "score",
            str(EXAMPLES / "key_accounts_en.xlsx"),
            "-o",
            str(tmp_path / "o.xlsx"),
            "--config",
            str(bad),
        ],
    )
    assert result.exit_code == ExitCode.CONFIG
    assert "tier 1: 'min_score' must be a number, not 'high'" in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_presets_lists_each_preset_on_one_line() -> None:
    result = runner.invoke(app, ["presets"])
    assert result.exit_code == ExitCode.OK
    lines = result.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == sorted(PRESETS)
