"""The report's front page: the run's headline results in one small table.

Where the data left nothing to analyse (no candidates, no markers, a panel or a
stratification that could not be estimated), the overview says so and why, from the
tables' ``reason`` columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mirflow.analyses.criteria import summary
from mirflow.analyses.independence import describe
from mirflow.analyses.markers import MARKER_P
from mirflow.formatting import estimate, number, with_ci
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.sealing import HASH_FIELD, read_plan
from mirflow.settings import DESettings


def _row(section: str, item: str, value: str) -> dict[str, str]:
    return {"section": section, "item": item, "value": value}


def _ci(value: float, low: float, high: float) -> str:
    """'0.950 (0.88-1.00)'."""
    return estimate(value, low, high, spec=".3f", ci_spec=".2f", separator="-", no_ci=" (CI NA)")


def _reason(row: Mapping[str, Any] | pd.Series) -> str:
    reason = row.get("reason")
    return reason if isinstance(reason, str) else ""


def _no_candidates(de: DESettings | None) -> str:
    """Why there are no candidates: the screen's thresholds (their values when known)."""
    if de is None:
        return (
            "no candidates at padj < alpha and |log2FC| >= min_log2_fold_change "
            "(de.alpha, de.min_log2_fold_change)"
        )
    return (
        f"no candidates at padj < alpha = {de.alpha:g} and |log2FC| >= {de.min_log2_fold_change:g} "
        f"({de.screen} fit; de.alpha, de.min_log2_fold_change)"
    )


def _prognosis(strata: pd.DataFrame) -> str:
    """One endpoint x marker of the KM table: the split, or why there is none."""
    if strata["stratum"].isna().all():
        return f"not stratified: {_reason(strata.iloc[0])}"
    low, high = (strata.set_index("stratum").loc[s] for s in ("low", "high"))
    text = (
        f"< {low['cutoff']:.6g}: median {number(low['median'], '.1f', 'NR')} (n={int(low['n'])}) vs >=: "
        f"{number(high['median'], '.1f', 'NR')} (n={int(high['n'])}); log-rank p "
        f"{number(low['logrank_p'], '.3g')}, corrected for the cut-off search p "
        f"{number(low['maxstat_p'], '.3g')}"
    )
    reason = _reason(low)
    return f"{text}; {reason}" if reason else text


def overview(
    qc: pd.DataFrame,
    candidates: pd.DataFrame,
    roc: pd.DataFrame,
    panel: pd.DataFrame,
    km: pd.DataFrame | None,
    de: DESettings | None = None,
) -> pd.DataFrame:
    """Cohort, exclusions, candidates, markers with AUCs, the panel and the KM splits
    (``km`` is None without a prognostic stage), and why any of them is missing. ``de``
    (the ``de`` settings, optional) puts the screen's thresholds into the message when
    there are no candidates."""
    rows = []
    kept = qc[~qc["excluded"]]
    rows.append(
        _row(
            "cohort",
            "analysed samples",
            ", ".join(f"{g}: {n}" for g, n in kept["group"].value_counts().sort_index().items()),
        )
    )
    for sample in qc[qc["excluded"]].itertuples():
        rows.append(_row("cohort", f"excluded {sample.sample}", sample.reason))
    if "hemolysis_log2" in qc.columns and len(qc) and qc["hemolysis_log2"].isna().all():
        rows.append(
            _row(
                "cohort",
                "hemolysis QC",
                "not applied: no library has both hemolysis miRNAs (qc.hemolysis; see the QC log), so "
                "no sample was checked for hemolysis",
            )
        )
    downstream = "no ROC, no panel" + (", no prognosis" if km is not None else "")
    found = f"{len(candidates)}: " + ", ".join(candidates["mirna"])
    if candidates.empty:
        found += _no_candidates(de) + (f" (so no markers, {downstream})" if roc.empty else "")
    rows.append(_row("differential expression", "candidates", found))
    for marker in roc.itertuples():
        if pd.isna(marker.cutoff):
            cut = "no cut-off (the marker does not vary)"
        else:
            cut = (
                f"cut-off {marker.cutoff:.6g} (sensitivity {marker.sensitivity:.2f}, specificity "
                f"{marker.specificity:.2f})"
            )
        rows.append(
            _row(
                "diagnostic markers",
                marker.mirna,
                f"AUC {_ci(marker.auc, marker.auc_ci_low, marker.auc_ci_high)}; {cut}",
            )
        )
    if roc.empty:
        why = (
            "no candidates"
            if candidates.empty
            else f"no candidate has covariate-adjusted logistic p < {MARKER_P:g} (so {downstream})"
        )
        rows.append(_row("diagnostic markers", "markers", f"none: {why}"))
    panel = panel.iloc[0]
    if pd.notna(panel["auc_cv"]):
        rows.append(
            _row(
                "diagnostic markers",
                "panel",
                f"cross-validated AUC {panel['auc_cv']:.3f} (SD {number(panel['auc_cv_sd'], '.3f')}); "
                f"apparent AUC {panel['auc_apparent']:.3f} (optimistic)",
            )
        )
    else:
        rows.append(
            _row("diagnostic markers", "panel", f"panel not fitted: {_reason(panel) or 'no markers'}")
        )
    if km is not None:
        for (endpoint, mirna), strata in km.groupby(["endpoint", "mirna"], sort=False):
            rows.append(_row(f"prognosis: {endpoint}", mirna, _prognosis(strata)))
    return pd.DataFrame(rows, columns=["section", "item", "value"])


