"""The config: pydantic models, presets, precedence, and the Config sheet that travels inside a workbook."""
