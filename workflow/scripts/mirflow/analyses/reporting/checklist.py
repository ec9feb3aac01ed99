"""The reporting checklist (STARD 2015, REMARK; SPEC stage 8).

STARD 2015 (Bossuyt et al., BMJ 2015;351:h5527; 30 items, 34 with their a/b parts) is the
checklist of diagnostic accuracy studies, REMARK (McShane et al., J Natl Cancer Inst
2005;97:1180; 20 items) that of tumour marker prognostic studies. A run knows part of the
answers, and :func:`checklist` fills those from the run's tables and settings: the flow of
samples (sheet -> excluded and why -> analysed per group, :func:`participant_flow`), the
index test (the markers with direction and cut-off) and whether its cut-off was
pre-specified (locked in discovery and applied unchanged to a validation cohort) or
data-derived (chosen on the discovery cohort itself, so optimistic there), the reference
standard (the contrast column), how missing data were handled, the 2x2 tables, the
estimates with CIs, the statistical methods, the endpoints and the follow-up. Every value
names its ``source`` (a results file, the sample sheet or a config key); what a run cannot
know (the clinical setting, the protocol, the discussion) is left "to be completed by the
authors". The guidelines' item texts are :data:`ITEMS`, one line each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mirflow.analyses.lock import LockedModel
from mirflow.analyses.reporting.flow import ANALYSED, DISCOVERY, EXCLUDED, SHEET, UNMATCHED, VALIDATION
from mirflow.analyses.reporting.guidelines import ITEMS, REMARK, STARD
from mirflow.formatting import estimate, number, shown
from mirflow.settings import (
    ContrastSettings,
    CountsSettings,
    DESettings,
    PanelSettings,
    QCSettings,
    RocSettings,
    SurvivalSettings,
    resolve_transform,
)
from mirflow.stats.normalise import SIZE_FACTORS
from mirflow.stats.roc import CI_METHODS, CUTOFF_SCORES
from mirflow.stats.survival_cutoffs import CUTOFFS
from mirflow.stats.validation import exact_ci

AUTHORS = "to be completed by the authors"
CHECKLIST_COLUMNS = ["guideline", "item", "description", "value", "source", "section", "status"]
# Excluded sample ids the checklist names per reason (the flow table names them all).
SHOWN = 10
# Positive call per locked direction (cut-offs are observed normalised values).
SIGN = {"<": ">=", ">": "<="}
# The tables the checklist reads, by the rule's input names (TABLES).
DISCOVERY_TABLES = (
    "unmatched",
    "qc",
    "characteristics",
    "wilcoxon",
    "candidates",
    "table4",
    "logistic",
    "markers",
    "roc",
    "panel",
)
PROGNOSTIC_TABLES = ("cutoffs", "km", "cox")
VALIDATION_TABLES = (
    "validation_unmatched",
    "validation_qc",
    "validation_markers",
    "validation_panel",
    "validation_km",
)
TABLES = DISCOVERY_TABLES + PROGNOSTIC_TABLES + VALIDATION_TABLES

# ---- what the checklist is given ----------------------------------------------------------------


@dataclass(frozen=True)
class ReportingSettings:
    """The config sections the checklist describes (the rule's params); ``prevalence``:
    validation.prevalence (None: not given, or no validation)."""

    contrast: ContrastSettings
    counts: CountsSettings
    covariates: tuple[str, ...]
    qc: QCSettings
    normalisation: str
    de: DESettings
    roc: RocSettings
    panel: PanelSettings
    survival: SurvivalSettings
    prevalence: float | None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ReportingSettings:
        """Rebuild the sections from the rule's params (plain dicts, ``as_params``)."""
        prevalence = params.get("prevalence")
        return cls(
            contrast=ContrastSettings.from_params(params["contrast"]),
            counts=CountsSettings.from_params(params["counts"]),
            covariates=tuple(params["covariates"]),
            qc=QCSettings.from_params(params["qc"]),
            normalisation=str(params["normalisation"]),
            de=DESettings.from_params(params["de"]),
            roc=RocSettings.from_params(params["roc"]),
            panel=PanelSettings.from_params(params["panel"]),
            survival=SurvivalSettings.from_params(params["survival"]),
            prevalence=None if prevalence is None else float(prevalence),
        )

    @property
    def logged(self) -> bool:
        """Whether models use log2(value + 1) (counts.transform), else the values as they are."""
        return resolve_transform(self.counts.transform, self.counts.kind) == "log2"

    @property
    def unit(self) -> str:
        """The modelling scale's unit, for effects per unit."""
        return "log2 unit" if self.logged else "unit"


@dataclass(frozen=True)
class RunTables:
    """The run's tables by :data:`TABLES` name, and the path of each of them and of the
    other files the checklist cites ('samples', 'flow', 'figure'), for ``source``."""

    tables: Mapping[str, pd.DataFrame]
    paths: Mapping[str, str]

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)


