"""Config files: TOML text loaded and validated into a :class:`~.models.Config`, and a config dumped back as TOML.

``--config FILE`` and the shipped presets use the same format. Every problem becomes a :class:`ConfigError` naming
the file, the key and what is wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from ..errors import ConfigError
from .models import Config


def config_toml(config: Config, source: str) -> str:
    """The effective config as TOML, defaults filled in (``kactier config show``)."""
    data = config.model_dump(mode="json", exclude_none=True)
    tiers = data["tiers"]
    if config.tiers.method == "pareto":
        tiers["cuts"] = config.tiers.effective_cuts()
    if config.tiers.method == "quantile":
        tiers["shares"] = config.tiers.effective_shares()
    if not config.tiers.uses_value:
        tiers.pop("value", None)
    return f"# effective kactier config, from {source}\n" + tomli_w.dumps(data)


def load_config_file(path: Path) -> Config:
    """Load a TOML config file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str) -> Config:
    """Parse and validate config TOML; errors name ``source``, the key and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str) -> Config:
    """Validate a config mapping; errors name ``source``, the key and the problem."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {format_validation_error(exc)}") from None


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``key.path: message``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)
