"""The shipped presets: plain commented TOML files in ``templates/`` (the ``kactier.presets`` package data)."""

from __future__ import annotations

from importlib import resources

from ..errors import ConfigError
from .files import parse_config
from .models import Config


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    folder = resources.files("kactier.presets")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_text(name: str) -> str:
    """The TOML text of a shipped preset."""
    if name not in preset_names():
        raise ConfigError(
            f"unknown preset {name!r}; available: {', '.join(preset_names())} (see `kactier presets`)"
        )
    return (resources.files("kactier.presets") / f"{name}.toml").read_text(encoding="utf-8")


def load_preset(name: str) -> Config:
    """Load a shipped preset by name."""
    return parse_config(preset_text(name), source=f"preset {name}")
