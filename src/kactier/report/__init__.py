"""The output workbook: the report model, data sheet, Summary, Issues, Changes, Orders and Config sheets, the bulk row
writer (the one module using XlsxWriter internals) and atomic file output."""
