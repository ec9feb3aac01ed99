"""Null calibration study of mirflow's statistics on SIMULATED cohorts without any group effect.

Each cohort comes from the demo simulator with ``null=True`` (resources/demo/simulate_demo.py
``--null``): no miRNA differs between patients and donors or depends on age, and survival (still
driven by a latent tumour burden) is unrelated to every miRNA; no hemolysed library. Each cohort
is analysed with the workflow library's own functions, as the workflow's steps call them (filter
>= 10 counts in >= half the smaller group, DESeq2 size factors, ``~ contrast``), and the study
reports, per cohort size, with Monte Carlo standard errors:

- DESeq2 (unadjusted, BH at alpha 0.05): the fraction of cohorts with any discovery (under the
  complete null the FWER, which BH controls at alpha) and the mean false discovery proportion
  (the same number under the complete null);
- prognosis, on the cases, for one random miRNA per cohort and endpoint (PFS, OS; landmark 6
  months): the type-I error at 5% of the naive log-rank p at the maxstat cut-off, the landmark
  ROC cut-off, the IPCW Youden cut-off (``survival.cutoff: ipcw_youden``) and the median, and of
  the search-corrected Lau94 and permutation p; and, because the simulated follow-up censors
  nobody before the landmark (where the two ROC cut-offs coincide), the naive p at the landmark
  ROC and IPCW Youden cut-offs once more after an extra independent censoring, uniform on
  (0, 4 x landmark), from a stream of its own (the other metrics are unchanged by it);
- panel: the cross-validated AUC of a Firth model on 3 random miRNAs, with the apparent AUC;
- ROC: the DeLong 95% CI's coverage of 0.5 for one random miRNA (direction as pROC's ``auto``,
  as the workflow does, and fixed in advance).

Every cohort's simulator seed and analysis stream derive from the master seed, the cohort size
and the cohort's index, so a cohort's results do not depend on ``--n-cohorts`` or ``--jobs``.
Run: ``bin/calibrate`` (or ``.venv/bin/python tools/calibrate_null.py --help``); the wrapper
limits BLAS/OpenMP to one thread per process (set OMP_NUM_THREADS=1 etc. when calling the
script directly). The module sets no environment itself: importing it (tests do) must not
change what other programs started from the same process see.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import shlex
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "resources" / "demo"))

import simulate_demo  # noqa: E402

from mirflow.analyses.prognostic import Endpoint, split_marker  # noqa: E402
from mirflow.groups import CASE, CONTROL  # noqa: E402
from mirflow.settings import SurvivalSettings  # noqa: E402
from mirflow.stats import roc  # noqa: E402
from mirflow.stats.deseq2 import run_deseq2  # noqa: E402
from mirflow.stats.deseq2_design import design_frame  # noqa: E402
from mirflow.stats.normalise import filter_mirnas, normalise, size_factors, transform  # noqa: E402
from mirflow.stats.panel import cross_validated_panel  # noqa: E402
from mirflow.stats.survival import logrank_p  # noqa: E402
from mirflow.stats.survival_cutoffs import CUTOFFS, SplitInputs  # noqa: E402

DEFAULT_SEED = 20240525
DEFAULT_OUT = ROOT / "tools" / "calibration_results.tsv"
ALPHA = 0.05
MIN_COUNT, MIN_FRACTION = 10, 0.5  # the workflow's filter defaults
MIN_LOG2_FOLD_CHANGE = 1.0  # de.min_log2_fold_change: candidates also need abs(LFC) >= 1
ENDPOINTS = {"PFS": ("pfs_months", "pfs_event"), "OS": ("os_months", "os_event")}
LANDMARK = 6.0  # months, as the demo config
N_PANEL_MARKERS = 3
EARLY_CENSORING = 4 * LANDMARK  # the extra independent censoring: uniform on (0, 24 months)
RESULT_COLUMNS = [
    "cases",
    "controls",
    "section",
    "metric",
    "kind",
    "n_cohorts",
    "estimate",
    "mc_se",
    "target",
]


@dataclass(frozen=True)
class Task:
    """One cohort to simulate and analyse."""

    n_cases: int
    n_controls: int
    index: int
    master_seed: int
    n_permutations: int
    n_folds: int
    n_repeats: int


def cohort_seeds(
    master_seed: int, n_cases: int, n_controls: int, index: int
) -> tuple[int, np.random.Generator]:
    """The simulator's seed and the analysis' random stream of one cohort."""
    sequence = np.random.SeedSequence([master_seed, n_cases, n_controls, index])
    simulator, analysis = sequence.spawn(2)
    return int(simulator.generate_state(1, dtype=np.uint64)[0]), np.random.default_rng(analysis)


def censoring_rng(task: Task) -> np.random.Generator:
    """The stream of a cohort's extra independent censoring: a third child of the cohort's
    seed sequence (the simulator's and the analysis' streams, the first two, are unchanged)."""
    sequence = np.random.SeedSequence([task.master_seed, task.n_cases, task.n_controls, task.index])
    return np.random.default_rng(sequence.spawn(3)[2])


_MIRNAS: list[str] | None = None


def mirnome() -> list[str]:
    """The miRBase v22 miRNome (read once per process)."""
    global _MIRNAS
    if _MIRNAS is None:
        _MIRNAS = simulate_demo.load_mirnome(ROOT / simulate_demo.DEFAULT_MIRBASE)
    return _MIRNAS


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Library warnings (pydeseq2 notes, Cox convergence) would flood the progress output;
    silenced while a cohort is analysed, then restored (the caller's logging is untouched)."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def analyse_deseq2(counts: pd.DataFrame, labels: pd.Series) -> dict[str, Any]:
    """Unadjusted DESeq2 (``~ contrast``) at alpha 0.05: discoveries (all false)."""
    frame, formula, _ = design_frame(labels, None)
    table = run_deseq2(counts, frame, formula, ALPHA)
    significant = (table["p_adjusted"] < ALPHA).to_numpy()
    candidates = significant & (table["log2_fold_change"].abs() >= MIN_LOG2_FOLD_CHANGE).to_numpy()
    tested = table["p_value"].notna()
    return {
        "de_n_tested": int(tested.sum()),
        "de_n_discoveries": int(significant.sum()),
        "de_any": float(significant.any()),
        "de_fdp": float(significant.any()),  # every discovery is false: FDP = 1 if any, else 0
        "de_any_candidate": float(candidates.any()),
        "de_wald_fraction": float((table.loc[tested, "p_value"] < ALPHA).mean()),
    }


def analyse_prognosis(
    sheet: pd.DataFrame,
    normalised: pd.DataFrame,
    cases: pd.Index,
    task: Task,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Per endpoint, one random miRNA on the cases: naive and search-corrected p."""
    settings = SurvivalSettings(
        ci_transform="log-log",
        cutoff="landmark_roc",
        population="cases",
        endpoints={},
        adjust_for=(),
        n_permutations=task.n_permutations,
    )
    row: dict[str, Any] = {}
    censoring = censoring_rng(task)
    for name, (time_column, event_column) in ENDPOINTS.items():
        mirna = str(rng.choice(normalised.index))
        endpoint = Endpoint(
            name,
            sheet.loc[cases, time_column].astype(float),
            sheet.loc[cases, event_column].astype(int),
            LANDMARK,
        )
        values = normalised.loc[mirna, cases].astype(float)
        split = split_marker(endpoint, mirna, values, settings, rng)
        time_, event = endpoint.time.to_numpy(), endpoint.event.to_numpy()

        def naive(cutoff: float, time_=time_, event=event, values=values) -> float:
            if not np.isfinite(cutoff):
                return np.nan
            return logrank_p(time_, event, (values >= cutoff).to_numpy().astype(int))

        def naive_censored(cutoff: float, time_c: np.ndarray, event_c: np.ndarray) -> float:
            """The naive p after the extra censoring; NaN where the log-rank variance is 0 (a
            stratum whose patients all leave before any event of the other: not defined)."""
            try:
                return naive(cutoff, time_c, event_c)
            except np.linalg.LinAlgError:
                return np.nan

        # the same patients after an extra independent censoring (some before the landmark)
        censor = censoring.uniform(0.0, EARLY_CENSORING, len(time_))
        time_c, event_c = np.minimum(time_, censor), np.where(time_ <= censor, event, 0)
        marker = values.to_numpy(dtype=float)
        early = marker[(event_c == 1) & (time_c <= LANDMARK)]
        late = marker[time_c > LANDMARK]
        landmark_c = roc.best_cutoff(early, late, "<", "youden").value if len(early) and len(late) else np.nan
        ipcw_c = CUTOFFS["ipcw_youden"].function(
            SplitInputs(marker, time_c, event_c, LANDMARK, np.nan, np.nan)
        )

        key = name.lower()
        row |= {
            f"{key}_mirna": mirna,
            f"{key}_p_maxstat_cutoff": naive(float(split.cutoff.get("maxstat_cutoff", np.nan))),
            f"{key}_p_landmark_cutoff": split.km[0].get("logrank_p", np.nan),
            f"{key}_p_ipcw_cutoff": naive(
                CUTOFFS["ipcw_youden"].function(
                    SplitInputs(values.to_numpy(dtype=float), time_, event, LANDMARK, np.nan, np.nan)
                )
            ),
            f"{key}_p_median_cutoff": naive(float(np.median(values))),
            f"{key}_p_landmark_cutoff_censored": naive_censored(landmark_c, time_c, event_c),
            f"{key}_p_ipcw_cutoff_censored": naive_censored(ipcw_c, time_c, event_c),
            f"{key}_p_lau94": split.maxstat_p,
            f"{key}_p_permutation": split.maxstat_p_permutation,
        }
    return row


