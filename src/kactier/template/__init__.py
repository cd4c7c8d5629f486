"""Template workbooks to hand out: validated input columns, instructions and the Config sheet."""
