"""The texts of the config sheet, in Chinese and English."""

CONFIG_SHEET: dict[str, tuple[str, str]] = {}