def analyse_panel(transformed: pd.DataFrame, labels: pd.Series, task: Task, rng) -> dict[str, Any]:
    """Firth panel of 3 random miRNAs: cross-validated and apparent AUC."""
    markers = [str(m) for m in rng.choice(transformed.index, N_PANEL_MARKERS, replace=False)]
    x = transformed.loc[markers, labels.index].T
    y = (labels == CASE).astype(int)
    seed = int(rng.integers(2**31 - 1))
    try:
        result = cross_validated_panel(x, y, task.n_folds, task.n_repeats, seed)
    except Exception as error:  # a failed fit is counted, not fatal
        return {
            "panel_markers": ";".join(markers),
            "panel_not_fitted": 1.0,
            "panel_error": f"{type(error).__name__}: {error}",
        }
    return {
        "panel_markers": ";".join(markers),
        "panel_not_fitted": 0.0,
        "panel_auc_cv": float(result.auc_per_repeat.mean()),
        "panel_auc_apparent": result.auc_apparent,
        "panel_optimism": result.auc_apparent - float(result.auc_per_repeat.mean()),
    }


def analyse_roc(normalised: pd.DataFrame, labels: pd.Series, rng) -> dict[str, Any]:
    """DeLong 95% CI of one random miRNA's AUC: does it cover 0.5?"""
    mirna = str(rng.choice(normalised.index))
    row = normalised.loc[mirna, labels.index].to_numpy(dtype=float)
    cases, controls = row[(labels == CASE).to_numpy()], row[(labels == CONTROL).to_numpy()]
    out: dict[str, Any] = {"roc_mirna": mirna}
    if np.ptp(row) == 0:
        return out
    way = roc.direction(cases, controls)
    for key, direction in (("auto", way), ("fixed", "<")):
        low, high = roc.delong_ci(cases, controls, direction)
        out[f"roc_auc_{key}"] = roc.auc(cases, controls, direction)
        out[f"roc_covers_{key}"] = float(low <= 0.5 <= high)
    return out


