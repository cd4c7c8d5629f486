"""The output workbook: the report model, data sheet, Summary, Issues, Changes, Orders and Config sheets."""
