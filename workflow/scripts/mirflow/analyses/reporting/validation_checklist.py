"""The reporting checklist of a validation-only run (SPEC stage 8): STARD 2015 for the locked
markers (each a diagnostic test at its locked cut-off) and TRIPOD+AI for the locked panel (a
prediction model evaluated in new data), filled from the lock, the sealed analysis plan and
the run's own validation tables.

A validation-only run knows the locked model (markers, cut-offs, the panel's coefficients, the
discovery it came from by its inputs' hashes), the plan (the success criteria, the sample size)
and what it measured on the new cohort (the flow of samples, the 2x2 tables, the estimates with
CIs, the verdicts, the deviations from the plan). It does not know the clinical setting, the
dates, the protocol's registration, blinding or the discussion: those items read "to be
completed by the authors", as do the TRIPOD+AI items that concern a model's development only
(D), which the discovery run reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mirflow.analyses.lock import LockedModel
from mirflow.analyses.reporting.checklist import (
    AUTHORS,
    CHECKLIST_COLUMNS,
    Fill,
    _ci,
    _fixed,
    _flow_text,
    _g,
    _rule,
)
from mirflow.analyses.reporting.flow import ANALYSED, EXCLUDED, SHEET
from mirflow.analyses.reporting.guidelines import (
    ITEMS,
    STARD,
    TRIPOD_AI,
    TRIPOD_AI_DEVELOPMENT,
    TRIPOD_AI_ITEMS,
)
from mirflow.sealing import HASH_FIELD

# The tables the checklist reads, by the rule's input names.
TABLES = (
    "validation_unmatched",
    "validation_qc",
    "validation_markers",
    "validation_panel",
    "validation_km",
    "validation_accuracy",
    "validation_criteria",
    "validation_deviations",
    "validation_covariates",
)
NOT_PRESPECIFIED = (
    "not pre-specified: validation.plan is none, so no success criterion was fixed before the data were read "
    "and every estimate is exploratory"
)


@dataclass(frozen=True)
class ValidationRun:
    """What a validation-only run knows: the applied lock, the sealed plan (None:
    validation.plan none), the run's tables (:data:`TABLES`) and their paths (with
    'samples', 'flow', 'figure', 'model', 'plan'), the validation cohort's flow, and the
    settings it used (the PPV/NPV prevalence, the hand exclusions, the partial AUC's
    specificity range)."""

    model: LockedModel
    plan: Mapping[str, Any] | None
    tables: Mapping[str, pd.DataFrame]
    paths: Mapping[str, str]
    flow: pd.DataFrame
    prevalence: float | None
    exclude: Mapping[str, str]
    partial_auc: tuple[float, float]


class _Validation:
    """One method per item a validation-only run can fill (:data:`FILLS`)."""

    def __init__(self, run: ValidationRun) -> None:
        self.run, self.model, self.plan = run, run.model, run.plan
        self.tables = run.tables

    def path(self, name: str) -> str:
        return self.run.paths[name]

    def lock_text(self) -> str:
        return f"the locked model {self.model.path} (content_sha256 {self.model.content_sha256[:12]})"

    def plan_text(self) -> str:
        if self.plan is None:
            return "no analysis plan (validation.plan: none)"
        return f"the sealed analysis plan {self.path('plan')} (content_sha256 {self.plan[HASH_FIELD][:12]})"

    def markers(self) -> pd.DataFrame:
        return self.tables["validation_markers"]

    def panel(self) -> pd.Series:
        return self.tables["validation_panel"].iloc[0]

    def count(self, stage: str, contrast_only: bool = True) -> int:
        flow = self.run.flow
        rows = flow[flow["stage"] == stage]
        if contrast_only:
            rows = rows[rows["group"].isin([self.model.contrast.case, self.model.contrast.control])]
        return int(rows["n"].sum())

    def not_in_contrast(self) -> int:
        flow = self.run.flow
        contrast = self.model.contrast
        other = (flow["stage"] == SHEET) & ~flow["group"].isin([contrast.case, contrast.control])
        return int(flow.loc[other, "n"].sum())

    def sample_size(self, kind: str) -> list[str]:
        """The plan's sample size for the panel or each marker, and what the cohort has."""
        if self.plan is None:
            return []
        parts = []
        for row in self.plan.get("requirements") or []:
            if row["type"] != kind:
                continue
            observed = self.observed(row)
            planned = f"n {row['n']}" + (
                f" ({row['n_cases']} cases, {row['n_controls']} controls)"
                if row.get("n_cases") is not None
                else ""
            )
            parts.append(f"{row['target']}: planned {planned} by {row['criterion']}; analysed {observed}")
        return parts

    def observed(self, row: Mapping[str, Any]) -> str:
        if row["type"] == "panel":
            panel = self.panel()
            return f"{_g(panel['n_case'])} cases, {_g(panel['n_control'])} controls"
        markers = self.markers()
        rows = markers[markers["mirna"] == row["mirna"]]
        if rows.empty:
            return "none"
        first = rows.iloc[0]
        return f"{int(first['n_case'])} cases, {int(first['n_control'])} controls"

    def deviations(self, kind: str | None = None) -> list[str]:
        table = self.tables["validation_deviations"]
        rows = table if kind is None else table[table["kind"] == kind]
        return [f"{r.item}: {r.observed} ({r.effect})" for r in rows.itertuples()]

    def verdicts(self, kinds: tuple[str, ...]) -> list[str]:
        criteria = self.tables["validation_criteria"]
        chosen = criteria[criteria["metric"].isin(kinds)] if kinds else criteria
        return [f"{r.criterion} ({r.role}): {r.verdict}" for r in chosen.itertuples()]

    def authors(self, what: str) -> str:
        return f"{AUTHORS} ({what})"

    def development_only(self, item: str) -> Fill:
        del item
        return Fill(
            f"development item (D): the model was developed by the discovery run of {self.lock_text()}; "
            f"{AUTHORS} (from that run's report)",
            (self.path("model"),),
        )

    # ---- STARD 2015: the locked markers

    def stard_6(self) -> Fill:
        model = self.model
        value = (
            f"samples analysed: '{model.contrast.column}' = '{model.contrast.case}' (case) or "
            f"'{model.contrast.control}' (control) passing the locked QC (library >= "
            f"{model.min_library_size:g} "
            f"miRNA counts, hemolysis log2({model.hemolysis[0]} / {model.hemolysis[1]}) <= "
            f"{model.max_hemolysis_log2:g}), not excluded by hand (validation.exclude: "
            f"{len(self.run.exclude)} "
            f"sample(s)); {self.authors('the participants eligibility criteria')}"
        )
        return Fill(value, (self.path("model"), "config: validation.exclude"))

    def stard_10a(self) -> Fill:
        rules = "; ".join(_rule(row) for _, row in self.markers().iterrows()) or "no markers"
        value = (
            f"each locked marker of {self.lock_text()} as a test, {self.model.kind} normalised against the "
            f"locked reference ({self.model.normalisation.estimator}), positive at its locked cut-off: "
            f"{rules}; "
            f"{self.authors('specimen collection, RNA extraction, library preparation and sequencing')}"
        )
        return Fill(value, (self.path("model"), self.path("validation_markers")))

    def stard_10b(self) -> Fill:
        contrast = self.model.contrast
        value = (
            f"the validation sheet's column '{contrast.column}': '{contrast.case}' = target condition "
            "present, "
            f"'{contrast.control}' = absent (the locked contrast); "
            f"{self.authors('how the diagnosis was made')}"
        )
        return Fill(value, (self.path("samples"), self.path("model")))

    def stard_12a(self) -> Fill:
        rules = "; ".join(_rule(row) for _, row in self.markers().iterrows()) or "no markers"
        value = (
            f"pre-specified: the cut-offs locked in {self.lock_text()} from the discovery data alone, "
            "applied "
            f"unchanged: {rules}"
        )
        return Fill(value, (self.path("model"),))

    def stard_12b(self) -> Fill:
        contrast = self.model.contrast
        value = (
            f"'{contrast.case}' (case) and '{contrast.control}' (control) in column '{contrast.column}', "
            f"pre-specified in the lock; samples with another or no value are not analysed "
            f"({self.not_in_contrast()})"
        )
        return Fill(value, (self.path("samples"), self.path("model")))

    def stard_14(self) -> Fill:
        low, high = self.run.partial_auc
        value = (
            "AUC with 95% DeLong CI in the locked direction; at the locked cut-offs the 2x2 table, "
            "sensitivity, "
            "specificity, PPV and NPV with exact (Clopper-Pearson) 95% CIs, LR+ and LR- with log-method 95% "
            "CIs "
            f"(Simel et al. 1991) and the McClish-standardised partial AUC over specificity {low:g}-{high:g} "
            "with "
            "a stratified bootstrap 95% CI"
        )
        keys = ["validation.partial_auc_specificity", "validation.n_bootstrap"]
        if self.run.prevalence is not None:
            value += f"; PPV and NPV at the prevalence {self.run.prevalence:g}"
            keys.append("validation.prevalence")
        return Fill(value, ("config: " + ", ".join(keys),))

    def stard_15(self) -> Fill:
        value = (
            "index test: no indeterminate category (every analysed sample is positive or negative at each "
            f"locked cut-off); technical failures (the locked QC) are excluded before analysis "
            f"({self.count(EXCLUDED)}); reference standard: samples whose contrast value is neither case nor "
            f"control are not analysed ({self.not_in_contrast()})"
        )
        return Fill(value, (self.path("flow"),))

    def stard_16(self) -> Fill:
        value = (
            f"reference standard: samples with a missing or other contrast value are not analysed "
            f"({self.not_in_contrast()}); index test: no value is missing among the analysed samples (a "
            "miRNA "
            "missing from a sample's export counts 0)"
        )
        return Fill(value, (self.path("flow"),))

    def stard_17(self) -> Fill:
        if self.plan is None:
            return Fill(f"{NOT_PRESPECIFIED}; {AUTHORS}", ("config: validation.plan",))
        verdicts = self.verdicts(())
        value = (
            f"pre-specified in {self.plan_text()}: "
            + ("; ".join(verdicts) or "no success criteria")
            + f"; everything else exploratory; {AUTHORS}"
        )
        return Fill(value, (self.path("plan"), self.path("validation_criteria")))

    def stard_18(self) -> Fill:
        if self.plan is None:
            return Fill(f"{NOT_PRESPECIFIED}; {self.authors('the intended sample size')}", ())
        parts = self.sample_size("marker")
        short = self.deviations("sample size")
        value = (
            f"{self.plan_text()}, made from the lock before the validation data were read (Buderer's "
            "sensitivity and specificity precision at the out-of-bag accuracy, the AUC's CI width, the power "
            "against the null AUC): " + ("; ".join(parts) or "no marker")
        )
        if short:
            value += f"; below the plan: {'; '.join(short)}"
        return Fill(value, (self.path("plan"), self.path("validation_deviations")))

    def stard_19(self) -> Fill:
        value = f"validation: {_flow_text(self.run.flow)}; diagram: {self.path('figure')}"
        return Fill(value, (self.path("flow"), self.path("figure")))

    def stard_20(self) -> Fill:
        return self._covariates(self.authors("the baseline characteristics of the validation cohort"))

    def _covariates(self, tail: str) -> Fill:
        covariates = self.tables["validation_covariates"]
        parts = [
            f"{r.covariate}: validation mean {_g(r.mean)} (SD {_g(r.sd)}), locked mean {_g(r.locked_mean)} "
            f"(SD {_g(r.locked_sd)})"
            for r in covariates.itertuples()
        ]
        value = ("; ".join(parts) + "; " if parts else "") + tail
        return Fill(value, (self.path("validation_covariates"),) if parts else ())

    def stard_23(self) -> Fill:
        rows = [
            f"{_rule(row)}: "
            + ", ".join(f"{cell.upper()} {int(row[cell])}" for cell in ("tp", "fn", "fp", "tn"))
            for _, row in self.markers().iterrows()
            if pd.notna(row.get("tp"))
        ]
        return Fill("; ".join(rows) or "no marker with a cut-off", (self.path("validation_markers"),))

    def stard_24(self) -> Fill:
        accuracy = self.tables["validation_accuracy"].set_index("mirna")
        parts = []
        for _, row in self.markers().iterrows():
            text = (
                f"{row['mirna']}: AUC {_ci(row, 'auc')}, sensitivity {_ci(row, 'sensitivity')}, specificity "
                f"{_ci(row, 'specificity')}"
            )
            if row["mirna"] in accuracy.index:
                extra = accuracy.loc[row["mirna"]]
                text += (
                    f", LR+ {_ci(extra, 'lr_positive')}, LR- {_ci(extra, 'lr_negative')}, partial AUC "
                    f"{_ci(extra, 'partial_auc')}"
                )
            parts.append(text)
        verdicts = [v for v in self.verdicts(()) if " panel " not in f" {v} "]
        if verdicts:
            parts.append("criteria: " + "; ".join(verdicts))
        sources = (self.path("validation_markers"), self.path("validation_accuracy"))
        return Fill("; ".join(parts) or "no markers", (*sources, self.path("validation_criteria")))

    def stard_28(self) -> Fill:
        return Fill(f"{self.authors('registry and registration number')}; {self.plan_text()}", ())

    def stard_29(self) -> Fill:
        value = f"{self.plan_text()}; {self.authors('where the full study protocol can be accessed')}"
        return Fill(value, (self.path("plan"),) if self.plan is not None else ())

    # ---- TRIPOD+AI: the locked panel

    def no_panel(self) -> str | None:
        if self.model.panel is None:
            return f"no locked panel ({self.model.panel_reason}): no prediction model to evaluate"
        return None

    def tripod_4(self) -> Fill:
        panel = self.model.panel
        what = (
            f"evaluation (external validation) of the locked panel ({panel.model} of "
            f"{', '.join(panel.markers)}) of {self.lock_text()}, applied unchanged"
            if panel
            else self.no_panel()
        )
        return Fill(f"{what}; {self.authors('the study objectives')}", (self.path("model"),))

    def tripod_5a(self) -> Fill:
        inputs = ", ".join(self.model.inputs) or "none recorded"
        value = (
            f"development: the discovery run of the lock (its inputs by SHA-256: {inputs}); evaluation: the "
            f"validation sheet {self.path('samples')} and its count table(s); "
            + self.authors("study design, rationale and representativeness of the data")
        )
        return Fill(value, (self.path("model"), self.path("samples")))

    def tripod_6b(self) -> Fill:
        return self.stard_6()

    def tripod_7(self) -> Fill:
        model = self.model
        value = (
            f"miRNA names harmonised to miRBase v22; the locked QC (library size, hemolysis); {model.kind} "
            f"normalised against the locked reference ({model.normalisation.estimator}, not refitted), "
            "modelled "
            f"as {model.transform}; "
            + self.authors("whether pre-processing and checks were similar across sociodemographic groups")
        )
        return Fill(value, (self.path("model"), self.path("validation_qc")))

    def tripod_8a(self) -> Fill:
        return self.stard_10b()

    def tripod_9b(self) -> Fill:
        panel = self.model.panel
        if panel is None:
            return Fill(f"{self.no_panel()}; {AUTHORS}", (self.path("model"),))
        terms = ", ".join(
            t.name if t.kind == "marker" else f"{t.covariate} ({t.kind}{f' {t.level}' if t.level else ''})"
            for t in panel.terms
        )
        value = (
            f"the panel's terms: {terms}; markers as {self.model.kind} normalised against the locked "
            "reference "
            f"on the {self.model.transform} scale, covariates coded as the lock records; "
            f"{self.authors('how and when the predictors were measured, and blinding')}"
        )
        return Fill(value, (self.path("model"),))

    def tripod_10(self) -> Fill:
        if self.plan is None:
            return Fill(f"{NOT_PRESPECIFIED}; {self.authors('how the study size was arrived at')}", ())
        parts = self.sample_size("panel")
        short = [d for d in self.deviations("sample size") if d.startswith("panel")]
        value = (
            f"evaluation: {self.plan_text()}: Riley et al. (2021) criteria for O/E, calibration slope and "
            f"C-statistic (pmvalsampsize): {'; '.join(parts) or 'no panel'}"
        )
        if short:
            value += f"; below the plan: {'; '.join(short)}"
        value += f"; development: {self.authors('the discovery cohort')}"
        return Fill(value, (self.path("plan"), self.path("validation_deviations")))

    def tripod_11(self) -> Fill:
        panel = self.panel()
        missing = panel.get("n_missing_covariates")
        value = (
            "complete cases per analysis, no imputation: samples failing the locked QC or outside the "
            "contrast "
            f"are not analysed ({self.count(EXCLUDED)} excluded, {self.not_in_contrast()} not in the "
            "contrast)"
        )
        if pd.notna(missing):
            value += f"; {int(missing)} sample(s) without a panel covariate left out of the panel"
        return Fill(value, (self.path("flow"), self.path("validation_panel")))

    def tripod_12e(self) -> Fill:
        value = (
            "discrimination: AUC with 95% DeLong CI; calibration: calibration-in-the-large and the "
            "calibration "
            "slope (logistic recalibration on the linear predictor, as rms val.prob) with 95% CIs, the "
            "lowess "
            "calibration curve with Eavg, E90 and Emax, the Brier score; clinical utility: decision curves "
            "(net benefit) against treat all and treat none"
        )
        if self.run.prevalence is not None:
            value += f", at the prevalence {self.run.prevalence:g}"
        return Fill(value, ("config: validation.prevalence",))

    def tripod_12f(self) -> Fill:
        return Fill(
            "none: the locked model is applied unchanged (the recalibration intercept is reported for "
            "information only)",
            (self.path("validation_panel"),),
        )

    def tripod_12g(self) -> Fill:
        panel = self.model.panel
        if panel is None:
            return Fill(f"{self.no_panel()}", (self.path("model"),))
        value = (
            f"the logistic formula of the lock: logit(p) = {panel.intercept:.6g} + "
            + " + ".join(f"{t.coefficient:.6g} x {t.name}" for t in panel.terms)
            + f" ({self.path('model')}, panel), computed by the mirflow workflow (validation_results)"
        )
        return Fill(value, (self.path("model"),))

    def tripod_13(self) -> Fill:
        return Fill(
            "no class-imbalance method: the panel is a Firth-penalised logistic model fitted on all "
            "discovery "
            "samples as sampled (no resampling or reweighting), evaluated unchanged",
            (self.path("model"),),
        )

    def tripod_16(self) -> Fill:
        contrast = self.model.contrast
        return self._covariates(
            f"outcome and predictors as locked (the contrast column '{contrast.column}', the locked "
            "markers); "
            f"{self.authors('differences in setting and eligibility')}"
        )

    def tripod_18c(self) -> Fill:
        return self.stard_29()

    def tripod_18f(self) -> Fill:
        return Fill(
            f"the mirflow workflow (the lock was written by version {self.model.workflow_version}; this "
            "run's "
            f"version in results/provenance.json); {self.authors('where the code is available')}",
            (self.path("model"),),
        )

    def tripod_20a(self) -> Fill:
        contrast = self.model.contrast
        analysed = self.run.flow[self.run.flow["stage"] == ANALYSED]
        groups = analysed.groupby("group", sort=False)["n"].sum()
        value = (
            f"{_flow_text(self.run.flow)}; with the outcome ('{contrast.case}') "
            f"{int(groups.get(contrast.case, 0))}, "
            f"without ('{contrast.control}') {int(groups.get(contrast.control, 0))}; diagram: "
            f"{self.path('figure')}"
        )
        return Fill(value, (self.path("flow"), self.path("figure")))

    def tripod_20b(self) -> Fill:
        return self.stard_20()

    def tripod_20c(self) -> Fill:
        return self._covariates(self.authors("the other predictors' and the outcome's distributions"))

    def tripod_21(self) -> Fill:
        panel = self.panel()
        value = (
            f"evaluation of the panel: {_g(panel.get('n_case'))} cases (events) and "
            f"{_g(panel.get('n_control'))} "
            f"controls; markers: "
            + "; ".join(
                f"{r.mirna} {int(r.n_case)} cases, {int(r.n_control)} controls"
                for r in self.markers().itertuples()
            )
            + f"; development: {self.authors('from the discovery run')}"
        )
        return Fill(value, (self.path("validation_panel"), self.path("validation_markers")))

    def tripod_23a(self) -> Fill:
        panel = self.panel()
        if pd.isna(panel.get("auc")):
            return Fill(f"{self.no_panel() or panel.get('reason')}", (self.path("validation_panel"),))
        value = (
            f"AUC {_ci(panel, 'auc')}, calibration-in-the-large {_ci(panel, 'calibration_intercept')}, "
            f"calibration slope {_ci(panel, 'calibration_slope')}, Brier {_fixed(panel['brier'])} "
            "(calibration "
            "and decision curves: val_calibration and val_decision_curve figures)"
        )
        verdicts = [v for v in self.verdicts(("auc", "calibration_slope", "calibration_intercept", "brier"))]
        verdicts = [v for v in verdicts if v.startswith("panel")]
        if verdicts:
            value += "; criteria: " + "; ".join(verdicts)
        value += f"; {self.authors('key subgroups')}"
        return Fill(value, (self.path("validation_panel"), self.path("validation_criteria")))

    def tripod_24(self) -> Fill:
        return Fill("no model updating: the locked model was applied unchanged", (self.path("model"),))

    def tripod_26(self) -> Fill:
        deviations = self.deviations()
        value = (
            ("deviations from the plan: " + "; ".join(deviations))
            if deviations
            else "no deviation from the plan"
        )
        if self.plan is None:
            value = NOT_PRESPECIFIED
        return Fill(
            f"{value}; {self.authors('the limitations and their effects')}",
            (self.path("validation_deviations"),),
        )