# ---- formatting ---------------------------------------------------------------------------------


def _g(value: Any, digits: int = 3) -> str:
    return number(value, f".{digits}g")


def _fixed(value: Any, digits: int = 3) -> str:
    return number(value, f".{digits}f")


def _effect(value: Any, low: Any, high: Any) -> str:
    """'5.21 (95% CI 1.34 to 20.2)': a ratio with its CI, three significant digits."""
    return f"{_g(value)} (95% CI {_g(low)} to {_g(high)})"


def _ci(row: Mapping[str, Any] | pd.Series, name: str, digits: int = 3) -> str:
    """'0.950 (95% CI 0.881 to 1.000)' from ``name``, ``name_ci_low``, ``name_ci_high``."""
    value, low, high = (row.get(f"{name}{s}") for s in ("", "_ci_low", "_ci_high"))
    return estimate(value, low, high, spec=f".{digits}f", prefix="95% CI ")


def _shown(samples: Sequence[str]) -> str:
    """The first :data:`SHOWN` sample ids (flow.tsv names them all)."""
    return shown(samples, SHOWN)


def _counts(flow: pd.DataFrame, stage: str) -> str:
    """'NEC 18, healthy 20' for one stage of one cohort's flow."""
    rows = flow[flow["stage"] == stage].groupby("group", sort=False)["n"].sum()
    return ", ".join(f"{group} {n}" for group, n in rows.items())


def _exclusions(flow: pd.DataFrame) -> str:
    """'1 excluded (hemolysed: log2 ratio > 7: healthy 1 [HD05])' or 'none excluded'."""
    rows = flow[flow["stage"] == EXCLUDED]
    if rows.empty:
        return "none excluded"
    parts = [f"{r.reason}: {r.group} {r.n} [{_shown(r.samples.split(', '))}]" for r in rows.itertuples()]
    return f"{int(rows['n'].sum())} excluded ({'; '.join(parts)})"


def _flow_text(flow: pd.DataFrame) -> str:
    """A cohort's flow in one line: sheet -> excluded and why -> analysed per group."""
    sheet = flow.loc[flow["stage"] == SHEET, "n"].sum()
    text = f"{sheet} samples in the sheet ({_counts(flow, SHEET)}); {_exclusions(flow)}; analysed "
    text += _counts(flow, ANALYSED)
    ignored = flow[flow["stage"] == UNMATCHED]
    if not ignored.empty:
        text += f"; count-table samples not in the sheet, ignored: {int(ignored['n'].sum())}"
    return text


def _listing(names: Sequence[str]) -> str:
    return ", ".join(names) if len(names) else "none"


def _two_by_two(roc: pd.DataFrame) -> pd.DataFrame:
    """Discovery's ROC table as the validation markers table has it: the 2x2 table at each
    cut-off (from sensitivity, specificity and the group sizes) and sensitivity and
    specificity with exact (Clopper-Pearson) 95% CIs."""
    rows = []
    for row in roc.itertuples(index=False):
        entry: dict[str, Any] = {
            "mirna": row.mirna,
            "direction": row.direction,
            "cutoff": row.cutoff,
            "auc": row.auc,
            "auc_ci_low": row.auc_ci_low,
            "auc_ci_high": row.auc_ci_high,
        }
        if pd.notna(row.cutoff):
            tp = round(row.sensitivity * row.n_case)
            tn = round(row.specificity * row.n_control)
            entry |= {"tp": tp, "fn": row.n_case - tp, "tn": tn, "fp": row.n_control - tn}
            for name, hits, total in (("sensitivity", tp, row.n_case), ("specificity", tn, row.n_control)):
                low, high = exact_ci(hits, total)
                entry |= {name: hits / total, f"{name}_ci_low": low, f"{name}_ci_high": high}
        rows.append(entry)
    return pd.DataFrame(rows)


def _rule(row: Mapping[str, Any] | pd.Series) -> str:
    """'hsa-miR-1290 >= 90.5944' (positive call), or the marker with 'no cut-off'."""
    if pd.isna(row["cutoff"]):
        return f"{row['mirna']} (no cut-off: the marker did not vary)"
    return f"{row['mirna']} {SIGN[row['direction']]} {float(row['cutoff']):.6g}"


# ---- the checklist ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """An item's value and where it came from."""

    value: str
    sources: tuple[str, ...]


