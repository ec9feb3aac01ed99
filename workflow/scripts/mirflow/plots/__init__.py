"""Figures drawn from the tables (and values) they are given; they never fit a model."""
