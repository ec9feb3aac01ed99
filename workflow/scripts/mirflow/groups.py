"""The two analysed groups' internal labels (the sheet's own values are mapped to these)."""

CASE, CONTROL = "case", "control"
