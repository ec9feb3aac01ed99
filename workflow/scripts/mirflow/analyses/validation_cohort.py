"""External validation, the cohort (SPEC stage 8): what a validation cohort must provide
for the LOCKED model, checked before any validation table, and its samples normalised
against the locked reference.

What the cohort must provide: every miRNA the model scores with (markers, panel,
prognostic markers), the locked contrast column with both levels, the panel's covariates
with levels seen in discovery (:func:`check_mirnas`, :func:`check_contrast`,
:func:`code_covariates`). A locked *reference* miRNA that the counts do not list is not an
error: size factors use positive counts only, so it gives exactly the factor a row of zeros
would (GeneGlobe exports list only miRNAs detected in some sample); the run logs how many.
New samples are normalised against the locked reference (:func:`normalise_cohort`): no
size factor is refitted on the new cohort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mirflow.analyses.lock import LockedCovariate, LockedEndpoint, LockedModel
from mirflow.errors import InputError
from mirflow.formatting import shown
from mirflow.groups import CASE, CONTROL
from mirflow.io.sheet_checks import check_level_case
from mirflow.stats import normalise

# ---- what the cohort must provide ---------------------------------------------------------------


def required_mirnas(model: LockedModel) -> dict[str, list[str]]:
    """The miRNAs the locked model scores with, by what needs them: the markers, the
    panel and the prognostic cut-offs (each must be measured in the validation cohort)."""
    roles: dict[str, list[str]] = {}
    roles["panel"] = list(model.panel.markers) if model.panel else []
    roles["markers"] = [m.mirna for m in model.markers]
    if model.prognostic:
        roles["prognostic markers"] = list(
            dict.fromkeys(c.mirna for e in model.prognostic.endpoints for c in e.cutoffs)
        )
    return roles


def reference_mirnas(model: LockedModel) -> list[str]:
    """The miRNAs a new sample's size factor is computed from (none for cpm and for
    expression values)."""
    norm = model.normalisation
    if norm.log_geometric_means:
        return list(norm.log_geometric_means)
    return list(model.mirnas) if norm.estimator == "upper_quartile" else []


def check_mirnas(available: Sequence[str], model: LockedModel, table: str, model_path: str) -> list[str]:
    """Every miRNA the locked model scores with must be a row of the validation counts;
    the missing ones are named, by what needs them (:class:`InputError`). Returns the
    reference miRNAs that are missing, which are not an error: the ratios (and upper
    quartiles) use positive counts only, so a reference miRNA the table does not list
    (GeneGlobe exports list only miRNAs detected in some sample) gives exactly the size
    factors that a row of zeros would."""
    present = set(available)
    needed = required_mirnas(model)
    missing = {role: [m for m in names if m not in present] for role, names in needed.items()}
    missing = {role: names for role, names in missing.items() if names}
    if missing:
        parts = [
            f"{role} ({len(names)} of {len(needed[role])}): {shown(names)}" for role, names in missing.items()
        ]
        raise InputError(
            table,
            f"lacks miRNA(s) of the locked model {model_path}: " + "; ".join(parts),
            "give validation counts that measure every locked marker under its miRBase v22 name (the panel "
            "needs all its miRNAs); a marker measured but not detected is a row of zeros",
        )
    return [m for m in reference_mirnas(model) if m not in present]


def check_contrast(sheet: pd.DataFrame, labels: pd.Series, model: LockedModel, path: str) -> None:
    """The validation sheet must hold the locked contrast column with both its levels."""
    contrast = model.contrast
    column = contrast.column
    if column not in sheet.columns:
        raise InputError(
            path,
            f"has no column '{column}', the locked model's contrast column (case '{contrast.case}', "
            f"control '{contrast.control}')",
            f"add the column '{column}' with the values '{contrast.case}' and '{contrast.control}'; "
            f"columns are: {', '.join(map(str, sheet.columns))}",
        )
    check_level_case(sheet, path, contrast, locked=str(model.path))
    present = sorted(sheet[column].dropna().astype(str).unique())
    for level, value in ((CASE, contrast.case), (CONTROL, contrast.control)):
        if not (labels == level).any():
            raise InputError(
                path,
                f"no sample has {column} = '{value}', the locked model's {level} level (the sheet has: "
                f"{', '.join(present) or 'no values'})",
                f"validation needs cases and controls coded as in discovery: '{contrast.case}' and "
                f"'{contrast.control}' in column '{column}'",
                where=f"column '{column}'",
            )


def check_exclusions(sheet: pd.DataFrame, exclude: Mapping[str, str], path: str) -> None:
    unknown = sorted(set(exclude) - set(sheet.index))
    if unknown:
        raise InputError(
            path,
            f"validation.exclude names samples not in the validation sheet: {', '.join(unknown)}",
            "correct the ids in validation.exclude",
        )


def panel_covariates(model: LockedModel) -> list[LockedCovariate]:
    """The locked covariates the panel uses (none when the panel has no covariate terms)."""
    used = set(model.panel.covariates) if model.panel else set()
    return [c for c in model.covariates if c.name in used]


def code_covariates(sheet: pd.DataFrame, model: LockedModel, path: str) -> pd.DataFrame:
    """The panel's covariates coded as discovery coded them (continuous: centred and
    scaled with the LOCKED mean and SD; categorical: the level as text). A missing column,
    a non-number in a continuous covariate or a level not seen in discovery is an
    :class:`InputError` (the locked panel has no coefficient for an unseen level)."""
    frame = pd.DataFrame(index=sheet.index)
    for covariate in panel_covariates(model):
        name = covariate.name
        if name not in sheet.columns:
            raise InputError(
                path,
                f"has no column '{name}', a covariate of the locked panel",
                f"add the column '{name}' (coded as in discovery)",
            )
        values = sheet[name]
        if len(values) and values.isna().all():
            raise InputError(
                path,
                f"column '{name}', a covariate of the locked panel, is empty for every sample of the "
                "contrast: the panel cannot score anyone",
                f"fill in '{name}' (coded as in discovery); samples missing it are left out of the panel",
                where=f"column '{name}'",
            )
        if covariate.type == "continuous":
            numbers = pd.to_numeric(values, errors="coerce")
            bad = values.notna() & numbers.isna()
            if bad.any():
                raise InputError(
                    path,
                    f"column '{name}' (a continuous covariate of the locked panel) has non-numbers: "
                    + shown([f"{s} '{values[s]}'" for s in values.index[bad]]),
                    "write numbers (NA when unknown)",
                    where=f"column '{name}'",
                )
            sd = covariate.sd
            frame[name] = (numbers - covariate.mean) / sd if sd > 0 else numbers - covariate.mean
            continue
        text = values.where(values.isna(), values.astype(str))
        unseen = sorted(set(text.dropna()) - set(covariate.levels))
        if unseen:
            samples = [str(s) for s in text.index[text.isin(unseen)]]
            raise InputError(
                path,
                f"column '{name}' has level(s) {', '.join(repr(u) for u in unseen)} not seen in discovery "
                f"(locked levels: {', '.join(repr(v) for v in covariate.levels)}; samples "
                f"{shown(samples)}): the locked panel has no coefficient for them",
                f"code '{name}' with the discovery levels, or exclude these samples (validation.exclude)",
                where=f"column '{name}'",
            )
        frame[name] = text
    return frame


def check_endpoint_values(sheet: pd.DataFrame, endpoint: LockedEndpoint, path: str) -> None:
    """A locked endpoint's time and event columns: finite times >= 0, events 0/1, no event
    status without a time. (The landmark is not used: the cut-offs are locked.)"""
    time_column, event_column = endpoint.time, endpoint.event
    time = pd.to_numeric(sheet[time_column], errors="coerce")
    event = pd.to_numeric(sheet[event_column], errors="coerce")
    checks = (
        (
            sheet[time_column].notna() & ~np.isfinite(time.astype(float)),
            time_column,
            "is not a finite number",
        ),
        (time < 0, time_column, "is a negative time"),
        (sheet[event_column].notna() & ~event.isin([0, 1]), event_column, "is not an event code 1/0"),
        (event.notna() & time.isna(), time_column, "is missing while the event status is known"),
    )
    for mask, column, problem in checks:
        if mask.any():
            sample = mask.index[mask.to_numpy().argmax()]
            raise InputError(
                path,
                f"endpoint {endpoint.name}: sample {sample}: {column} '{sheet.at[sample, column]}' {problem}",
                f"code {time_column} as the follow-up time (>= 0) and {event_column} as 1 (event) or 0 "
                "(censored), NA when unknown",
                where=f"column '{column}'",
            )


# ---- normalisation against the locked reference ------------------------------------------------


def reference_of(model: LockedModel) -> normalise.Reference | None:
    """The locked normalisation reference (None for expression values)."""
    norm = model.normalisation
    if norm.estimator == "none":
        return None
    means = norm.log_geometric_means
    return normalise.Reference(norm.estimator, pd.Series(means, dtype=float) if means else None, norm.scale)


def normalise_cohort(
    counts: pd.DataFrame, model: LockedModel, table: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, str]:
    """The analysed validation samples' normalised and transformed values of the locked
    miRNAs, their size factors and the estimator, from ``counts`` (every harmonised miRNA
    x the analysed samples) and the LOCKED reference: nothing is estimated from the new
    cohort. A sample without a positive count in any reference miRNA has no size factor
    and is an :class:`InputError`."""
    locked = [m for m in model.mirnas if m in counts.index]
    ref = reference_of(model)
    if ref is None:
        values = counts.loc[locked]
        factors, estimator = (
            pd.Series(1.0, index=counts.columns, name="size_factor"),
            "none (expression values)",
        )
    else:
        # locked miRNAs the table does not list count as not detected (0): ratios use positive counts only
        every = counts.reindex(list(model.mirnas), fill_value=0)
        factors = normalise.size_factors_from_reference(every, ref, counts.sum(axis=0))
        estimator = ref.estimator
        bad = factors.index[~np.isfinite(factors.to_numpy()) | (factors.to_numpy() <= 0)]
        if len(bad):
            raise InputError(
                table,
                f"{len(bad)} sample(s) have no positive count in any of the locked reference miRNAs, so no "
                f"size factor: {shown([str(s) for s in bad])}",
                "exclude them with validation.exclude (they are empty or failed libraries)",
            )
        values = normalise.normalise(counts.loc[locked], factors)
    transformed = normalise.transform(values, model.transform)
    return values, transformed, factors, estimator


def model_summary(model: LockedModel) -> str:
    """One line naming the model for the log."""
    return (
        f"locked model {model.path} (content_sha256 {model.content_sha256[:12]}..., workflow "
        f"{model.workflow_version}): {len(model.markers)} marker(s), "
        f"panel {'yes' if model.panel else 'no'}, {len(model.mirnas)} miRNAs"
    )


COVARIATE_COLUMNS = [
    "covariate",
    "locked_mean",
    "locked_sd",
    "n",
    "mean",
    "sd",
    "median",
    "n_beyond_5_sd",
    "note",
]
# A validation value this many locked SDs from the locked mean is flagged.
FAR_SD = 5


def covariate_shift(sheet: pd.DataFrame, samples: pd.Index, model: LockedModel) -> pd.DataFrame:
    """Each locked continuous covariate the validation sheet has, on ``samples``: its
    locked mean and SD beside the validation ones, how many values lie more than
    :data:`FAR_SD` locked SDs from the locked mean, and a note when the values look like
    another scale or unit (the median that far from the locked mean: months for years, mg
    for g): the locked panel's predictions would then be wrong without any error."""
    rows = []
    for covariate in model.covariates:
        if covariate.type != "continuous" or covariate.name not in sheet.columns:
            continue
        values = pd.to_numeric(sheet.loc[samples, covariate.name], errors="coerce").dropna().astype(float)
        if values.empty or covariate.mean is None:
            continue
        sd = covariate.sd or 0.0
        far = int((np.abs(values - covariate.mean) > FAR_SD * sd).sum()) if sd > 0 else 0
        median = float(values.median())
        notes = []
        if sd > 0 and abs(median - covariate.mean) > FAR_SD * sd:
            ratio = median / covariate.mean if covariate.mean else float("nan")
            notes.append(
                f"the median {median:.4g} is more than {FAR_SD} locked SDs from the locked mean "
                f"{covariate.mean:.4g} (ratio {ratio:.3g}): another unit or scale than in discovery?"
            )
        if far:
            notes.append(f"{far} value(s) more than {FAR_SD} locked SDs from the locked mean")
        rows.append(
            {
                "covariate": covariate.name,
                "locked_mean": covariate.mean,
                "locked_sd": sd,
                "n": len(values),
                "mean": float(values.mean()),
                "sd": float(values.std(ddof=1)) if len(values) > 1 else float("nan"),
                "median": median,
                "n_beyond_5_sd": far,
                "note": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=COVARIATE_COLUMNS)