def analyse_cohort(task: Task) -> dict[str, Any]:
    """Simulate one null cohort and measure every statistic on it."""
    with _quiet():
        return _analyse_cohort(task)


def _analyse_cohort(task: Task) -> dict[str, Any]:
    simulator_seed, rng = cohort_seeds(task.master_seed, task.n_cases, task.n_controls, task.index)
    cohort = simulate_demo.simulate_cohort(
        mirnome(), task.n_cases, task.n_controls, n_hemolysed=0, seed=simulator_seed, null=True
    )
    sheet = cohort.samples.set_index("sample")
    labels = pd.Series(np.where(sheet["group"] == "NEC", CASE, CONTROL), index=sheet.index)
    counts = cohort.umis
    kept, _ = filter_mirnas(counts, labels, MIN_COUNT, MIN_FRACTION)
    factors, _ = size_factors(kept, "deseq2", counts.sum())
    normalised = normalise(kept, factors)
    transformed = transform(normalised, "log2")
    cases = labels.index[labels == CASE]
    row: dict[str, Any] = {
        "cases": task.n_cases,
        "controls": task.n_controls,
        "cohort": task.index,
        "simulator_seed": simulator_seed,
        "n_mirnas_kept": len(kept),
    }
    row |= analyse_deseq2(kept, labels)
    row |= analyse_prognosis(sheet, normalised, cases, task, rng)
    row |= analyse_panel(transformed, labels, task, rng)
    row |= analyse_roc(normalised, labels, rng)
    return row


