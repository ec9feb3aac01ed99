"""Sample sheet: reading, checks against the config and the count table, contrast labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.settings import ContrastSettings, EndpointSettings, SurvivalSettings


def read_sample_sheet(path: str | Path) -> pd.DataFrame:
    """Read the TSV sample sheet (``#`` lines are comments; empty or ``NA`` is missing).

    Returns the sheet indexed by ``sample`` with every column as given (numbers parsed).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found", "check 'samples' in the config")
    sheet = pd.read_csv(
        path,
        sep="\t",
        comment="#",
        dtype={"sample": str},
        na_values=["NA", ""],
        keep_default_na=False,
    )
    if "sample" not in sheet.columns:
        raise InputError(
            path,
            f"no 'sample' column (columns: {', '.join(sheet.columns)})",
            "name the first column 'sample' and separate columns with tabs",
            where="header",
        )
    sheet["sample"] = sheet["sample"].astype(str).str.strip()
    duplicated = sheet["sample"].duplicated()
    if duplicated.any():
        first = duplicated.to_numpy().argmax()
        raise InputError(
            path,
            f"sample id '{sheet['sample'].iloc[first]}' appears more than once",
            "give every row a unique sample id",
            where=f"data row {first + 1}, column 'sample'",
        )
    return sheet.set_index("sample")


def _require_columns(sheet: pd.DataFrame, path: Path, columns: Mapping[str, str]) -> None:
    for column, key in columns.items():
        if column not in sheet.columns:
            raise InputError(
                path,
                f"no column '{column}' (named by {key} in the config)",
                f"add the column or change {key}; columns are: {', '.join(sheet.columns)}",
                where="header",
            )


def contrast_labels(sheet: pd.DataFrame, contrast: ContrastSettings) -> pd.Series:
    """Per sample: ``case``, ``control`` or NA (not in the contrast)."""
    values = sheet[contrast.column].astype("string")
    labels = pd.Series(pd.NA, index=sheet.index, dtype="string")
    labels[values == contrast.case] = CASE
    labels[values == contrast.control] = CONTROL
    return labels


def check_sample_sheet(
    sheet: pd.DataFrame,
    path: str | Path,
    contrast: ContrastSettings,
    covariates: Sequence[str],
    survival: SurvivalSettings,
    exclude: Mapping[str, str],
) -> None:
    """Stop on every sheet problem the settings make visible, before anything runs."""
    path = Path(path)
    needed = {contrast.column: "contrast.column"}
    needed |= {c: "covariates" for c in covariates}
    needed |= {c: "survival.adjust_for" for c in survival.adjust_for}
    for name, endpoint in survival.endpoints.items():
        needed |= {endpoint.time: f"survival.endpoints.{name}.time"}
        needed |= {endpoint.event: f"survival.endpoints.{name}.event"}
    _require_columns(sheet, path, needed)
    labels = contrast_labels(sheet, contrast)
    for level, key in ((CASE, "contrast.case"), (CONTROL, "contrast.control")):
        if not (labels == level).any():
            present = sorted(sheet[contrast.column].dropna().astype(str).unique())
            raise InputError(
                path,
                f"no sample has {contrast.column} = '{contrast.names[level]}' ({key})",
                f"set {key} to one of: {', '.join(present)}",
                where=f"column '{contrast.column}'",
            )
    unknown = sorted(set(exclude) - set(sheet.index))
    if unknown:
        raise InputError(
            path,
            f"qc.exclude names samples not in the sheet: {', '.join(unknown)}",
            "correct the ids in qc.exclude",
        )
    population = sheet if survival.population == "all" else sheet[labels == CASE]
    for name, endpoint in survival.endpoints.items():
        check_endpoint(population, path, name, endpoint)


def check_endpoint(sheet: pd.DataFrame, path: Path, name: str, endpoint: EndpointSettings) -> None:
    """Times numeric and >= 0, events 0/1, no event without a time, landmark reachable."""
    time_col, event_col = endpoint.time, endpoint.event
    for column in (time_col, event_col):
        values = pd.to_numeric(sheet[column], errors="coerce")
        bad = values.isna() & sheet[column].notna()
        if bad.any():
            sample = bad.index[bad.to_numpy().argmax()]
            raise InputError(
                path,
                f"'{sheet.at[sample, column]}' is not a number",
                f"write {column} as a number (NA when unknown)",
                where=f"sample '{sample}', column '{column}'",
            )
    time = pd.to_numeric(sheet[time_col])
    event = pd.to_numeric(sheet[event_col])
    checks = (
        (time < 0, "a negative time", f"times in {time_col} must be >= 0"),
        (
            ~event.isin([0, 1]) & event.notna(),
            "an event code other than 0/1",
            f"code {event_col} as 1 (event) or 0 (censored)",
        ),
        (
            event.notna() & time.isna(),
            "an event status without a time",
            f"give the time in {time_col} or set {event_col} to NA",
        ),
    )
    for mask, problem, fix in checks:
        if mask.any():
            sample = mask.index[mask.to_numpy().argmax()]
            raise InputError(path, f"{problem} for endpoint {name}", fix, where=f"sample '{sample}'")
    if time.notna().any() and endpoint.landmark >= time.max():
        raise InputError(
            path,
            f"endpoint {name}: landmark {endpoint.landmark} is beyond all follow-up "
            f"(longest {time_col} is {time.max()})",
            f"set survival.endpoints.{name}.landmark below the longest follow-up, in the unit of {time_col}",
        )


def match_samples(
    sheet: pd.DataFrame, samples_path: str | Path, counts: pd.DataFrame, counts_path: str | Path
) -> tuple[pd.DataFrame, list[str]]:
    """Restrict the count table to the sheet's samples, in sheet order.

    A sheet sample missing from the table is an error listing the ids; table samples
    absent from the sheet are returned so the caller can log and report them.
    """
    missing = [s for s in sheet.index if s not in counts.columns]
    if missing:
        shown = ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else "")
        raise InputError(
            samples_path,
            f"{len(missing)} sample(s) are not in the count table {counts_path}: {shown}",
            "use the count table's sample ids in the 'sample' column (table columns look like: "
            + ", ".join(map(str, counts.columns[:5]))
            + ")",
            where="column 'sample'",
        )
    ignored = [str(s) for s in counts.columns if s not in sheet.index]
    return counts[list(sheet.index)], ignored