class _Run:
    """What one run knows, and one method per item it can fill (:data:`FILLS`)."""

    def __init__(
        self,
        run: RunTables,
        settings: ReportingSettings,
        flow: pd.DataFrame,
        follow: pd.DataFrame | None,
        lock: LockedModel,
        model: LockedModel | None,
    ) -> None:
        self.run, self.settings, self.lock, self.model = run, settings, lock, model
        self.flow = {cohort: rows for cohort, rows in flow.groupby("cohort", sort=False)}
        self.follow = follow
        self.validating = model is not None
        self.accuracy = {DISCOVERY: _two_by_two(run.tables["roc"])}
        if self.validating:
            self.accuracy[VALIDATION] = run.tables["validation_markers"]
        self.endpoints = list(settings.survival.endpoints)

    # -- shared pieces

    def path(self, name: str) -> str:
        return self.run.paths[name]

    def cohorts(self) -> list[str]:
        return [DISCOVERY, VALIDATION] if self.validating else [DISCOVERY]

    def contrast(self, cohort: str) -> ContrastSettings:
        return self.model.contrast if cohort == VALIDATION and self.model else self.settings.contrast

    def no_validation(self, what: str) -> str:
        return f"validation: no validation cohort in this run (config key validation); {AUTHORS} ({what})"

    def not_in_contrast(self, cohort: str) -> int:
        rows = self.flow[cohort]
        contrast = self.contrast(cohort)
        other = (rows["stage"] == SHEET) & ~rows["group"].isin([contrast.case, contrast.control])
        return int(rows.loc[other, "n"].sum())

    def qc_failures(self, cohort: str) -> int:
        rows = self.flow[cohort]
        contrast = self.contrast(cohort)
        failed = (rows["stage"] == EXCLUDED) & rows["group"].isin([contrast.case, contrast.control])
        return int(rows.loc[failed, "n"].sum())

    def per_cohort(self, count: Callable[[str], int]) -> str:
        return ", ".join(f"{cohort}: {count(cohort)}" for cohort in self.cohorts())

    def markers(self) -> list[str]:
        return self.run.tables["markers"]["mirna"].astype(str).tolist()

    def index_rules(self, cohort: str) -> str:
        table = self.accuracy[cohort]
        return "; ".join(_rule(row) for _, row in table.iterrows()) or "no markers"

    def config(self, *keys: str) -> str:
        return "config: " + ", ".join(keys)

    def validation_paths(self, *names: str) -> tuple[str, ...]:
        return tuple(self.path(n) for n in names) if self.validating else ()

    def prognosis(self) -> bool:
        return bool(self.endpoints) and self.run.get("km") is not None

    def no_endpoints(self) -> str:
        return f"no prognostic endpoints in this run (survival.endpoints is empty); {AUTHORS}"

    # -- STARD 2015

    def stard_6(self) -> Fill:
        qc = self.settings.qc
        contrast = self.settings.contrast
        value = (
            f"samples analysed: '{contrast.column}' = '{contrast.case}' (case) or '{contrast.control}' "
            f"(control) with a library of >= {qc.min_library_size:g} miRNA counts and hemolysis "
            f"log2({qc.hemolysis_numerator} / {qc.hemolysis_denominator}) <= {qc.max_hemolysis_log2:g}, "
            f"not excluded by hand (qc.exclude: {len(qc.exclude)} sample(s)); {AUTHORS}: the "
            "participants' eligibility criteria"
        )
        return Fill(value, (self.config("contrast", "qc"),))

    def measure(self) -> str:
        """What the index test measures and how the values are made comparable."""
        counts = self.settings.counts
        if counts.kind != "counts":
            return f"expression values as given ({', '.join(counts.path)}; counts.kind expression)"
        unit = "UMI" if counts.value == "umis" else "read"
        return (
            f"{unit} counts of serum small-RNA libraries ({', '.join(counts.path)}), miRNA names harmonised "
            f"to miRBase v22, normalised by {SIZE_FACTORS[self.settings.normalisation].description}"
        )

    def variables(self) -> list[str]:
        """The cohort table's variables (without its N row)."""
        table = self.run.tables["characteristics"]
        return [v for v in dict.fromkeys(table["variable"].astype(str)) if v != "N"]

    def stard_10a(self) -> Fill:
        panel = self.run.tables["panel"].iloc[0]
        value = f"{self.measure()}; each marker is a test, positive at its cut-off (normalised values): "
        value += self.index_rules(DISCOVERY)
        if pd.notna(panel.get("auc_cv")):
            value += f"; the panel: {panel['model']} model of {str(panel['markers']).replace(';', ', ')}"
            value += " (a predicted probability)"
        if self.validating:
            value += f"; validation: the locked markers and panel of {self.model.path}, applied unchanged"
        value += f"; {AUTHORS}: specimen collection, RNA extraction, library preparation and sequencing"
        sources = (self.path("roc"), self.path("panel"), *self.validation_paths("validation_markers"))
        return Fill(value, (*sources, self.config("counts", "normalisation")))

    def stard_10b(self) -> Fill:
        contrast = self.settings.contrast
        value = (
            f"the sample sheet's column '{contrast.column}': '{contrast.case}' = target condition present "
            f"(case), '{contrast.control}' = absent (control); {AUTHORS}: how the diagnosis was established"
        )
        return Fill(value, (self.path("samples"), self.config("contrast")))

    def stard_12a(self) -> Fill:
        score = CUTOFF_SCORES[self.settings.roc.cutoff].description
        value = (
            f"discovery: data-derived (exploratory): each cut-off is the observed value chosen to {score} "
            f"(roc.cutoff {self.settings.roc.cutoff}) on the discovery cohort itself, so its sensitivity "
            f"and specificity there are optimistic: {self.index_rules(DISCOVERY)}; locked in "
            f"{self.lock.path} (content_sha256 {self.lock.content_sha256[:12]}) for an independent cohort"
        )
        if self.validating:
            value += (
                f"; validation: pre-specified: the cut-offs locked in {self.model.path} (content_sha256 "
                f"{self.model.content_sha256[:12]}) from the discovery data alone, applied unchanged: "
                f"{self.index_rules(VALIDATION)}"
            )
        else:
            value += "; " + self.no_validation("a pre-specified cut-off tested in an independent cohort")
        sources = (self.path("roc"), self.path("lock"), *self.validation_paths("validation_markers"))
        return Fill(value, (*sources, self.config("roc.cutoff")))

    def stard_12b(self) -> Fill:
        parts = []
        for cohort in self.cohorts():
            contrast = self.contrast(cohort)
            parts.append(
                f"{cohort}: '{contrast.case}' (case) and '{contrast.control}' (control) in column "
                f"'{contrast.column}', pre-specified in the {'config' if cohort == DISCOVERY else 'lock'}"
            )
        value = "; ".join(parts) + (
            f"; samples with another or no value are not analysed ({self.per_cohort(self.not_in_contrast)})"
        )
        return Fill(value, (self.path("samples"), self.config("contrast")))

    def stard_14(self) -> Fill:
        roc, panel = self.settings.roc, self.settings.panel
        ci = CI_METHODS[roc.ci].description
        value = (
            f"discovery: AUC with 95% CI by {ci} (roc.ci {roc.ci}), clipped to [0, 1], direction as "
            f"pROC's auto; cut-off chosen to {CUTOFF_SCORES[roc.cutoff].description}; sensitivity and "
            "specificity at it with exact (Clopper-Pearson) 95% CIs from the 2x2 table; markers compared "
            f"by paired DeLong tests; the panel: Firth logistic model, AUC by {panel.n_repeats} repeats of "
            f"stratified {panel.n_folds}-fold cross-validation and Harrell's bootstrap optimism correction "
            f"({panel.n_bootstrap} resamples)"
        )
        keys = ["roc", "panel"]
        if self.validating:
            value += (
                "; validation: AUC with 95% DeLong CI in the locked direction; at the locked cut-offs the "
                "2x2 table, sensitivity, specificity, PPV and NPV with exact (Clopper-Pearson) 95% CIs"
            )
            prevalence = self.settings.prevalence
            if prevalence is not None:
                value += f", PPV and NPV at the prevalence {prevalence:g}"
                keys.append("validation.prevalence")
            value += "; the locked panel's AUC, calibration-in-the-large, calibration slope, Brier score and "
            value += "decision curves"
        return Fill(value, (self.config(*keys),))

    def stard_15(self) -> Fill:
        contrast = self.settings.contrast
        value = (
            "index test: no indeterminate category (every analysed sample is positive or negative at each "
            "cut-off); technical failures (sample QC) are excluded before analysis "
            f"({self.per_cohort(self.qc_failures)}); reference standard: samples whose '{contrast.column}' "
            f"is neither case nor control are not analysed ({self.per_cohort(self.not_in_contrast)})"
        )
        return Fill(value, (self.path("flow"),))

    def stard_16(self) -> Fill:
        contrast = self.settings.contrast
        value = (
            f"reference standard: samples with a missing or other '{contrast.column}' value are not "
            f"analysed ({self.per_cohort(self.not_in_contrast)}); index test: no value is missing among the "
            "analysed samples (a miRNA missing from a sample's count export counts 0; samples failing QC "
            f"are excluded: {self.per_cohort(self.qc_failures)})"
        )
        sources = [self.path("flow"), self.path("logistic")]
        covariates = self.settings.covariates
        if covariates:
            n = self.run.tables["logistic"]["n"].dropna().astype(int)
            analysed = int(self.flow[DISCOVERY].loc[lambda f: f["stage"] == ANALYSED, "n"].sum())
            used = (
                "none fitted" if n.empty else " to ".join(dict.fromkeys(str(v) for v in (n.min(), n.max())))
            )
            value += (
                f"; covariates ({', '.join(covariates)}): complete cases per model (logistic models: "
                f"n = {used} of {analysed} analysed)"
            )
        missing = (
            self.run.tables["validation_panel"]["n_missing_covariates"].iloc[0] if self.validating else None
        )
        if pd.notna(missing):
            value += f"; validation panel: {int(missing)} sample(s) without a panel covariate left out"
            sources.append(self.path("validation_panel"))
        return Fill(value, tuple(sources))

    def stard_19(self) -> Fill:
        value = "; ".join(f"{cohort}: {_flow_text(self.flow[cohort])}" for cohort in self.cohorts())
        return Fill(f"{value}; diagram: {self.path('figure')}", (self.path("flow"), self.path("figure")))

    def stard_20(self) -> Fill:
        value = f"discovery: per group, {_listing(self.variables())} ({self.path('characteristics')})"
        value += "; " + (
            f"validation: {AUTHORS} (the run makes no characteristics table of the validation cohort)"
            if self.validating
            else self.no_validation("its characteristics")
        )
        return Fill(value, (self.path("characteristics"),))

    def stard_23(self) -> Fill:
        parts = []
        for cohort in self.cohorts():
            rows = [
                f"{_rule(row)}: "
                + ", ".join(f"{cell.upper()} {int(row[cell])}" for cell in ("tp", "fn", "fp", "tn"))
                for _, row in self.accuracy[cohort].iterrows()
                if pd.notna(row.get("tp"))
            ]
            parts.append(f"{cohort}: {'; '.join(rows) or 'no marker with a cut-off'}")
        if not self.validating:
            parts.append(self.no_validation("the 2x2 tables at pre-specified cut-offs"))
        return Fill("; ".join(parts), (self.path("roc"), *self.validation_paths("validation_markers")))

    def stard_24(self) -> Fill:
        parts = []
        for cohort in self.cohorts():
            rows = [
                f"{row['mirna']}: AUC {_ci(row, 'auc')}, sensitivity {_ci(row, 'sensitivity')}, "
                f"specificity {_ci(row, 'specificity')}"
                for _, row in self.accuracy[cohort].iterrows()
            ]
            parts.append(f"{cohort}: {'; '.join(rows) or 'no markers'}")
        parts[0] += " (at data-derived cut-offs: optimistic)"
        panel = self.run.tables["panel"].iloc[0]
        if pd.notna(panel.get("auc_cv")):
            parts[0] += (
                f"; panel: cross-validated AUC {_fixed(panel['auc_cv'])} (SD {_fixed(panel['auc_cv_sd'])}), "
                f"optimism-corrected AUC {_fixed(panel.get('auc_corrected'))}, apparent AUC "
                f"{_fixed(panel['auc_apparent'])} (optimistic)"
            )
        sources = [self.path("roc"), self.path("panel")]
        if self.validating:
            locked = self.run.tables["validation_panel"].iloc[0]
            if pd.notna(locked["auc"]):
                parts[1] += (
                    f"; locked panel: AUC {_ci(locked, 'auc')}, calibration-in-the-large "
                    f"{_ci(locked, 'calibration_intercept')}, calibration slope "
                    f"{_ci(locked, 'calibration_slope')}, Brier {_fixed(locked['brier'])}"
                )
            sources += [self.path("validation_markers"), self.path("validation_panel")]
        else:
            parts.append(self.no_validation("estimates at pre-specified cut-offs"))
        return Fill("; ".join(parts), tuple(sources))

    # -- REMARK

    def remark_1(self) -> Fill:
        markers = self.run.tables["markers"]
        how = markers["selected_by"].iloc[0] if len(markers) else "none selected"
        value = f"markers: {_listing(self.markers())} ({how}); {AUTHORS}: study objectives and hypotheses"
        return Fill(value, (self.path("markers"),))

    def remark_2(self) -> Fill:
        value = (
            f"analysed: {_counts(self.flow[DISCOVERY], ANALYSED)}, characteristics per group in "
            f"{self.path('characteristics')}; exclusions: REMARK 12; {AUTHORS}: the patients' source, "
            "disease stage, inclusion and exclusion criteria"
        )
        return Fill(value, (self.path("flow"), self.path("characteristics")))

    def remark_5(self) -> Fill:
        value = (
            f"{self.measure()}; sample QC: library size, detected miRNAs, hemolysis; {AUTHORS}: assay "
            "protocol, reagents and kits, reproducibility, and whether the assays were blinded to the "
            "endpoints"
        )
        return Fill(value, (self.config("counts", "normalisation", "qc"),))

    def remark_6(self) -> Fill | None:
        if self.follow is None or self.follow.empty:
            return None
        parts = []
        for row in self.follow.itertuples():
            median = _g(row.median_follow_up)
            if pd.isna(row.median_follow_up) and row.events == row.patients - row.missing:
                median = "not estimable (no patient censored)"
            parts.append(
                f"{row.endpoint}: median follow-up {median} (reverse Kaplan-Meier; longest "
                f"{_g(row.max_follow_up)}; in the unit of '{row.time}')"
            )
        value = "; ".join(parts) + (
            f"; {AUTHORS}: case selection (prospective or retrospective, stratification or matching), the "
            "period the cases come from and the end of follow-up"
        )
        return Fill(value, (self.path("samples"), self.config("survival.endpoints", "survival.population")))

    def remark_7(self) -> Fill:
        if not self.endpoints:
            return Fill(self.no_endpoints(), (self.config("survival.endpoints"),))
        parts = [
            f"{name}: time '{e.time}', event '{e.event}' (1 = event, 0 = censored), landmark {e.landmark:g}"
            for name, e in self.settings.survival.endpoints.items()
        ]
        value = "; ".join(parts) + f"; {AUTHORS}: the clinical definition of each endpoint"
        return Fill(value, (self.config("survival.endpoints"),))

    def remark_8(self) -> Fill:
        tested = len(self.run.tables["wilcoxon"])
        candidates = self.run.tables["candidates"]
        settings = self.settings
        value = (
            f"{tested} miRNAs passing the filter tested for differential expression; {len(candidates)} "
            f"candidate(s) ({settings.de.screen} fit); markers: {_listing(self.markers())}; model "
            f"covariates: {_listing(settings.covariates)}; Cox adjustment: "
            f"{_listing(settings.survival.adjust_for)}"
        )
        sources = (self.path("wilcoxon"), self.path("candidates"), self.path("markers"))
        return Fill(value, (*sources, self.config("covariates", "survival.adjust_for")))

    def remark_10(self) -> Fill:
        settings = self.settings
        de, survival = settings.de, settings.survival
        covariates = ", ".join(settings.covariates)
        tests = "Wilcoxon-Mann-Whitney"
        if settings.counts.kind == "counts":
            designs = "~ contrast" + (
                f" and ~ {' + '.join(settings.covariates)} + contrast" if covariates else ""
            )
            tests = f"DESeq2 Wald tests ({designs}) and {tests}"
        value = (
            f"differential expression: {tests}, Benjamini-Hochberg; candidates: adjusted p < {de.alpha:g} "
            f"and |log2 fold change| >= {de.min_log2_fold_change:g} in the {de.screen} fit; logistic model "
            f"per candidate{f' adjusted for {covariates}' if covariates else ''} (Firth's penalised "
            "likelihood when separated); diagnostic accuracy: STARD 14"
        )
        if self.endpoints:
            value += (
                f"; prognosis ({survival.population}): Kaplan-Meier medians with {survival.ci_transform} "
                "95% CIs, log-rank tests, Cox models (Efron ties) high vs low and on the continuous marker"
                + (f" adjusted for {', '.join(survival.adjust_for)}" if survival.adjust_for else "")
                + ", the maximally selected log-rank statistic's p corrected for the cut-off search "
                f"(Lausen-Schumacher 1994 and {survival.n_permutations} permutations)"
            )
        value += (
            f"; no variable selection beyond the marker screen; missing data: complete cases per analysis "
            f"(STARD 16); {AUTHORS}: how model assumptions (e.g. proportional hazards) were verified"
        )
        return Fill(value, (self.config("de", "covariates", "survival"),))

    def remark_11(self) -> Fill:
        settings = self.settings
        scale = "log2(value + 1)" if settings.logged else "the values as they are"
        value = (
            f"normalised values, as {scale} (counts.transform) in the logistic, panel and continuous Cox "
            "models; dichotomised for ROC at a data-derived cut-off "
            f"({CUTOFF_SCORES[settings.roc.cutoff].description})"
        )
        keys = ["counts.transform", "roc.cutoff"]
        if self.endpoints:
            method = CUTOFFS[settings.survival.cutoff].description
            value += (
                f" and for Kaplan-Meier per endpoint at a data-derived cut-off ({method}; survival.cutoff "
                f"{settings.survival.cutoff}), its log-rank p reported beside the p corrected for the search"
            )
            keys.append("survival.cutoff")
        if self.validating:
            value += "; validation: the locked (pre-specified) cut-offs, no new search"
        return Fill(value, (self.config(*keys),))

    def remark_12(self) -> Fill:
        value = self.stard_19().value
        sources = [self.path("flow"), self.path("figure")]
        if self.follow is not None and not self.follow.empty:
            population = self.settings.survival.population
            value += "; " + "; ".join(
                f"{row.endpoint}: {row.patients - row.missing} patients ({population}), {row.events} events, "
                f"{row.missing} without time or event left out"
                for row in self.follow.itertuples()
            )
            sources.append(self.path("samples"))
        if self.validating and self.prognosis():
            km = self.run.tables["validation_km"]
            for endpoint, rows in km.groupby("endpoint", sort=False):
                first = rows[rows["mirna"] == rows["mirna"].iloc[0]]
                patients, events = (int(first[c].fillna(0).sum()) for c in ("n", "events"))
                value += f"; validation {endpoint}: {patients} patients, {events} events"
            sources.append(self.path("validation_km"))
        return Fill(value, tuple(sources))

    def remark_13(self) -> Fill:
        value = (
            f"per group, with missing counts: {_listing(self.variables())} ({self.path('characteristics')}); "
            f"the markers per group, median (range): {self.path('table4')}; "
            f"{AUTHORS}: standard prognostic variables the sheet lacks"
        )
        return Fill(value, (self.path("characteristics"), self.path("table4")))

    def remark_15(self) -> Fill:
        if not self.prognosis():
            return Fill(self.no_endpoints(), (self.config("survival.endpoints"),))
        parts = [_km_text(self.run.tables["km"], self.run.tables["cox"])]
        sources = [self.path("km"), self.path("cox")]
        if self.validating:
            parts.append(
                "validation at the locked cut-offs: " + _km_text(self.run.tables["validation_km"], None)
            )
            sources.append(self.path("validation_km"))
        return Fill("; ".join(parts) + " (Kaplan-Meier plots: prog_km_<endpoint> figures)", tuple(sources))

    def remark_16(self) -> Fill:
        logistic = self.run.tables["logistic"]
        covariates = self.settings.covariates
        parts = []
        sources = []
        if covariates:
            rows = logistic[logistic["mirna"].isin(self.markers())]
            parts.append(
                f"diagnostic logistic models adjusted for {', '.join(covariates)}, odds ratio per "
                f"{self.settings.unit}: "
                + _listing(
                    [f"{r.mirna} {_effect(r.odds_ratio, r.ci_low, r.ci_high)}" for r in rows.itertuples()]
                )
            )
            sources.append(self.path("logistic"))
        adjust = self.settings.survival.adjust_for
        if adjust and self.prognosis():
            cox = self.run.tables["cox"]
            rows = cox[cox["model"] == "adjusted"]
            parts.append(
                f"Cox models adjusted for {', '.join(adjust)}: "
                + "; ".join(
                    f"{r.endpoint} {r.mirna} HR {_effect(r.hazard_ratio, r.ci_low, r.ci_high)}"
                    for r in rows.itertuples()
                )
            )
            sources.append(self.path("cox"))
        if not parts:
            return Fill(f"no multivariable model (no covariates, no survival.adjust_for); {AUTHORS}", ())
        value = "; ".join(parts) + f"; {AUTHORS}: the estimates of the other variables in these models"
        return Fill(value, (*sources, self.config("covariates", "survival.adjust_for")))

    def remark_17(self) -> Fill | None:
        included = [*self.settings.covariates, *self.settings.survival.adjust_for]
        if not included:
            return None
        value = (
            f"the adjusted models keep {', '.join(dict.fromkeys(included))} whatever their significance "
            "(no variable selection); estimates: REMARK 16"
        )
        return Fill(value, (self.config("covariates", "survival.adjust_for"),))

    def remark_18(self) -> Fill:
        panel = self.run.tables["panel"].iloc[0]
        parts = []
        if pd.notna(panel.get("auc_cv")):
            parts.append(
                f"internal validation of the panel: cross-validated AUC {_fixed(panel['auc_cv'])} "
                f"({int(panel['n_repeats'])} x {int(panel['n_folds'])}-fold), Harrell's bootstrap "
                f"optimism-corrected AUC {_fixed(panel.get('auc_corrected'))} and calibration slope "
                f"{_fixed(panel.get('slope_corrected'))}"
            )
        if self.settings.counts.kind == "counts" and self.settings.covariates:
            parts.append("DESeq2 fitted with and without the covariates")
        if self.validating:
            parts.append("external validation of the locked model: STARD 23, 24 and REMARK 15")
        parts.append(f"{AUTHORS}: other sensitivity analyses and checks of assumptions")
        return Fill("; ".join(parts), (self.path("panel"), *self.validation_paths("validation_markers")))


