"""The report's front page: the run's headline results in one small table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mirflow.tables import read_tsv, write_tsv


def _row(section: str, item: str, value: str) -> dict[str, str]:
    return {"section": section, "item": item, "value": value}


def _ci(value: float, low: float, high: float, digits: int = 3) -> str:
    return f"{value:.{digits}f} ({low:.2f}-{high:.2f})"


def overview(results: Path) -> pd.DataFrame:
    """Cohort, exclusions, candidates, markers with AUCs, the panel and the KM splits."""
    rows = []
    qc = read_tsv(results / "qc/samples.tsv")
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
    candidates = read_tsv(results / "de/candidates.tsv")
    rows.append(
        _row("differential expression", "candidates", f"{len(candidates)}: " + ", ".join(candidates["mirna"]))
    )
    roc = read_tsv(results / "diagnostic/roc.tsv")
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
    panel = read_tsv(results / "diagnostic/panel.tsv").iloc[0]
    if pd.notna(panel["auc_cv"]):
        rows.append(
            _row(
                "diagnostic markers",
                "panel",
                f"cross-validated AUC {panel['auc_cv']:.3f} (SD "
                f"{panel['auc_cv_sd']:.3f}); apparent AUC {panel['auc_apparent']:.3f} (optimistic)",
            )
        )
    km_path = results / "prognostic/km.tsv"
    if km_path.exists():
        km = read_tsv(km_path)
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


def write_overview(results: str, out: str) -> None:
    """Write results/overview.tsv."""
    write_tsv(overview(Path(results)), out)
