"""Pure statistics: arrays and frames (and settings values) in, tables or result
objects out; no files, no config. Each module is tested against its R reference."""
