"""The report's front page: the run's headline results in one small table."""

from __future__ import annotations

import pandas as pd

from mirflow.io.tables import read_tsv, write_tsv


def _row(section: str, item: str, value: str) -> dict[str, str]:
    return {"section": section, "item": item, "value": value}


def _ci(value: float, low: float, high: float, digits: int = 3) -> str:
    return f"{value:.{digits}f} ({low:.2f}-{high:.2f})"


def overview(
    qc: pd.DataFrame,
    candidates: pd.DataFrame,
    roc: pd.DataFrame,
    panel: pd.DataFrame,
    km: pd.DataFrame | None,
) -> pd.DataFrame:
    """Cohort, exclusions, candidates, markers with AUCs, the panel and the KM splits
    (``km`` is None without a prognostic stage)."""
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
    rows.append(
        _row("differential expression", "candidates", f"{len(candidates)}: " + ", ".join(candidates["mirna"]))
    )
    for marker in roc.itertuples():
        rows.append(
            _row(
                "diagnostic markers",
                marker.mirna,
                f"AUC {_ci(marker.auc, marker.auc_ci_low, marker.auc_ci_high)}; cut-off "
                f"{marker.cutoff:.6g} (sensitivity {marker.sensitivity:.2f}, specificity "
                f"{marker.specificity:.2f})",
            )
        )
    if roc.empty:
        rows.append(_row("diagnostic markers", "markers", "none"))
    panel = panel.iloc[0]
    if pd.notna(panel["auc_cv"]):
        rows.append(
            _row(
                "diagnostic markers",
                "panel",
                f"cross-validated AUC {panel['auc_cv']:.3f} (SD "
                f"{panel['auc_cv_sd']:.3f}); apparent AUC {panel['auc_apparent']:.3f} (optimistic)",
            )
        )
    if km is not None:
        for (endpoint, mirna), strata in km.groupby(["endpoint", "mirna"], sort=False):
            low, high = (strata.set_index("stratum").loc[s] for s in ("low", "high"))
            rows.append(
                _row(
                    f"prognosis: {endpoint}",
                    mirna,
                    f"< {low['cutoff']:.6g}: median {low['median']:.1f} (n={int(low['n'])}) vs >=: "
                    f"{high['median']:.1f} (n={int(high['n'])}); log-rank p {low['logrank_p']:.3g}, "
                    f"corrected for the cut-off search p {low['maxstat_p']:.3g}",
                )
            )
    return pd.DataFrame(rows, columns=["section", "item", "value"])


def write_overview(
    qc_path: str, candidates_path: str, roc_path: str, panel_path: str, km_path: str | None, out: str
) -> None:
    """Write the overview table from the tables it summarises."""
    km = read_tsv(km_path) if km_path else None
    tables = (read_tsv(path) for path in (qc_path, candidates_path, roc_path, panel_path))
    write_tsv(overview(*tables, km), out)
