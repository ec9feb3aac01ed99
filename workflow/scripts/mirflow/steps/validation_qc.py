"""Step of rule validation_qc: the discovery's sample QC (:func:`mirflow.steps.qc.run_qc`)
on the validation cohort, with the LOCKED thresholds and contrast."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.steps.lock import read_model
from mirflow.steps.qc import run_qc, run_qc_figures
from mirflow.steps.validation import model_contrast, model_qc


def run_validation_qc(
    exclude: Mapping[str, str],
    model_path: str,
    samples_path: str,
    counts_path: str,
    out_samples: str,
    out_pca: str,
    fig_qc: Sequence[str],
    fig_pca: Sequence[str],
) -> None:
    """QC metrics, exclusions (locked thresholds; ``exclude``: validation.exclude), PCA and
    their figures for the validation cohort."""
    model = read_model(model_path)
    settings, contrast = model_qc(model, exclude), model_contrast(model)
    is_counts = model["counts"]["kind"] == "counts"
    run_qc(settings, contrast, is_counts, samples_path, counts_path, out_samples)
    run_qc_figures(
        settings, contrast, is_counts, samples_path, counts_path, out_samples, out_pca, fig_qc, fig_pca
    )
