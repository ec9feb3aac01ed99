"""Stage analyses: compose the statistics into the tables a stage reports (frames in,
frames out; no files)."""
