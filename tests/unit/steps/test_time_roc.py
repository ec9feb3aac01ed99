"""mirflow.steps.time_roc and steps.time_roc_figures on a small cohort written to files: the
four tables (AUC(t), Uno's C and Brier, cumulative incidence, Gray's test) with their columns
and values as the analyses compute them, the panel's linear predictor from panel_model.tsv, the
competing event's note, and one figure per endpoint drawn from the table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses import time_roc as accuracy
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import EndpointSettings
from mirflow.stats import time_roc as ipcw
from mirflow.steps.time_roc import run_time_roc
from mirflow.steps.time_roc_figures import run_time_roc_figures

N_CASES, N_CONTROLS = 30, 10


def _inputs(tmp_path, with_panel: bool = True) -> dict[str, str]:
    """30 patients (two endpoints, a competing event for OS) and 10 donors, two markers."""
    rng = np.random.default_rng(8)
    samples = [f"P{i:02d}" for i in range(N_CASES)] + [f"H{i:02d}" for i in range(N_CONTROLS)]
    marker = rng.normal(size=N_CASES + N_CONTROLS)
    time = np.round(rng.exponential(12 * np.exp(-0.7 * marker[:N_CASES])), 1) + 0.5
    censor = np.round(rng.uniform(3, 40, N_CASES), 1)
    event = (time <= censor).astype(float)
    death = np.where(event == 0, rng.integers(0, 2, N_CASES), 0).astype(float)
    nan = [np.nan] * N_CONTROLS
    sheet = pd.DataFrame(
        {
            "sample": samples,
            "group": ["NEC"] * N_CASES + ["healthy"] * N_CONTROLS,
            "sex": rng.choice(["F", "M"], N_CASES + N_CONTROLS),
            "pfs": np.r_[np.minimum(time, censor), nan],
            "pfs_event": np.r_[event, nan],
            "os": np.r_[np.minimum(time, censor) + 2, nan],
            "os_event": np.r_[event, nan],
            "death": np.r_[death, nan],
        }
    )
    values = pd.DataFrame(
        [np.exp(5 + marker), rng.lognormal(5, 1, N_CASES + N_CONTROLS)],
        index=["miR-a", "miR-b"],
        columns=samples,
    )
    group = np.where(sheet["group"] == "NEC", "case", "control")
    paths = {
        name: str(tmp_path / f"{name}.tsv") for name in ("samples", "normalised", "transformed", "markers")
    }
    paths |= {name: str(tmp_path / f"{name}.tsv") for name in ("covariates", "cutoffs", "panel_model")}
    write_tsv(sheet, paths["samples"])
    write_tsv(values, paths["normalised"], index_label="mirna")
    write_tsv(np.log2(values + 1), paths["transformed"], index_label="mirna")
    write_tsv(pd.DataFrame({"mirna": values.index}), paths["markers"])
    write_tsv(pd.DataFrame({"sample": samples, "age": 0.0, "group": group}), paths["covariates"])
    cutoffs = pd.DataFrame(
        {
            "endpoint": ["PFS", "PFS", "OS", "OS"],
            "mirna": ["miR-a", "miR-b", "miR-a", "miR-b"],
            "cutoff": [float(np.exp(5)), np.nan, float(np.exp(5)), np.nan],
            "reason": ["", "no cut-off: none", "", "no cut-off: none"],
        }
    )
    write_tsv(cutoffs, paths["cutoffs"])
    model = pd.DataFrame(
        {
            "term": ["(Intercept)", "miR-a", "miR-b"],
            "coefficient": [-3.0, 0.8, -0.2],
            "kind": ["intercept", "marker", "marker"],
            "covariate": [np.nan] * 3,
            "level": [np.nan] * 3,
        }
    )
    write_tsv(model if with_panel else model.iloc[0:0], paths["panel_model"])
    return paths


ENDPOINTS = {
    "PFS": EndpointSettings("pfs", "pfs_event", 6.0),
    "OS": EndpointSettings("os", "os_event", 8.0, competing_event="death"),
}


def _run(tmp_path, adjust_for=(), with_panel=True) -> dict[str, pd.DataFrame]:
    paths = _inputs(tmp_path, with_panel)
    names = ("time_roc", "concordance", "ci", "gray", "baseline")
    outs = {name: str(tmp_path / f"out_{name}.tsv") for name in names}
    run_time_roc(
        "cases",
        ENDPOINTS,
        adjust_for,
        5,
        paths["samples"],
        paths["normalised"],
        paths["transformed"],
        paths["markers"],
        paths["covariates"],
        paths["cutoffs"],
        paths["panel_model"],
        outs["time_roc"],
        outs["concordance"],
        outs["ci"],
        outs["gray"],
        outs["baseline"],
    )
    return {name: read_tsv(path) for name, path in outs.items()} | {"paths": paths}


def _endpoint_arrays(tmp_path, time: str, event: str) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    sheet = read_tsv(tmp_path / "samples.tsv").set_index("sample").iloc[:N_CASES]
    return sheet[time].to_numpy(float), sheet[event].to_numpy(float), sheet


def test_the_tables_and_their_columns(tmp_path):
    tables = _run(tmp_path)
    assert tables["time_roc"].columns.tolist() == accuracy.TIME_ROC_COLUMNS
    assert tables["concordance"].columns.tolist() == accuracy.CONCORDANCE_COLUMNS
    assert tables["ci"].columns.tolist() == accuracy.CUMULATIVE_INCIDENCE_COLUMNS
    assert tables["gray"].columns.tolist() == accuracy.GRAY_COLUMNS
    assert tables["baseline"].columns.tolist() == accuracy.BASELINE_COLUMNS
    spec = [
        "endpoint",
        "mirna",
        "time",
        "auc",
        "auc_ci_low",
        "auc_ci_high",
        "n_cases",
        "n_controls",
        "reason",
    ]
    assert tables["time_roc"].columns[: len(spec)].tolist() == spec
    spec = ["endpoint", "model", "uno_c", "ci_low", "ci_high", "tau", "brier", "brier_reference", "time"]
    assert set(spec) <= set(tables["concordance"].columns)
    roc = tables["time_roc"]
    assert set(roc["mirna"]) == {"miR-a", "miR-b", "panel"}
    assert roc.groupby(["endpoint", "mirna"])["landmark"].sum().eq(1).all()


def test_auc_t_equals_the_stats_function_on_the_patients(tmp_path):
    tables = _run(tmp_path)
    time, event, _ = _endpoint_arrays(tmp_path, "pfs", "pfs_event")
    values = read_tsv(tmp_path / "normalised.tsv", index_col="mirna").iloc[:, :N_CASES]
    rows = tables["time_roc"]
    for row in rows[(rows["endpoint"] == "PFS") & (rows["mirna"] == "miR-a")].itertuples():
        expected = ipcw.time_auc(time, event, values.loc["miR-a"].to_numpy(), row.time)
        assert row.auc == pytest.approx(expected.auc, abs=1e-15) and row.se == pytest.approx(
            expected.se, abs=1e-15
        )
    grid = accuracy.time_grid(time, event, 5)
    assert sorted(rows.loc[(rows["endpoint"] == "PFS") & (rows["mirna"] == "miR-a"), "time"]) == sorted(
        np.union1d(grid, [6.0])
    )


def test_the_panel_is_its_linear_predictor_with_the_locked_coefficients(tmp_path):
    tables = _run(tmp_path)
    time, event, _ = _endpoint_arrays(tmp_path, "pfs", "pfs_event")
    transformed = read_tsv(tmp_path / "transformed.tsv", index_col="mirna").iloc[:, :N_CASES]
    lp = -3.0 + 0.8 * transformed.loc["miR-a"] - 0.2 * transformed.loc["miR-b"]
    rows = tables["time_roc"]
    landmark = rows[(rows["endpoint"] == "PFS") & (rows["mirna"] == "panel") & rows["landmark"]].iloc[0]
    assert landmark["auc"] == pytest.approx(ipcw.time_auc(time, event, lp.to_numpy(), 6.0).auc, abs=1e-15)
    panel = tables["concordance"].set_index(["endpoint", "mirna"]).loc[("PFS", "panel")]
    assert panel["model"] == "univariable" and panel["n"] == N_CASES
    (tmp_path / "none").mkdir()
    without = _run(tmp_path / "none", with_panel=False)
    assert "panel" not in set(without["time_roc"]["mirna"]) | set(without["concordance"]["mirna"])


def test_concordance_rows_per_marker_and_model(tmp_path):
    tables = _run(tmp_path, adjust_for=("sex",))
    rows = tables["concordance"]
    assert rows.groupby("endpoint").size().to_dict() == {"OS": 5, "PFS": 5}  # 2 markers x 2 models + panel
    adjusted = rows[rows["model"] == "adjusted"]
    assert (adjusted["adjusted_for"] == "sex").all() and adjusted["uno_c"].notna().all()
    time, event, _ = _endpoint_arrays(tmp_path, "pfs", "pfs_event")
    first = rows[
        (rows["endpoint"] == "PFS") & (rows["mirna"] == "miR-a") & (rows["model"] == "univariable")
    ].iloc[0]
    assert first["tau"] == accuracy.time_grid(time, event, 5)[-1] and first["time"] == 6.0
    assert first["brier_reference"] == pytest.approx(ipcw.null_brier_score(time, event, 6.0).brier, abs=1e-15)
    assert first["ipa"] == pytest.approx(1 - first["brier"] / first["brier_reference"])


def test_the_competing_event_gives_incidence_gray_and_notes(tmp_path):
    tables = _run(tmp_path)
    ci, gray = tables["ci"], tables["gray"]
    assert set(ci["endpoint"]) == {"OS"} and set(ci["mirna"]) == {"miR-a"}
    assert set(ci["stratum"]) == {"low", "high"}
    gray = gray.set_index("mirna")
    assert gray.loc["miR-b", "reason"].startswith("no cut-off")
    time, event, sheet = _endpoint_arrays(tmp_path, "os", "os_event")
    status = np.where(event == 1, 1, np.where(sheet["death"] == 1, 2, 0))
    high = read_tsv(tmp_path / "normalised.tsv", index_col="mirna").loc["miR-a"].iloc[:N_CASES] >= np.exp(5)
    expected = ipcw.gray_test(time, status, high.to_numpy().astype(int))
    assert gray.loc["miR-a", "p_value"] == pytest.approx(expected.p_value, abs=1e-15)
    assert gray.loc["miR-a", "competing_events"] == int((status == 2).sum())
    notes = tables["time_roc"].groupby("endpoint")["note"].first()
    assert "competing event 'death' counted as censoring" in notes["OS"] and pd.isna(notes["PFS"])
    assert tables["concordance"].groupby("endpoint")["note"].first().notna().tolist() == [True, False]


def test_one_figure_per_endpoint_from_the_table(tmp_path):
    tables = _run(tmp_path)
    figures = {
        f"prog_time_roc_{name}": (str(tmp_path / f"{name}.png"), str(tmp_path / f"{name}.pdf"))
        for name in ENDPOINTS
    }
    path = tmp_path / "out_time_roc.tsv"
    assert not tables["time_roc"].empty
    run_time_roc_figures(str(path), figures)
    for png, pdf in figures.values():
        assert (tmp_path / png).stat().st_size > 0 and (tmp_path / pdf).stat().st_size > 0


def test_an_endpoint_without_events_gives_reasons_not_an_error(tmp_path):
    paths = _inputs(tmp_path)
    sheet = read_tsv(paths["samples"])
    sheet.loc[sheet["group"] == "NEC", ["pfs_event", "os_event"]] = 0.0
    write_tsv(sheet, paths["samples"])
    outs = [str(tmp_path / f"out_{name}.tsv") for name in ("time_roc", "concordance", "ci", "gray", "cox")]
    run_time_roc(
        "cases",
        ENDPOINTS,
        (),
        5,
        *(paths[k] for k in ("samples", "normalised", "transformed")),
        *(paths[k] for k in ("markers", "covariates", "cutoffs", "panel_model")),
        *outs,
    )
    roc, concordance = read_tsv(outs[0]), read_tsv(outs[1])
    assert roc["auc"].isna().all() and roc["reason"].str.contains("no PFS events|no OS events").all()
    assert (roc.groupby(["endpoint", "mirna"]).size() == 1).all()  # no grid without events
    assert concordance["uno_c"].isna().all() and concordance["reason"].str.contains("events").all()
    assert read_tsv(outs[3])["p_value"].isna().all()
    assert read_tsv(outs[4]).empty  # no Cox model to lock