VALIDATION = "validation"
# The validation tables the overview summarises (keys of write_overview's validation_paths).
VALIDATION_TABLES = ("qc", "markers", "panel", "km", "overlap", "covariates")
# ... and the verdicts of the plan's criteria with the deviations (when the run makes them).
PLAN_TABLES = ("criteria", "deviations")


def plan_rows(
    criteria: pd.DataFrame, deviations: pd.DataFrame, plan: Mapping[str, Any] | None, plan_path: str | None
) -> list[dict[str, str]]:
    """The first lines of the "validation" section: the sealed plan and each success
    criterion's verdict (or that the validation was not pre-specified), and the deviations
    from the plan."""
    if plan is None:
        rows = [
            _row(
                VALIDATION,
                "analysis plan",
                "none (validation.plan: none): the validation was NOT pre-specified; no success criterion, "
                "every estimate is exploratory",
            )
        ]
    else:
        rows = [
            _row(
                VALIDATION,
                "analysis plan",
                f"{plan_path} (content_sha256 {str(plan.get(HASH_FIELD))[:12]}): {summary(criteria)}",
            )
        ]
    for row in criteria.itertuples(index=False):
        value = f"{row.verdict} ({row.role}): {estimate(row.estimate, row.ci_low, row.ci_high, spec='.3g')}"
        rows.append(_row(VALIDATION, f"criterion: {row.criterion}", f"{value}; {row.note}"))
    if not deviations.empty:
        items = [str(item) for item in deviations["item"]]
        rows.append(
            _row(
                VALIDATION,
                "deviations from the plan",
                f"{len(items)}: {'; '.join(items[:6])}{' ...' if len(items) > 6 else ''} "
                "(results/validation/deviations.tsv)",
            )
        )
    return rows


