"""The benchmark tool (tools/benchmark.py): reading the rule logs' figures, the Markdown
tables, sizes and input formats. No timing is asserted: speed targets are printed, not tested."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import benchmark
import pytest
import yaml
from conftest import ROOT

from mirflow import targets
from mirflow.steps.runner import run


def _log(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def test_rule_figure_reads_the_runners_line(tmp_path):
    log = tmp_path / "qc.log"
    run(lambda: None, str(log))
    figure = benchmark.rule_figure(log)
    assert figure is not None and figure.rule == "qc"
    assert figure.seconds > 0 and figure.cpu is not None and figure.peak_mb > 0


def test_rule_figures_in_finishing_order_last_line_wins(tmp_path):
    _log(
        tmp_path / "normalise.log",
        "2026-11-30 10:00:05,100 INFO mirflow.steps.normalise: size factors",
        "2026-11-30 10:00:09,200 INFO mirflow: done in 7.5 s (since process start), CPU 6.9 s, "
        "peak memory 812 MB",
    )
    _log(
        tmp_path / "import_counts.log",
        "2026-11-30 10:00:01,000 INFO mirflow: done in 1.0 s (since process start), peak memory 100 MB",
        "2026-11-30 10:00:03,000 INFO mirflow: done in 3.2 s (since process start), peak memory 250 MB",
    )
    _log(tmp_path / "deseq2.log", "2026-11-30 10:00:10,000 ERROR mirflow: input error: bad")
    figures = benchmark.rule_figures(tmp_path)
    assert [f.rule for f in figures] == ["import_counts", "normalise"]
    assert (figures[0].seconds, figures[0].cpu, figures[0].peak_mb) == (3.2, None, 250.0)
    assert (figures[1].cpu, figures[1].finished) == (6.9, datetime(2026, 11, 30, 10, 0, 9))


def test_markdown_table():
    at = datetime(2026, 1, 1)
    runs = [
        benchmark.Run(
            "demo (39)", "xlsx", 35.2, 60.0, 410.0, (benchmark.RuleFigure("qc", 3.24, 2.96, 300.0, at),)
        ),
        benchmark.Run(
            "16,000",
            "matrix",
            512.0,
            800.0,
            7300.0,
            (
                benchmark.RuleFigure("qc", 120.0, 101.0, 5000.0, at),
                benchmark.RuleFigure("roc", 9.0, None, 90.0, at),
            ),
        ),
    ]
    table = benchmark.markdown(runs, 2, "2 cores (AMD EPYC)").splitlines()
    assert table[0].startswith("Machine: 2 cores (AMD EPYC); `snakemake --cores 2`, cold runs.")
    assert table[2:] == [
        "| | demo (39) | 16,000 |",
        "|---|---|---|",
        "| input | xlsx | matrix |",
        "| qc | 3.2 s (CPU 3.0 s), 300 MB | 120 s (CPU 101 s), 4.9 GB |",
        "| roc | - | 9.0 s, 90 MB |",
        "| **end to end** | **35.2 s** (CPU 60.0 s) | **512 s** (CPU 800 s) |",
        "| **largest process** | **410 MB** | **7.1 GB** |",
    ]


def test_paired_summary_takes_the_median_of_the_pair_ratios():
    text = benchmark.paired_summary([(30.0, 50.0), (40.0, 60.0), (20.0, 30.0)], [(10.0, 10.0)] * 3, 2, "x")
    assert "| wall | 30.0 s | 10.0 s | **3.00** |" in text
    assert "| CPU | 50.0 s | 10.0 s | 5.00 |" in text
    assert "(discovery and validation)" in text
    subset = benchmark.paired_summary([(5.0, 8.0)], [(10.0, 10.0)], 2, "x", analysis_only=True)
    assert "(the tables the R script computes)" in subset and "**0.50**" in subset


def test_the_r_equivalent_targets_are_tables_the_workflow_makes():
    """Every target of --analysis-only is one of the workflow's declared tables (SPEC)."""
    assert set(benchmark.R_EQUIVALENT) <= set(targets.discovery_tables(True, ["OS"]))
    outputs = (ROOT / "docs/outputs.md").read_text()  # the documented outputs (once the README's)
    assert all(f"`{target}`" in outputs for target in benchmark.R_EQUIVALENT)


def test_sizes_and_input_formats():
    assert benchmark.parse_size("demo") is None
    assert benchmark.parse_size("5,000") == 5000
    assert benchmark.size_label(16000) == "16,000" and benchmark.size_label(None) == "demo (39)"
    with pytest.raises(Exception, match="at least 4"):
        benchmark.parse_size("3")
    assert benchmark.input_format(None, "auto") == "xlsx"
    assert benchmark.input_format(8192, "auto") == "matrix"
    assert benchmark.input_format(100, "matrix") == "matrix"
    with pytest.raises(SystemExit, match="at most 8,191"):
        benchmark.input_format(16000, "xlsx")


def test_cohort_and_config(tmp_path):
    from mirflow.io.counts import read_counts

    counts, samples = benchmark.write_cohort(6, tmp_path, "matrix", 1)
    table = read_counts([counts])
    assert table.shape[1] == 6 and table.index[0].startswith("hsa-")
    config = yaml.safe_load(benchmark.write_config(tmp_path, counts, samples, "matrix").read_text())
    assert config["counts"]["format"] == "matrix" and config["samples"] == str(samples)
    assert "validation" not in config and config["survival"]["endpoints"]
