"""mirflow.targets: the files a run makes, by what the run does (discovery with counts or
expression values, endpoints or none, validation or none)."""

from __future__ import annotations

from mirflow import targets


def test_counts_fit_deseq2_and_expression_values_the_wilcoxon_test():
    assert targets.de_fits(True) == {
        "adjusted": "results/de/deseq2.tsv",
        "unadjusted": "results/de/deseq2_unadjusted.tsv",
    }
    assert targets.de_fits(False) == {"wilcoxon": "results/de/wilcoxon.tsv"}
    assert set(targets.de_figures(True)) >= {"de_volcano_adjusted", "de_ma_unadjusted", "de_heatmap"}
    assert set(targets.de_figures(False)) == {"de_volcano_wilcoxon", "de_heatmap", "de_boxplots"}
    assert not set(targets.DESEQ2) & set(targets.discovery_tables(False, ["OS"]))
    assert set(targets.DESEQ2) <= set(targets.discovery_tables(True, ["OS"]))


def test_endpoints_give_the_prognostic_tables_and_two_figures_each():
    assert targets.prognostic_tables([]) == [] and targets.prognostic_figures([]) == []
    assert "results/prognostic/km.tsv" in targets.discovery_tables(True, ["OS"])
    assert targets.prognostic_figures(["OS", "PFS"]) == [
        "prog_km_OS",
        "prog_landmark_roc_OS",
        "prog_km_PFS",
        "prog_landmark_roc_PFS",
    ]
    assert targets.validation_figures(["DFS"])[-1] == "val_km_DFS"


def test_final_output_holds_every_table_and_figure_once():
    output = targets.final_output(True, True, ["PFS", "OS"], ["PFS", "OS"])
    assert len(output) == len(set(output))
    assert set(targets.result_tables(True, True, ["PFS", "OS"], True)) <= set(output)
    assert set(targets.VALIDATION_TABLES) <= set(output) and targets.LOCK in output
    for name in [*targets.discovery_figures(True, ["PFS", "OS"]), *targets.validation_figures(["PFS", "OS"])]:
        assert {f"results/figures/{name}.{ext}" for ext in targets.FORMATS} <= set(output), name
    assert targets.OVERVIEW in output and output[-1] == targets.PROVENANCE
    # every discovery run plans the validation of its lock
    assert set(targets.PLAN_TABLES) <= set(output) and targets.CUTOFF_BOOTSTRAP in output


def test_a_validation_only_run_makes_only_the_validation_files():
    output = targets.final_output(False, False, [], ["OS"])
    # and its reporting checklist (STARD 2015 / TRIPOD+AI) with the participant flow
    tables = [*targets.VALIDATION_TABLES, *targets.REPORTING_TABLES]
    assert targets.result_tables(False, False, [], True) == tables
    assert set(tables) <= set(output) and "results/figures/report_flow.png" in output
    assert not [path for path in output if path.startswith(("results/de/", "results/diagnostic/"))]
    assert not [path for path in output if path.startswith("results/plan/")]
    assert targets.LOCK not in output and targets.OVERVIEW not in output
    assert output[-1] == targets.PROVENANCE


def test_a_discovery_only_run_makes_no_validation_file():
    output = targets.final_output(True, True, [], None, formats=("png",))
    assert not [path for path in output if "validation" in path or "/val_" in path]
    assert "results/figures/qc_pca.png" in output and "results/figures/qc_pca.pdf" not in output


def test_endpoints_give_the_time_dependent_tables_and_an_auc_figure_each():
    tables = targets.discovery_tables(True, ["OS"])
    for name in ("time_roc", "concordance", "cumulative_incidence", "gray"):
        assert f"results/prognostic/{name}.tsv" in tables
    assert targets.time_roc_figures(["OS", "PFS"]) == ["prog_time_roc_OS", "prog_time_roc_PFS"]
    assert "prog_time_roc_OS" in targets.discovery_figures(True, ["OS"])
    assert not targets.time_roc_figures([]) and "results/prognostic/gray.tsv" not in targets.discovery_tables(
        True, []
    )
    assert {"results/validation/time_roc.tsv", "results/validation/concordance.tsv"} <= set(
        targets.VALIDATION_TABLES
    )
    views = {table.path for table in targets.report_tables(True, True, ["OS"], True)}
    assert {"results/prognostic/time_roc.tsv", "results/validation/concordance.tsv"} <= views


def test_stale_results_are_the_files_present_that_this_run_does_not_make():
    made = targets.final_output(True, True, ["OS"], None)
    present = [*made[:3], "results/prognostic/km_PFS.tsv", "results/figures/val_km_OS.png"]
    assert targets.stale(present, made) == ["results/figures/val_km_OS.png", "results/prognostic/km_PFS.tsv"]
    assert targets.stale(made, made) == []