def _km_text(km: pd.DataFrame, cox: pd.DataFrame | None) -> str:
    """Per endpoint and marker: the split's HR (high vs low) with CI, log-rank p (and the
    p corrected for the cut-off search when there was one); the continuous Cox HR."""
    parts = []
    for (endpoint, mirna), rows in km.groupby(["endpoint", "mirna"], sort=False):
        first = rows.iloc[0]
        if rows["stratum"].isna().all():
            text = f"{endpoint} {mirna}: not stratified ({first.get('reason')})"
        else:
            text = (
                f"{endpoint} {mirna} split at {_g(first['cutoff'], 6)}: HR high vs low "
                f"{_effect(first['hazard_ratio'], first['hr_ci_low'], first['hr_ci_high'])}, log-rank p "
                f"{_g(first['logrank_p'])}"
            )
            if pd.notna(first.get("maxstat_p")):
                text += f" (corrected for the cut-off search {_g(first['maxstat_p'])})"
        if cox is not None:
            alone = cox[
                (cox["endpoint"] == endpoint) & (cox["mirna"] == mirna) & (cox["model"] == "univariable")
            ]
            for row in alone.itertuples():
                text += f"; continuous Cox HR {_effect(row.hazard_ratio, row.ci_low, row.ci_high)}"
        parts.append(text)
    return "; ".join(parts)


