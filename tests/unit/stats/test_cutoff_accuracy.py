"""mirflow.stats.cutoff_accuracy against R: likelihood ratios (epiR 2.0.57 ``epi.tests``),
McClish partial AUC (pROC 1.18.0 ``auc``), Youden cut-offs and their out-of-bag bootstrap
(cutpointr 1.1.2, on the resample indices it drew). Reference values and how they were made:
tests/fixtures/r/cutoff_accuracy/README.md. No R is needed here."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mirflow.stats import cutoff_accuracy as ca
from mirflow.stats import roc

R = Path(__file__).resolve().parents[2] / "fixtures" / "r"
HERE = R / "cutoff_accuracy"


def _tsv(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, sep="\t", na_values=["NA"], keep_default_na=False)


def _datasets() -> dict[str, pd.DataFrame]:
    sets = {"aSAH": pd.read_csv(R / "aSAH.csv")}
    for name in ("suicide", "birthwt", "pima_te", "tiny", "equal_medians"):
        sets[name] = pd.read_csv(HERE / f"{name}.csv")
    sets["suicide_female"] = sets["suicide"].query("gender == 'female'")
    sets["suicide_male"] = sets["suicide"].query("gender == 'male'")
    return sets


SETS = _datasets()


def _marker(dataset: str, marker: str) -> tuple[np.ndarray, np.ndarray]:
    frame = SETS[dataset]
    return frame[marker].to_numpy(dtype=float), frame["case"].to_numpy() == 1


def _split(dataset: str, marker: str) -> tuple[np.ndarray, np.ndarray]:
    values, case = _marker(dataset, marker)
    return values[case], values[~case]


# ---- likelihood ratios -------------------------------------------------------------------------------

LR_ROWS = list(_tsv("likelihood_ratios.tsv").itertuples())
LR_KEYS = ("lr_positive", "lr_negative")


@pytest.mark.parametrize("row", LR_ROWS, ids=lambda r: f"{r.table}+{r.correction}")
def test_likelihood_ratios_match_epir(row):
    # Same formula, same doubles: only rounding separates them. Tolerance 1e-12 relative
    # (measured 1.8e-15, the CI bounds of LRs near 800 included).
    result = ca.likelihood_ratios(row.tp, row.fp, row.tn, row.fn, correction=row.correction)
    for key in LR_KEYS:
        estimate = getattr(row, key)
        if math.isnan(estimate) or math.isinf(estimate) or estimate == 0:
            # 0/0, x/0 and 0/x: the same value as epiR (nan, Inf, 0), and no CI, with a reason
            assert result[key] == estimate or (math.isnan(result[key]) and math.isnan(estimate))
            assert math.isnan(result[f"{key}_ci_low"]) and math.isnan(result[f"{key}_ci_high"])
            assert result[f"{key}_reason"]
            continue
        assert result[key] == pytest.approx(estimate, rel=1e-12)
        low, high = getattr(row, f"{key}_ci_low"), getattr(row, f"{key}_ci_high")
        if low == high:
            # two empty cells give the log method a variance of 0: epiR reports the
            # zero-width interval (1, 1); we report no interval and say why
            assert math.isnan(result[f"{key}_ci_low"]) and "variance of 0" in result[f"{key}_reason"]
            continue
        assert result[f"{key}_ci_low"] == pytest.approx(low, rel=1e-12)
        assert result[f"{key}_ci_high"] == pytest.approx(high, rel=1e-12)
        assert result[f"{key}_reason"] == ""
    assert result["correction_applied"] == row.correction


def test_zero_cell_reasons_name_the_cell():
    infinite = ca.likelihood_ratios(tp=20, fp=0, tn=30, fn=5)
    assert infinite["lr_positive"] == math.inf and infinite["lr_positive_reason"].startswith("fp = 0")
    assert infinite["lr_negative_reason"] == ""
    nothing_positive = ca.likelihood_ratios(tp=0, fp=0, tn=40, fn=10)
    assert math.isnan(nothing_positive["lr_positive"]) and "0/0" in nothing_positive["lr_positive_reason"]


def test_correction_applies_only_to_tables_with_a_zero_cell():
    plain = ca.likelihood_ratios(45, 10, 90, 15)
    corrected = ca.likelihood_ratios(45, 10, 90, 15, correction=0.5)
    assert corrected == plain and plain["correction_applied"] == 0.0
    zero = ca.likelihood_ratios(20, 0, 30, 5, correction=0.5)
    # the exact CIs of sensitivity and specificity stay on the counts as given
    assert zero["specificity"] == 1.0 and zero["specificity_ci_high"] == 1.0
    assert zero["lr_positive"] == pytest.approx((20.5 / 26) / (0.5 / 31), rel=1e-12)  # cells + 0.5


def test_likelihood_ratio_level_uses_the_normal_quantile():
    # level 0.9: z = 1.6448536...; the log-scale half-width is z x SE, SE from Simel's formula
    result = ca.likelihood_ratios(45, 10, 90, 15, level=0.9)
    se = math.sqrt(1 / 45 - 1 / 60 + 1 / 10 - 1 / 100)
    half = stats.norm.ppf(0.95) * se
    assert math.log(result["lr_positive_ci_high"] / result["lr_positive"]) == pytest.approx(half, rel=1e-12)
    assert result["sensitivity"] == 0.75
    assert result["sensitivity_ci_low"] < 0.75 < result["sensitivity_ci_high"]


@pytest.mark.parametrize(
    "counts", [(0, 5, 25, 0), (20, 0, 0, 5), (-1, 5, 25, 20)], ids=["no cases", "no controls", "negative"]
)
def test_likelihood_ratios_reject_tables_without_both_groups(counts):
    with pytest.raises(ValueError):
        ca.likelihood_ratios(*counts)


# ---- partial AUC ---------------------------------------------------------------------------------------

PAUC = _tsv("partial_auc.tsv")


@pytest.mark.parametrize("key", sorted({(r.dataset, r.marker, r.way) for r in PAUC.itertuples()}), ids=str)
def test_partial_auc_matches_proc(key):
    # Same polyline, integrated piecewise (pROC: trapezoids plus interpolated ends): rounding
    # only. Tolerance 1e-9 as the brief asks (measured 2.2e-16 over the 360 values). nan =
    # pROC's NA (McClish's correction below the diagonal).
    dataset, marker, way = key
    cases, controls = _split(dataset, marker)
    rows = PAUC[(PAUC["dataset"] == dataset) & (PAUC["marker"] == marker) & (PAUC["way"] == way)]
    assert len(rows) == 20
    for row in rows.itertuples():
        value = ca.partial_auc(cases, controls, way, (row.lower, row.upper), row.focus, row.correct)
        label = f"{row.focus} {row.lower}-{row.upper} correct={row.correct}"
        if math.isnan(row.partial_auc):
            assert math.isnan(value), label
        else:
            assert value == pytest.approx(row.partial_auc, abs=1e-9), label


def test_partial_auc_reference_covers_the_edge_cases():
    # the fixture holds corrected values that are undefined (pROC NA) and ranges that hold no
    # ROC point (the tiny data set between 0.7 and 0.9), else these branches go untested
    assert PAUC["partial_auc"].isna().sum() >= 10
    tiny = PAUC.query("dataset == 'tiny' and lower == 0.7")
    assert tiny["partial_auc"].notna().all() and len(tiny) == 4


@pytest.mark.parametrize("dataset, marker", [("aSAH", "wfns"), ("suicide", "dsi"), ("pima_te", "bmi")])
def test_partial_auc_over_the_whole_range_is_the_auc(dataset, marker):
    # heavily tied markers: the polyline's area is the Mann-Whitney AUC (ties 1/2) to rounding
    cases, controls = _split(dataset, marker)
    expected = roc.auc(cases, controls, "<")
    for focus in ca.FOCUS:
        area = ca.partial_auc(cases, controls, "<", (0.0, 1.0), focus, correct=False)
        assert area == pytest.approx(expected, abs=1e-12)
        assert ca.partial_auc(cases, controls, "<", (0.0, 1.0), focus) == pytest.approx(expected, abs=1e-12)


def test_mcclish_scale():
    # the chance diagonal is 0.5 and a perfect test 1 over any range; below the diagonal nan
    for low, high in ((0.8, 1.0), (0.5, 0.9)):
        diagonal = ((1 - high) + (1 - low)) * (high - low) / 2
        assert ca.mcclish(diagonal, low, high) == pytest.approx(0.5, abs=1e-15)
        assert ca.mcclish(high - low, low, high) == pytest.approx(1.0, abs=1e-15)
        assert math.isnan(ca.mcclish(diagonal - 1e-6, low, high))
    perfect = ca.partial_auc(np.array([2.0, 3.0]), np.array([0.0, 1.0]), "<", (0.9, 1.0))
    assert perfect == 1.0


def test_partial_auc_ci_is_seeded_and_contains_the_estimate():
    cases, controls = _split("aSAH", "s100b")
    first = ca.partial_auc_ci(cases, controls, "<", 300, np.random.default_rng(7))
    again = ca.partial_auc_ci(cases, controls, "<", 300, np.random.default_rng(7))
    other = ca.partial_auc_ci(cases, controls, "<", 300, np.random.default_rng(8))
    assert first == again and first != other
    assert first["partial_auc"] == ca.partial_auc(cases, controls, "<")
    assert first["ci_low"] < first["partial_auc"] < first["ci_high"]
    assert first["n_bootstrap"] == 300 and first["n_undefined"] == 0
    narrow = ca.partial_auc_ci(cases, controls, "<", 300, np.random.default_rng(7), level=0.5)
    assert first["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < first["ci_high"]


def test_partial_auc_ci_leaves_out_undefined_resamples():
    # ndka's curve is below the diagonal at sensitivity >= 0.9 (pROC NA): many resamples are
    # undefined and counted; without the correction every resample is defined
    cases, controls = _split("aSAH", "ndka")
    top = {"limits": (0.9, 1.0), "focus": "sensitivity"}
    corrected = ca.partial_auc_ci(cases, controls, "<", 200, np.random.default_rng(3), **top)
    assert math.isnan(corrected["partial_auc"])
    assert 0 < corrected["n_undefined"] < 200
    assert 0.5 <= corrected["ci_low"] <= corrected["ci_high"] <= 1.0
    raw = ca.partial_auc_ci(cases, controls, "<", 200, np.random.default_rng(3), **top, correct=False)
    assert raw["n_undefined"] == 0 and raw["ci_low"] <= raw["partial_auc"] <= raw["ci_high"]


@pytest.mark.parametrize(
    "kwargs",
    [{"limits": (0.8, 1.2)}, {"limits": (0.5, 0.5)}, {"focus": "ppv"}, {"way": "<="}],
    ids=["beyond 1", "empty", "focus", "cutpointr's direction"],
)
def test_partial_auc_rejects_bad_settings(kwargs):
    cases, controls = _split("tiny", "x")
    with pytest.raises(ValueError):
        ca.partial_auc(cases, controls, **kwargs)


def test_partial_auc_rejects_missing_values():
    with pytest.raises(ValueError, match="finite"):
        ca.partial_auc(np.array([1.0, np.nan]), np.array([0.0, 0.5]))


# ---- Youden cut-off against cutpointr -------------------------------------------------------------------

YOUDEN = list(_tsv("youden_cutpointr.tsv").itertuples())


@pytest.mark.parametrize("row", YOUDEN, ids=lambda r: f"{r.dataset}-{r.marker}{r.way}")
def test_full_data_cutoff_matches_cutpointr(row):
    # cutpointr maximize_metric(youden) with break_ties = max (">=") / min ("<="), our rule of
    # the highest specificity; cut-offs are the same doubles read from one CSV (exact), the
    # rates one division each (1e-12).
    cases, controls = _split(row.dataset, row.marker)
    cut = roc.best_cutoff(cases, controls, row.way, "youden")
    tied = [float(value) for value in row.tied_cutoffs.split()]
    finite = [value for value in tied if math.isfinite(value)]
    assert cut.value in finite
    assert cut.value == (max(finite) if row.way == "<" else min(finite))
    j = cut.sensitivity + cut.specificity - 1
    assert j == pytest.approx(row.youden, abs=1e-12)
    if math.isfinite(row.cutoff):
        assert cut.value == row.cutoff
        assert cut.sensitivity == pytest.approx(row.sensitivity, abs=1e-12)
        assert cut.specificity == pytest.approx(row.specificity, abs=1e-12)
    else:
        # no cut-off beats chance (J = 0): cutpointr's -Inf ("no one positive", not an
        # observed value) vs our observed value with J = 0 that calls everyone positive
        assert row.youden == 0 and cut.sensitivity == 1.0 and cut.specificity == 0.0


def test_cutpointr_default_tie_break_is_not_an_observed_value():
    # equal_medians: J ties at 1 and 9; cutpointr's default break_ties = median reports 5,
    # which no sample has; ours is 9 (the higher specificity)
    row = next(r for r in YOUDEN if r.dataset == "equal_medians")
    values, _ = _marker("equal_medians", "x")
    assert row.cutoff_break_ties_median == 5 and 5 not in values
    assert roc.best_cutoff(*_split("equal_medians", "x"), "<", "youden").value == 9


@pytest.mark.parametrize("row", YOUDEN, ids=lambda r: f"{r.dataset}-{r.marker}{r.way}")
def test_automatic_direction_is_procs_not_cutpointrs(row):
    # roc.direction is pROC's rule (controls' median <= cases' median: '<'); cutpointr's
    # (given pos_class) needs a strict '<', so equal medians flip it to "<="
    direction = roc.direction(*_split(row.dataset, row.marker))
    assert direction == row.proc_auto_direction
    flipped = {"<": ">=", ">": "<="}[direction] != row.cutpointr_auto_direction
    assert flipped == (row.dataset == "equal_medians")


# ---- out-of-bag bootstrap against cutpointr ---------------------------------------------------------------

BOOT = _tsv("boot_cutpointr.tsv")
INDICES = pd.read_csv(HERE / "boot_indices.csv")
SUMMARY = _tsv("boot_summary.tsv")
BOOT_KEYS = sorted({(r.dataset, r.marker, bool(r.stratified)) for r in BOOT.itertuples()})


@pytest.mark.parametrize("key", BOOT_KEYS, ids=str)
def test_out_of_bag_matches_cutpointr_on_its_resamples(key):
    # cutpointr's own boot_runs table and the indices it drew (replayed in R and checked
    # there). Cut-offs: the same doubles (exact); rates: one division (1e-12); counts exact;
    # summary: quantiles (type 7) and means over <= 100 values (1e-12; measured 1.4e-17).
    dataset, marker, stratified = key
    values, case = _marker(dataset, marker)
    chosen = (INDICES["dataset"] == dataset) & (INDICES["marker"] == marker)
    drawn = INDICES[chosen & (INDICES["stratified"] == stratified)]
    rows = np.array([np.array(text.split(), dtype=int) - 1 for text in drawn["indices"]])
    reference = BOOT[(BOOT["dataset"] == dataset) & (BOOT["marker"] == marker)]
    reference = reference[reference["stratified"] == stratified].reset_index(drop=True)
    way = reference["way"].iloc[0]
    result = ca.oob_cutoffs_from_resamples(values, case, way, rows, "youden", stratified)
    table = result.resamples
    assert len(table) == len(reference) == len(rows) and result.n_failed == 0
    assert (table["cutoff"].to_numpy() == reference["cutoff"].to_numpy()).all()
    for column in ("sensitivity_in_bag", "specificity_in_bag", "sensitivity_oob", "specificity_oob"):
        actual, expected = table[column].to_numpy(float), reference[column].to_numpy()
        np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)
    for column in ("tp_oob", "fp_oob", "tn_oob", "fn_oob"):
        assert (table[column].to_numpy(int) == reference[column].to_numpy()).all()
    summary = SUMMARY[(SUMMARY["dataset"] == dataset) & (SUMMARY["marker"] == marker)]
    summary = summary[summary["stratified"] == stratified].iloc[0]
    assert result.cutoff == summary["cutoff"] and result.stratified == stratified
    for name in ("cutoff_median", "cutoff_q25", "cutoff_q75", "optimism_sensitivity", "optimism_specificity"):
        assert getattr(result, name) == pytest.approx(summary[name], abs=1e-12), name


def test_reference_resamples_are_informative():
    # the cutpointr resamples move the cut-off and show optimism, else equality proves little
    for _, group in BOOT.groupby(["dataset", "marker", "stratified"]):
        assert group["cutoff"].nunique() >= 3
    assert (SUMMARY["optimism_sensitivity"] > 0).all()


def test_out_of_bag_cutoffs_are_seeded():
    values, case = _marker("aSAH", "s100b")
    first = ca.out_of_bag_cutoffs(values, case, "<", 200, np.random.default_rng(11))
    again = ca.out_of_bag_cutoffs(values, case, "<", 200, np.random.default_rng(11))
    other = ca.out_of_bag_cutoffs(values, case, "<", 200, np.random.default_rng(12))
    pd.testing.assert_frame_equal(first.resamples, again.resamples)
    assert first.summary() == again.summary()
    assert not first.resamples["cutoff"].equals(other.resamples["cutoff"])
    assert first.cutoff == roc.best_cutoff(values[case], values[~case], "<", "youden").value
    assert first.cutoff_q25 <= first.cutoff_median <= first.cutoff_q75
    assert first.summary()["cutoff_iqr"] == first.cutoff_q75 - first.cutoff_q25
    # the resamples are bootstrap_rows' (plain, cutpointr's default), and the out-of-bag
    # counts add up to the samples each one left out
    rows = ca.bootstrap_rows(case, 200, np.random.default_rng(11))
    left_out = first.resamples[["tp_oob", "fp_oob", "tn_oob", "fn_oob"]].sum(axis=1).to_numpy(int)
    assert (left_out == [len(values) - len(np.unique(r)) for r in rows]).all()
    assert not first.stratified


def test_bootstrap_rows_plain_and_stratified():
    _, case = _marker("aSAH", "s100b")
    plain = ca.bootstrap_rows(case, 50, np.random.default_rng(1))
    assert plain.shape == (50, len(case)) and plain.min() >= 0 and plain.max() < len(case)
    assert (case[plain].sum(axis=1) != case.sum()).any()  # the case count varies
    stratified = ca.bootstrap_rows(case, 50, np.random.default_rng(1), stratify=True)
    assert stratified.shape == (50, len(case))
    n_cases = int(case.sum())
    assert case[stratified[:, :n_cases]].all() and not case[stratified[:, n_cases:]].any()


def test_resamples_without_a_group_fail_and_are_left_out():
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    case = np.array([False, False, False, True, True, True])
    rows = np.array(
        [
            [3, 4, 5, 3, 4, 5],  # cases only: no cut-off
            [0, 1, 2, 3, 4, 5],  # everything in-bag: nothing out of bag
            [0, 0, 1, 3, 3, 4],  # left out: control 2 and case 5
            [0, 1, 2, 3, 4, 4],  # left out: case 5 only, no control
        ]
    )
    result = ca.oob_cutoffs_from_resamples(values, case, "<", rows)
    table = result.resamples
    assert result.n_failed == 1 and table.loc[0, "failure"] == ca.GROUP_ABSENT
    assert math.isnan(table.loc[0, "cutoff"]) and pd.isna(table.loc[0, "tp_oob"])
    assert table.loc[1, "cutoff"] == 4.0 and math.isnan(table.loc[1, "sensitivity_oob"])
    assert table.loc[2, ["sensitivity_oob", "specificity_oob"]].tolist() == [1.0, 1.0]
    assert table.loc[3, "sensitivity_oob"] == 1.0 and math.isnan(table.loc[3, "specificity_oob"])
    # means and optimism only over the defined values
    assert result.sensitivity_oob == 1.0 and result.specificity_oob == 1.0
    assert result.optimism_sensitivity == 0.0 and result.optimism_specificity == 0.0
    assert result.cutoff_median == 4.0


def test_direction_greater_counts_low_values_as_positive():
    # birthwt lwt: lighter mothers are the cases ('>', cutpointr "<="); the out-of-bag tp are
    # the left-out cases at or below the in-bag cut-off
    values, case = _marker("birthwt", "lwt")
    result = ca.out_of_bag_cutoffs(values, case, ">", 30, np.random.default_rng(5), stratify=True)
    row = result.resamples.iloc[0]
    rows = ca.bootstrap_rows(case, 30, np.random.default_rng(5), stratify=True)[0]
    out = np.setdiff1d(np.arange(len(values)), rows)
    assert row["tp_oob"] == int(np.sum(case[out] & (values[out] <= row["cutoff"])))
    assert row["tn_oob"] == int(np.sum(~case[out] & (values[out] > row["cutoff"])))


@pytest.mark.parametrize(
    "change",
    ["integer outcome", "one group", "missing value", "bad position", "wrong width"],
)
def test_out_of_bag_rejects_malformed_input(change):
    values, case = np.array([1.0, 2.0, 3.0, 4.0]), np.array([False, False, True, True])
    rows = np.array([[0, 1, 2, 3]])
    if change == "integer outcome":
        case = case.astype(int)
    elif change == "one group":
        case = np.ones(4, dtype=bool)
    elif change == "missing value":
        values = np.array([1.0, np.nan, 3.0, 4.0])
    elif change == "bad position":
        rows = np.array([[0, 1, 2, 4]])
    else:
        rows = np.array([[0, 1, 2]])
    with pytest.raises(ValueError):
        ca.oob_cutoffs_from_resamples(values, case, "<", rows)