# (section, metric, per-cohort column, kind, target) of the summary table.
METRICS = [
    ("DESeq2", "any discovery, padj < 0.05 (FWER)", "de_any", "proportion", "<= 0.05"),
    ("DESeq2", "mean false discovery proportion", "de_fdp", "proportion", "<= 0.05"),
    ("DESeq2", "any candidate (padj < 0.05, abs(LFC) >= 1)", "de_any_candidate", "proportion", "<= 0.05"),
    ("DESeq2", "mean false discoveries per cohort", "de_n_discoveries", "count", "small"),
    ("DESeq2", "per-miRNA Wald p < 0.05 (mean fraction)", "de_wald_fraction", "proportion", "0.05"),
    *[
        (f"Prognosis {name}", metric, f"{name.lower()}_{column}", "proportion", target)
        for name in ENDPOINTS
        for metric, column, target in [
            ("naive log-rank p < 0.05, maxstat cut-off", "p_maxstat_cutoff", "0.05 (inflated)"),
            ("naive log-rank p < 0.05, landmark ROC cut-off", "p_landmark_cutoff", "0.05 (inflated)"),
            ("naive log-rank p < 0.05, IPCW Youden cut-off", "p_ipcw_cutoff", "0.05 (inflated)"),
            ("naive log-rank p < 0.05, median cut-off", "p_median_cutoff", "0.05"),
            (
                "early censoring: naive log-rank p < 0.05, landmark ROC cut-off",
                "p_landmark_cutoff_censored",
                "0.05 (inflated)",
            ),
            (
                "early censoring: naive log-rank p < 0.05, IPCW Youden cut-off",
                "p_ipcw_cutoff_censored",
                "0.05 (inflated)",
            ),
            ("Lau94 corrected p < 0.05", "p_lau94", "<= 0.05"),
            ("permutation corrected p < 0.05", "p_permutation", "0.05"),
        ]
    ],
    *[
        ("Panel (3 null miRNAs)", metric, column, kind, target)
        for metric, column, kind, target in [
            ("cross-validated AUC, mean", "panel_auc_cv", "auc", "0.5"),
            ("apparent AUC, mean", "panel_auc_apparent", "auc", "> 0.5 (optimistic)"),
            ("optimism (apparent - CV AUC), mean", "panel_optimism", "difference", "> 0"),
            ("not fitted (PanelNotFitted or error)", "panel_not_fitted", "proportion", "0"),
        ]
    ],
    *[
        ("ROC (1 null miRNA)", metric, column, kind, target)
        for metric, column, kind, target in [
            ("DeLong 95% CI covers 0.5, direction auto", "roc_covers_auto", "proportion", "0.95"),
            ("DeLong 95% CI covers 0.5, direction fixed '<'", "roc_covers_fixed", "proportion", "0.95"),
            ("AUC, direction auto, mean", "roc_auc_auto", "auc", "0.5"),
        ]
    ],
]