# The items a run fills, by (guideline, item); the others are left to the authors.
FILLS: dict[tuple[str, str], Callable[[_Run], Fill | None]] = {
    (STARD, "6"): _Run.stard_6,
    (STARD, "10a"): _Run.stard_10a,
    (STARD, "10b"): _Run.stard_10b,
    (STARD, "12a"): _Run.stard_12a,
    (STARD, "12b"): _Run.stard_12b,
    (STARD, "14"): _Run.stard_14,
    (STARD, "15"): _Run.stard_15,
    (STARD, "16"): _Run.stard_16,
    (STARD, "19"): _Run.stard_19,
    (STARD, "20"): _Run.stard_20,
    (STARD, "23"): _Run.stard_23,
    (STARD, "24"): _Run.stard_24,
    (REMARK, "1"): _Run.remark_1,
    (REMARK, "2"): _Run.remark_2,
    (REMARK, "5"): _Run.remark_5,
    (REMARK, "6"): _Run.remark_6,
    (REMARK, "7"): _Run.remark_7,
    (REMARK, "8"): _Run.remark_8,
    (REMARK, "10"): _Run.remark_10,
    (REMARK, "11"): _Run.remark_11,
    (REMARK, "12"): _Run.remark_12,
    (REMARK, "13"): _Run.remark_13,
    (REMARK, "15"): _Run.remark_15,
    (REMARK, "16"): _Run.remark_16,
    (REMARK, "17"): _Run.remark_17,
    (REMARK, "18"): _Run.remark_18,
}