STARD_FILLS: dict[str, Callable[[_Validation], Fill]] = {
    "6": _Validation.stard_6,
    "10a": _Validation.stard_10a,
    "10b": _Validation.stard_10b,
    "12a": _Validation.stard_12a,
    "12b": _Validation.stard_12b,
    "14": _Validation.stard_14,
    "15": _Validation.stard_15,
    "16": _Validation.stard_16,
    "17": _Validation.stard_17,
    "18": _Validation.stard_18,
    "19": _Validation.stard_19,
    "20": _Validation.stard_20,
    "23": _Validation.stard_23,
    "24": _Validation.stard_24,
    "28": _Validation.stard_28,
    "29": _Validation.stard_29,
}
TRIPOD_FILLS: dict[str, Callable[[_Validation], Fill]] = {
    "4": _Validation.tripod_4,
    "5a": _Validation.tripod_5a,
    "6b": _Validation.tripod_6b,
    "7": _Validation.tripod_7,
    "8a": _Validation.tripod_8a,
    "9b": _Validation.tripod_9b,
    "10": _Validation.tripod_10,
    "11": _Validation.tripod_11,
    "12e": _Validation.tripod_12e,
    "12f": _Validation.tripod_12f,
    "12g": _Validation.tripod_12g,
    "13": _Validation.tripod_13,
    "16": _Validation.tripod_16,
    "18c": _Validation.tripod_18c,
    "18f": _Validation.tripod_18f,
    "20a": _Validation.tripod_20a,
    "20b": _Validation.tripod_20b,
    "20c": _Validation.tripod_20c,
    "21": _Validation.tripod_21,
    "23a": _Validation.tripod_23a,
    "24": _Validation.tripod_24,
    "26": _Validation.tripod_26,
}


