"""Reporting (SPEC stage 8): the guidelines' items, the participant flow and the checklist."""
