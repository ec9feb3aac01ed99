"""Files at the edge: count tables, the sample sheet, miRBase names, result tables.
Readers check what they read and raise :class:`mirflow.errors.InputError` naming the
file, row and column."""