def _status(value: str) -> str:
    return "authors" if value == AUTHORS else "run + authors" if AUTHORS in value else "run"


def validation_checklist(run: ValidationRun) -> pd.DataFrame:
    """Every STARD 2015 item (the locked markers) and every TRIPOD+AI item (the locked panel)
    with the run's value and source where it knows them, else "to be completed by the
    authors" (the checklist's columns; ``status``: run, run + authors or authors)."""
    known = _Validation(run)
    rows = []
    stard = [(g, i, s, d) for g, i, s, d in ITEMS if g == STARD]
    for guideline, item, section, description in [*stard, *TRIPOD_AI_ITEMS]:
        fills = STARD_FILLS if guideline == STARD else TRIPOD_FILLS
        fill: Fill | None = None
        if item in fills:
            fill = fills[item](known)
        elif guideline == TRIPOD_AI and item in TRIPOD_AI_DEVELOPMENT:
            fill = known.development_only(item)
        value, source = (fill.value, "; ".join(s for s in fill.sources if s)) if fill else (AUTHORS, "")
        rows.append(
            {"guideline": guideline, "item": item, "description": description, "value": value}
            | {"source": source, "section": section, "status": _status(value)}
        )
    return pd.DataFrame(rows, columns=CHECKLIST_COLUMNS)