def summarise(cohorts: pd.DataFrame) -> pd.DataFrame:
    """One row per size x metric: estimate and Monte Carlo SE over the cohorts.

    Proportions of p < 0.05 are over cohorts where the p is defined; the SE of a mean is the
    cohorts' SD / sqrt(n) (for a proportion sqrt(p (1 - p) / n)).
    """
    rows = []
    for (n_cases, n_controls), group in cohorts.groupby(["cases", "controls"], sort=False):
        for section, metric, column, kind, target in METRICS:
            values = pd.to_numeric(group.get(column, pd.Series(dtype=float)), errors="coerce")
            if column.split("_", 1)[1].startswith("p_"):
                values = (values < ALPHA).astype(float).where(values.notna())
            values = values.dropna()
            n = len(values)
            estimate = float(values.mean()) if n else np.nan
            se = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
            rows.append(
                {
                    "cases": n_cases,
                    "controls": n_controls,
                    "section": section,
                    "metric": metric,
                    "kind": kind,
                    "n_cohorts": n,
                    "estimate": estimate,
                    "mc_se": se,
                    "target": target,
                }
            )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def markdown_table(summary: pd.DataFrame) -> str:
    """The summary as one markdown table: a row per metric, a column per cohort size."""
    sizes = summary[["cases", "controls"]].drop_duplicates().itertuples(index=False)
    sizes = list(sizes)
    header = ["section", "metric", "target"] + [f"{c} cases + {k} controls (n cohorts)" for c, k in sizes]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (section, metric), rows in summary.groupby(["section", "metric"], sort=False):
        cells = [section, metric, str(rows["target"].iloc[0])]
        for c, k in sizes:
            match = rows[(rows["cases"] == c) & (rows["controls"] == k)]
            if match.empty or match["n_cohorts"].iloc[0] == 0:
                cells.append("NA")
                continue
            r = match.iloc[0]
            digits = 2 if r["kind"] == "count" else 3
            se = "NA" if np.isnan(r["mc_se"]) else f"{r['mc_se']:.{digits}f}"
            cells.append(f"{r['estimate']:.{digits}f} ± {se} ({int(r['n_cohorts'])})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``18:20,100:100`` -> [(18, 20), (100, 100)] (cases:controls)."""
    sizes = []
    for item in text.split(","):
        cases, _, controls = item.strip().partition(":")
        if not (cases.isdigit() and controls.isdigit()) or int(cases) < 2 or int(controls) < 2:
            raise argparse.ArgumentTypeError(f"size {item!r}: expected CASES:CONTROLS, each >= 2")
        sizes.append((int(cases), int(controls)))
    return sizes


def parse_counts(text: str, n_sizes: int) -> list[int]:
    """``--n-cohorts`` as one number for every size or a comma list, one per size."""
    counts = [int(v) for v in str(text).split(",")]
    if len(counts) == 1:
        counts *= n_sizes
    if len(counts) != n_sizes or min(counts) < 1:
        raise SystemExit(f"--n-cohorts {text!r}: give one number >= 1 or one per size ({n_sizes})")
    return counts


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(
        prog="tools/calibrate_null.py",
        description="Null calibration study of mirflow's statistics on SIMULATED null cohorts.",
    )
    parser.add_argument(
        "--n-cohorts",
        default="200",
        help="cohorts per size: one number, or a comma list with one per size (default 200)",
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes("18:20,100:100"), help="CASES:CONTROLS,..."
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"master seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="summary TSV; .md and _cohorts.tsv beside it"
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--n-permutations", type=int, default=999, help="permutations of the maxstat p")
    parser.add_argument("--n-folds", type=int, default=5, help="panel CV folds")
    parser.add_argument("--n-repeats", type=int, default=5, help="panel CV repeats")
    args = parser.parse_args(argv)
    n_cohorts = parse_counts(args.n_cohorts, len(args.sizes))
    command = shlex.join(["tools/calibrate_null.py", *(sys.argv[1:] if argv is None else argv)])
    print(f"command: {command}", file=sys.stderr)
    print(f"master seed: {args.seed}", file=sys.stderr)

    tasks = [
        Task(cases, controls, i, args.seed, args.n_permutations, args.n_folds, args.n_repeats)
        for (cases, controls), n in zip(args.sizes, n_cohorts, strict=True)
        for i in range(n)
    ]
    start = time.monotonic()
    rows = []
    with multiprocessing.get_context("spawn").Pool(args.jobs) if args.jobs > 1 else _Serial() as pool:
        for done, row in enumerate(pool.imap_unordered(analyse_cohort, tasks), start=1):
            rows.append(row)
            if done % 10 == 0 or done == len(tasks):
                elapsed = time.monotonic() - start
                print(
                    f"[calibrate] {done}/{len(tasks)} cohorts, {elapsed / 60:.1f} min,"
                    f" about {elapsed / done * (len(tasks) - done) / 60:.1f} min left",
                    file=sys.stderr,
                    flush=True,
                )
    minutes = (time.monotonic() - start) / 60
    order = {size: k for k, size in enumerate(args.sizes)}
    cohorts = pd.DataFrame(rows)
    size_order = [order[size] for size in zip(cohorts["cases"], cohorts["controls"], strict=True)]
    cohorts = (
        cohorts.assign(_order=size_order)
        .sort_values(["_order", "cohort"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    summary = summarise(cohorts)
    table = markdown_table(summary)

    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out, sep="\t", index=False, na_rep="NA", lineterminator="\n")
    cohorts.to_csv(
        out.with_name(out.stem + "_cohorts.tsv"), sep="\t", index=False, na_rep="NA", lineterminator="\n"
    )
    sizes = ", ".join(f"{c}:{k} x {n}" for (c, k), n in zip(args.sizes, n_cohorts, strict=True))
    note = (
        f"Null calibration study (SIMULATED null cohorts), {sizes} cohorts; master seed {args.seed};"
        f" {args.n_permutations} permutations, panel CV {args.n_folds} folds x {args.n_repeats} repeats.\n"
        f"Command: `{command}`; run time {minutes:.1f} min with {args.jobs} job(s);"
        f" code {code_version()}.\n"
        "Cells: estimate ± Monte Carlo SE (number of cohorts where defined).\n"
    )
    out.with_suffix(".md").write_text(note + "\n" + table + "\n", encoding="utf-8")
    print(note + "\n" + table)
    print(f"[calibrate] wrote {out}, {out.with_suffix('.md')}, {out.stem}_cohorts.tsv", file=sys.stderr)
    return summary


def code_version() -> str:
    """``git describe --always --dirty`` of the repository (which library code ran)."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return result.stdout.strip()


class _Serial:
    """A Pool stand-in for --jobs 1 (no extra process)."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    @staticmethod
    def imap_unordered(function, items):
        return map(function, items)


if __name__ == "__main__":
    main()
