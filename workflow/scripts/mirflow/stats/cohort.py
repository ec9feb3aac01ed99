"""The cohort characteristics table (the seed's Table 3)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mirflow.groups import CASE, CONTROL
from mirflow.stats.design import is_continuous
from mirflow.stats.group_tests import contingency_test, mann_whitney_p

COLUMNS = ["variable", "level", "control", "case", "overall", "p_value", "test"]


def _median_range(values: pd.Series) -> str:
    values = pd.to_numeric(values).dropna()
    if values.empty:
        return "-"
    return f"{values.median():.1f} ({values.min():.1f}-{values.max():.1f})"


def _missing_rows(name: str, missing: dict[str, int]) -> list[dict]:
    """A 'missing' row with the count per group, when any value is missing."""
    if not sum(missing.values()):
        return []
    return [
        {
            "variable": name,
            "level": "missing",
            CONTROL: str(missing[CONTROL]),
            CASE: str(missing[CASE]),
            "overall": str(sum(missing.values())),
            "p_value": np.nan,
            "test": "",
        }
    ]


def _continuous_rows(name: str, values: pd.Series, labels: pd.Series) -> list[dict]:
    groups = {g: pd.to_numeric(values[labels == g]) for g in (CONTROL, CASE)}
    p = mann_whitney_p(groups[CASE].to_numpy(), groups[CONTROL].to_numpy())
    rows = [
        {
            "variable": name,
            "level": "median (range)",
            CONTROL: _median_range(groups[CONTROL]),
            CASE: _median_range(groups[CASE]),
            "overall": _median_range(pd.to_numeric(values)),
            "p_value": p,
            "test": "Wilcoxon-Mann-Whitney" if np.isfinite(p) else "-",
        }
    ]
    missing = {g: int(v.isna().sum()) for g, v in groups.items()}
    return rows + _missing_rows(name, missing)


def _categorical_rows(name: str, values: pd.Series, labels: pd.Series) -> list[dict]:
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.notna().eq(values.notna()).all() and (numbers.dropna() % 1 == 0).all()
    text = (numbers.astype("Int64") if whole else values).astype("string")
    levels = sorted(text.dropna().unique())
    counts = pd.DataFrame(
        {g: [int((text[labels == g] == lv).sum()) for lv in levels] for g in (CONTROL, CASE)}, index=levels
    )
    p, test = contingency_test(counts)
    totals = counts.sum()
    rows = []
    for i, level in enumerate(levels):
        row = {"variable": name, "level": level}
        for group in (CONTROL, CASE):
            n = counts.at[level, group]
            row[group] = f"{n} ({100 * n / totals[group]:.1f})" if totals[group] else "-"
        overall = counts.loc[level].sum()
        row["overall"] = f"{overall} ({100 * overall / totals.sum():.1f})"
        row["p_value"], row["test"] = (p, test) if i == 0 else (np.nan, "")
        rows.append(row)
    missing = {g: int(text[labels == g].isna().sum()) for g in (CONTROL, CASE)}
    return rows + _missing_rows(name, missing)


def characteristics(sheet: pd.DataFrame, labels: pd.Series, variables: Sequence[str]) -> pd.DataFrame:
    """Per group and overall: N, median (range) of numeric columns with the
    Wilcoxon-Mann-Whitney p, n (%) of categorical columns with chi-square / Fisher p.

    Percentages are of the non-missing values; missing values get their own row.
    Columns entirely missing in one group (tumour site for donors) get no p-value.
    """
    labels = labels.dropna()
    sheet = sheet.loc[labels.index]
    rows = [
        {
            "variable": "N",
            "level": "",
            CONTROL: str(int((labels == CONTROL).sum())),
            CASE: str(int((labels == CASE).sum())),
            "overall": str(len(labels)),
            "p_value": np.nan,
            "test": "",
        }
    ]
    for name in variables:
        values = sheet[name]
        if is_continuous(values):
            rows += _continuous_rows(name, values, labels)
        else:
            rows += _categorical_rows(name, values, labels)
    return pd.DataFrame(rows, columns=COLUMNS)


def default_variables(sheet: pd.DataFrame, exclude: Sequence[str]) -> list[str]:
    """Sheet columns worth describing: not the ones named (contrast, endpoints, file
    mapping), not identifiers (text unique to every sample), not entirely missing."""
    chosen = []
    for column in sheet.columns:
        values = sheet[column].dropna()
        identifier = not is_continuous(values) and values.nunique() == len(values) > 2
        if column not in set(exclude) and len(values) and not identifier:
            chosen.append(column)
    return chosen