def checklist(
    run: RunTables,
    settings: ReportingSettings,
    flow: pd.DataFrame,
    follow: pd.DataFrame | None,
    lock: LockedModel,
    model: LockedModel | None = None,
) -> pd.DataFrame:
    """Every STARD 2015 and REMARK item (:data:`ITEMS`) with the run's value and its source
    where the run knows it, else "to be completed by the authors" (:data:`CHECKLIST_COLUMNS`;
    ``status``: run, run + authors, or authors). ``flow``: :func:`participant_flow` of each
    cohort; ``follow``: :func:`follow_up` (None without endpoints); ``lock``: this run's
    locked model; ``model``: the model applied to the validation cohort (None: no validation)."""
    known = _Run(run, settings, flow, follow, lock, model)
    rows = []
    for guideline, item, section, description in ITEMS:
        fill = FILLS[(guideline, item)](known) if (guideline, item) in FILLS else None
        value, source = (fill.value, "; ".join(fill.sources)) if fill else (AUTHORS, "")
        status = "authors" if value == AUTHORS else "run + authors" if AUTHORS in value else "run"
        rows.append(
            {"guideline": guideline, "item": item, "description": description, "value": value}
            | {"source": source, "section": section, "status": status}
        )
    return pd.DataFrame(rows, columns=CHECKLIST_COLUMNS)
