"""The texts of the template, in Chinese and English."""

TEMPLATE: dict[str, tuple[str, str]] = {}