def validation_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict[str, str]]:
    """The "validation" section: the validation cohort, each locked marker's AUC and
    sensitivity/specificity at its locked cut-off (discovery values beside them), the
    locked panel's AUC and calibration, and the KM splits at the locked cut-offs."""
    rows = []
    if not tables["overlap"].empty:
        rows.append(
            _row(
                VALIDATION,
                "NOT INDEPENDENT of the discovery",
                f"shares {describe(tables['overlap'])} (validation.allow_overlap: true; "
                "results/validation/overlap.tsv)",
            )
        )
    for row in tables["covariates"].itertuples():
        if isinstance(row.note, str) and row.note:
            rows.append(
                _row(
                    VALIDATION,
                    f"covariate {row.covariate}",
                    f"CHECK: {row.note} (locked mean {row.locked_mean:.4g}, SD {row.locked_sd:.4g}; "
                    f"validation mean {row.mean:.4g}, SD {row.sd:.4g})",
                )
            )
    qc = tables["qc"]
    kept = qc[~qc["excluded"]]
    counts = ", ".join(f"{g}: {n}" for g, n in kept["group"].value_counts().sort_index().items())
    rows.append(_row(VALIDATION, "analysed samples", counts))
    for sample in qc[qc["excluded"]].itertuples():
        rows.append(_row(VALIDATION, f"excluded {sample.sample}", sample.reason))
    for marker in tables["markers"].itertuples(index=False):
        row = marker._asdict()
        text = f"{with_ci(row, 'auc', 'AUC')} in the locked direction"
        if pd.notna(row["cutoff"]):
            sign = ">=" if row["direction"] == "<" else "<="
            text += (
                f"; at the locked cut-off {sign} {row['cutoff']:.6g}: "
                f"{with_ci(row, 'sensitivity', 'sensitivity')}, "
                f"{with_ci(row, 'specificity', 'specificity')}"
                f" (discovery AUC {number(row['discovery_auc'], '.3f')}, sensitivity "
                f"{number(row['discovery_sensitivity'], '.2f')}, specificity "
                f"{number(row['discovery_specificity'], '.2f')})"
            )
        else:
            text += f"; {_reason(row)}"
        rows.append(_row(VALIDATION, row["mirna"], text))
    panel = tables["panel"].iloc[0]
    if pd.notna(panel["auc"]):
        text = (
            f"{with_ci(panel, 'auc', 'AUC')}; "
            f"{with_ci(panel, 'calibration_intercept', 'calibration-in-the-large')}, "
            f"{with_ci(panel, 'calibration_slope', 'calibration slope')}; Brier {panel['brier']:.3f}"
        )
        reason = _reason(panel)
        rows.append(_row(VALIDATION, "locked panel", f"{text}; {reason}" if reason else text))
    else:
        rows.append(_row(VALIDATION, "locked panel", _reason(panel) or "no locked panel"))
    for (endpoint, mirna), strata in tables["km"].groupby(["endpoint", "mirna"], sort=False):
        if strata["stratum"].isna().all():
            text = f"not stratified: {_reason(strata.iloc[0])}"
        else:
            low, high = (strata.set_index("stratum").loc[s] for s in ("low", "high"))
            text = (
                f"at the locked cut-off {low['cutoff']:.6g}: median {number(low['median'], '.1f', 'NR')} "
                f"(n={int(low['n'])}) vs {number(high['median'], '.1f', 'NR')} (n={int(high['n'])}); "
                f"log-rank p {number(low['logrank_p'], '.3g')}; HR {number(low['hazard_ratio'], '.2f')}"
            )
        rows.append(_row(VALIDATION, f"{endpoint} {mirna}", text))
    return rows


def write_overview(
    qc_path: str,
    candidates_path: str,
    roc_path: str,
    panel_path: str,
    km_path: str | None,
    out: str,
    de: DESettings | None = None,
    validation_paths: Mapping[str, str] | None = None,
    simulated: Sequence[str] = (),
    plan_path: str | None = None,
) -> None:
    """Write the overview table from the tables it summarises (``de``: the ``de``
    settings, when the rule passes them, for the thresholds in the no-candidates message;
    ``validation_paths``: the validation tables by :data:`VALIDATION_TABLES` key, when the
    run validates a locked model, for the "validation" section, which opens with the plan's
    verdicts when they hold the :data:`PLAN_TABLES` too (``plan_path``: the sealed plan,
    None: validation.plan none); ``simulated``: the inputs that are the bundled SIMULATED
    demo files, said first)."""
    km = read_tsv(km_path) if km_path else None
    tables = (read_tsv(path) for path in (qc_path, candidates_path, roc_path, panel_path))
    table = overview(*tables, km, de=de)
    if simulated:
        note = _row(
            "data",
            "SIMULATED",
            f"{', '.join(simulated)}: the bundled demo, a SIMULATED cohort (not real patients)",
        )
        table = pd.concat([pd.DataFrame([note]), table], ignore_index=True)
    if validation_paths:
        rows = validation_rows({key: read_tsv(validation_paths[key]) for key in VALIDATION_TABLES})
        if all(key in validation_paths for key in PLAN_TABLES):
            plan = read_plan(plan_path) if plan_path is not None else None
            criteria, deviations = (read_tsv(validation_paths[key]) for key in PLAN_TABLES)
            rows = plan_rows(criteria, deviations, plan, plan_path) + rows
        table = pd.concat([table, pd.DataFrame(rows, columns=table.columns)], ignore_index=True)
    write_tsv(table, out)
