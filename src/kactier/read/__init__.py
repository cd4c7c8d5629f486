"""Reading: the file's format by content, zip and sheet safety checks, the xlsx/csv/legacy/encrypted readers and the header row."""
