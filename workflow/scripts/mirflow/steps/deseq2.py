"""Step of rule deseq2: the DESeq2 Wald tests, unadjusted and covariate-adjusted."""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
from threadpoolctl import threadpool_limits

from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import deseq2, deseq2_design
from mirflow.steps.job import end_with_parent

log = logging.getLogger(__name__)


def run_deseq2(
    alpha: float,
    samples_path: str,
    raw_path: str,
    normalised_path: str,
    covariates_path: str,
    out_adjusted: str,
    out_unadjusted: str,
    threads: int = 1,
) -> None:
    """DESeq2 Wald tests: ``~ contrast`` and, with covariates, ``~ covariates + contrast``.

    Without covariates both files hold the one ``~ contrast`` fit. ``samples_path``
    only names the sheet in the message about a confounded design.
    """
    covariates, labels = read_design(covariates_path)
    kept = read_tsv(normalised_path, index_col="mirna").index
    counts = read_tsv(raw_path, index_col="mirna").loc[kept]
    frame, formula, _ = deseq2_design.design_frame(labels, None)
    log.info(
        "DESeq2 %s on %d miRNAs x %d samples", deseq2_design.design_label({}), *counts[frame.index].shape
    )
    designs = [(frame, formula)]
    if covariates.shape[1]:
        frame, formula, names = deseq2_design.design_frame(labels, covariates)
        deseq2_design.check_full_rank(frame, formula, names, samples_path)
        log.info("DESeq2 %s on %d samples", deseq2_design.design_label(names), len(frame))
        designs.append((frame, formula))
    fits = _fits(counts, designs, alpha, threads)
    unadjusted, adjusted = fits[0], fits[-1]  # one fit without covariates
    for name, table in (("unadjusted", unadjusted), ("adjusted", adjusted)):
        log.info("%s fit: %d miRNAs with padj < %g", name, int((table["p_adjusted"] < alpha).sum()), alpha)
    write_tsv(adjusted, out_adjusted)
    write_tsv(unadjusted, out_unadjusted)


def _fits(
    counts: pd.DataFrame, designs: list[tuple[pd.DataFrame, str]], alpha: float, threads: int
) -> list[pd.DataFrame]:
    """The DESeq2 fit of each (design frame, formula).

    Two fits of a table small enough for one process each (:func:`deseq2.processes`) run
    side by side when the rule has two threads: in forked processes with one BLAS thread
    each. The fits are independent, so the results are the same as one after the other
    (the --cores 1 run of tests/test_workflow.py fits them in turn).
    """
    n_counts = counts.shape[0] * len(designs[0][0])
    if len(designs) < 2 or threads < 2 or deseq2.processes(n_counts, threads) > 1:
        return [deseq2.run_deseq2(counts, frame, formula, alpha, threads) for frame, formula in designs]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(designs), mp_context=context, initializer=_one_blas_thread) as pool:
        futures = [
            pool.submit(deseq2.run_deseq2, counts, frame, formula, alpha) for frame, formula in designs
        ]
        return [future.result() for future in futures]


def _one_blas_thread() -> None:
    """A fit process's numerical libraries use one thread (the fits share the cores), and
    it ends with the job's process (Linux): a killed job leaves no fit behind."""
    threadpool_limits(1)
    end_with_parent()
