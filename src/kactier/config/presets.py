"""The shipped presets: plain commented TOML files in ``templates/`` (the ``kactier.presets`` package data).

A preset name is matched without regard to case (``Key-Account`` is ``key-account``); an unknown name is a
:class:`~kactier.errors.ConfigError` that suggests the nearest shipped name.
"""

from __future__ import annotations

from importlib import resources

from rapidfuzz import fuzz, process

from ..errors import ConfigError
from .files import parse_config
from .models import Config

_NEAR_ENOUGH = 60  # rapidfuzz WRatio: below this a name is not offered as "did you mean"


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    folder = resources.files("kactier.presets")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def find_preset(name: str) -> str | None:
    """The shipped preset ``name`` means (case, spaces and underscores aside), or None."""
    wanted = name.strip().casefold().replace("_", "-").replace(" ", "-")
    return next((known for known in preset_names() if known.casefold() == wanted), None)


def nearest_preset(name: str) -> str | None:
    """The shipped preset name closest to ``name``, when one is close enough to suggest."""
    wanted = name.casefold()
    near = process.extract(wanted, preset_names(), scorer=fuzz.WRatio, score_cutoff=_NEAR_ENOUGH, limit=None)
    # WRatio finds the names close enough; the whole-name ratio picks among them, so that "rfn" is rfm, not the
    # longer rfm-segments that merely contains a close part
    return max(near, key=lambda found: (fuzz.ratio(wanted, found[0]), found[1]))[0] if near else None


def unknown_preset_error(name: str) -> ConfigError:
    """The error for a preset name that names no shipped preset, suggesting the nearest."""
    names = ", ".join(preset_names())
    suggestion = nearest_preset(name)
    if suggestion is None:
        return ConfigError("cli.preset_unknown", name=name, names=names)
    return ConfigError("cli.preset_unknown_near", name=name, names=names, suggestion=suggestion)


def preset_name(name: str) -> str:
    """The shipped preset's own name for ``name``; an unknown name is a :class:`ConfigError` with a suggestion."""
    found = find_preset(name)
    if found is None:
        raise unknown_preset_error(name)
    return found


def preset_text(name: str) -> str:
    """The TOML text of a shipped preset."""
    found = preset_name(name)
    return (resources.files("kactier.presets") / f"{found}.toml").read_text(encoding="utf-8")


def load_preset(name: str) -> Config:
    """Load a shipped preset by name (case-insensitive)."""
    return parse_config(preset_text(name), source=f"preset {preset_name(name)}")
