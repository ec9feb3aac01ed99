"""Seeded simulator of a SIMULATED demo cohort: serum QIAseq miRNA UMI counts in a GeneGlobe workbook.

Calibrated to the SENECA trial miRNA study (Eur J Cancer 2024, doi:10.1016/j.ejca.2024.114129):
Table 1 and 3 (cohort), Table 4 (the 20 miRNAs up in NEC patients), Table 5 (PFS and OS).
Known design, so that the workflow can be checked against the truth:

- miR-1246, miR-1290 and miR-320c are up in patients independently of age; their level also
  tracks a latent per-patient tumour burden, which shortens PFS and OS;
- the other 17 Table 4 miRNAs rise with age only, and look "up in patients" because patients
  are older than the donors (they lose significance once age is in the model);
- every other miRNA has no group or age effect;
- one (``--hemolysed``) extra healthy-donor library is hemolysed: miR-451a hugely up.

With ``--null`` (``null=True``) the cohort has no group effect at all, for calibration studies
(tools/calibrate_null.py): every miRNA's disease effect, age slope and tumour-burden loading is 0,
so no miRNA differs between patients and donors, none depends on age (nothing is confounded with
the groups' age difference) and survival, still driven by the latent burden, is unrelated to every
miRNA. Everything else (random streams included) is as without it.

With ``--design-seed`` (``design_seed``) the miRNome design (which miRNAs are expressed, their
baselines, dispersions and effects) comes from that seed and everything about the people and
libraries from ``--seed``: a new cohort of the same assay and biology, e.g. an independent
validation cohort for the discovery demo's locked model (``--id-prefix V`` keeps its sample ids
apart from the discovery ids).

Nothing here is real patient data.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter
from scipy.special import ndtri

# A tool beside the data it makes, outside the workflow's runtime library; it uses the
# library's KM median (R's rule) to calibrate the simulated survival times.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workflow" / "scripts"))
from mirflow.stats.survival import km_median

DEFAULT_SEED = 20240525
DEFAULT_MIRBASE = Path("resources/mirbase/mirbase_v22_hsa.csv")
FIXED_TIMESTAMP = datetime.datetime(2024, 5, 25, 0, 0, 0)
SOURCE = "SENECA trial miRNA study, Eur J Cancer 2024, doi:10.1016/j.ejca.2024.114129"

# Table 4: median normalised counts, healthy donors and NEC patients.
TABLE4 = {
    "hsa-miR-1224-5p": (6.6, 458.6),
    "hsa-miR-1246": (206.6, 2596.1),
    "hsa-miR-1290": (38.6, 415.6),
    "hsa-miR-141-3p": (9.9, 40.0),
    "hsa-miR-200a-3p": (5.1, 40.0),
    "hsa-miR-200b-3p": (7.7, 46.6),
    "hsa-miR-200c-3p": (147.6, 370.3),
    "hsa-miR-210-3p": (20.3, 96.0),
    "hsa-miR-320b": (160.1, 380.7),
    "hsa-miR-320c": (383.6, 2884.8),
    "hsa-miR-320d": (126.5, 1329.3),
    "hsa-miR-375-3p": (312.6, 11366.9),
    "hsa-miR-4488": (5.1, 60.3),
    "hsa-miR-483-5p": (271.0, 1424.8),
    "hsa-miR-760": (85.7, 246.1),
    "hsa-miR-874-3p": (37.9, 106.8),
    "hsa-miR-92b-3p": (221.3, 460.8),
    "hsa-miR-95-3p": (4.3, 36.8),
    "hsa-miR-10a-5p": (98.8, 218.9),
    "hsa-miR-184": (2.4, 13.4),
}
# Age-independent disease markers and how strongly each follows the latent tumour burden
# (log-scale SD among patients, from Table 4's patient ranges).
BURDEN_LOADING = {"hsa-miR-1246": 1.3, "hsa-miR-1290": 1.5, "hsa-miR-320c": 1.3}
# Age-driven miRNAs: patients/healthy ratio at least this, so the crude log2 fold change is > 1.
MIN_AGE_RATIO = 3.0

# Serum-abundant miRNAs, counts per million miRNA UMIs in a normal library.
SERUM_ABUNDANT = {
    "hsa-miR-486-5p": 180000,
    "hsa-miR-451a": 150000,
    "hsa-miR-16-5p": 90000,
    "hsa-miR-92a-3p": 60000,
    "hsa-miR-25-3p": 30000,
    "hsa-let-7b-5p": 25000,
    "hsa-miR-223-3p": 25000,
    "hsa-let-7a-5p": 20000,
    "hsa-let-7f-5p": 15000,
    "hsa-miR-22-3p": 12000,
    "hsa-let-7g-5p": 10000,
    "hsa-miR-423-5p": 10000,
    "hsa-let-7i-5p": 8000,
    "hsa-miR-23a-3p": 8000,
    "hsa-miR-126-3p": 8000,
    "hsa-miR-191-5p": 8000,
    "hsa-miR-142-3p": 6000,
    "hsa-miR-21-5p": 6000,
    "hsa-miR-320a-3p": 6000,
    "hsa-let-7c-5p": 5000,
    "hsa-let-7d-5p": 5000,
    "hsa-miR-103a-3p": 5000,
    "hsa-miR-26a-5p": 5000,
    "hsa-miR-146a-5p": 4000,
    "hsa-miR-19b-3p": 4000,
    "hsa-miR-93-5p": 4000,
    "hsa-let-7e-5p": 3000,
    "hsa-miR-106b-5p": 3000,
    "hsa-miR-122-5p": 3000,
    "hsa-miR-140-3p": 3000,
    "hsa-miR-148a-3p": 3000,
    "hsa-miR-150-5p": 3000,
    "hsa-miR-15a-5p": 3000,
    "hsa-miR-185-5p": 3000,
    "hsa-miR-20a-5p": 3000,
    "hsa-miR-24-3p": 3000,
    "hsa-miR-30d-5p": 3000,
    "hsa-miR-30e-5p": 3000,
    "hsa-miR-107": 2000,
    "hsa-miR-144-3p": 2000,
    "hsa-miR-181a-5p": 2000,
    "hsa-miR-27a-3p": 2000,
    "hsa-miR-15b-5p": 2000,
    "hsa-miR-17-5p": 2000,
    "hsa-miR-221-3p": 1500,
    "hsa-miR-30a-5p": 1500,
    "hsa-miR-342-3p": 1500,
    "hsa-miR-192-5p": 1500,
    "hsa-miR-101-3p": 1000,
    "hsa-miR-125a-5p": 1000,
    "hsa-miR-143-3p": 1000,
    "hsa-miR-199a-3p": 1000,
}
# Fold changes of red-blood-cell miRNAs in a hemolysed library (log2(451a/23a) rises by ~6.5).
HEMOLYSIS_FOLD = {
    "hsa-miR-451a": 2**6.5,
    "hsa-miR-144-3p": 8.0,
    "hsa-miR-16-5p": 4.0,
    "hsa-miR-486-5p": 3.0,
    "hsa-miR-92a-3p": 2.0,
}
# The hemolysis index pair is abundant and tight, so normal libraries stay far below 7.
HEMOLYSIS_PAIR_DISPERSION = 0.08

# Table 3 (age median and range), Tables 1/3 (proportions), Table 5 (survival).
AGE_CONTROLS = (28.6, 34.9, 53.6)
AGE_CASES = (35.8, 60.5, 78.4)
MALE_FRACTION = {"NEC": 10 / 18, "healthy": 12 / 20}
LUNG_FRACTION = 3 / 18
KI67_HIGH_FRACTION = 11 / 18
DEATH_FRACTION = 14 / 18
ECOG_PROBABILITIES = (0.45, 0.45, 0.10)
PFS_MEDIAN = 5.2
OS_MEDIAN = 10.5
PFS_BURDEN_LOG_HR = 1.1  # log hazard ratio per SD of tumour burden
OS_BURDEN_LOG_HR = 0.9
N_PIRNAS = 50

SHEET_COLUMNS = [
    "sample",
    "group",
    "age",
    "sex",
    "site",
    "ki67",
    "ki67_group",
    "arm",
    "ecog",
    "pfs_months",
    "pfs_event",
    "os_months",
    "os_event",
]
SUMMARY_ROWS = {  # share of the non-miRNA reads, after the real GeneGlobe summary sheet
    "no_adapter_reads": 0.012,
    "too_short_reads": 0.38,
    "UMI_defective_reads": 0.015,
    "hairpin_Reads": 0.0003,
    "piRNA_Reads": None,
    "rRNA_Reads": 0.28,
    "tRNA_Reads": 0.13,
    "mRNA_Reads": 0.002,
    "otherRNA_Reads": 0.02,
    "notCharacterized_Mappable": 0.03,
    "notCharacterized_notMappable": 0.05,
}


@dataclass(frozen=True)
class SimulatedCohort:
    """A simulated cohort: counts (feature x sample, int), sample sheet, and the hidden truth."""

    umis: pd.DataFrame
    reads: pd.DataFrame
    pirna_umis: pd.DataFrame
    pirna_reads: pd.DataFrame
    read_summary: pd.DataFrame
    samples: pd.DataFrame
    truth: pd.DataFrame
    design: pd.DataFrame
    seed: int
    null: bool = False
    design_seed: int | None = None
    id_prefix: str = ""

    @property
    def mirnome_seed(self) -> int:
        """The seed of the miRNome design (``seed`` unless a design seed was given)."""
        return self.seed if self.design_seed is None else self.design_seed

    @property
    def command(self) -> str:
        """The CLI call that regenerates this cohort."""
        groups = self.samples["group"]
        n_hemolysed = int(self.truth["hemolysed"].sum())
        return (
            "python resources/demo/simulate_demo.py"
            f" --seed {self.seed} --cases {int((groups == 'NEC').sum())}"
            f" --controls {int((groups == 'healthy').sum()) - n_hemolysed}"
            f" --hemolysed {n_hemolysed}"
            + (f" --design-seed {self.mirnome_seed}" if self.mirnome_seed != self.seed else "")
            + (f" --id-prefix {self.id_prefix}" if self.id_prefix else "")
            + (" --null" if self.null else "")
        )


def load_mirnome(path: Path | str = DEFAULT_MIRBASE) -> list[str]:
    """Unique mature miRNA names of a miRBase table (columns mature1, mature2), sorted."""
    table = pd.read_csv(path)
    names = pd.concat([table["mature1"], table["mature2"]]).dropna().unique()
    return sorted(str(name) for name in names)


def design_mirnome(mirnas: Sequence[str], rng: np.random.Generator) -> pd.DataFrame:
    """Per-miRNA truth: baseline share, NB dispersion, age slope and disease effect.

    Baseline (``base_cpm``, mean per million UMIs at the donors' median age): serum-abundant
    miRNAs as given, Table 4 miRNAs from their healthy medians, the rest a long tail (about 45%
    essentially absent) scaled to fill the remaining share. Dispersion: about 0.1-0.4 for
    abundant miRNAs, higher for rare ones. Age-driven miRNAs get the log-linear age slope that
    turns the Table 4 healthy median into the patient median over the groups' median age gap.
    """
    names = pd.Index(mirnas, name="mirna")
    missing = sorted(set(TABLE4) - set(names))
    if missing:
        raise ValueError(f"Table 4 miRNAs missing from the miRNome: {missing}")
    n = len(names)
    absent = rng.random(n) < 0.45
    tail = np.where(absent, 10 ** rng.normal(-2.5, 0.7, n), 10 ** rng.normal(0.5, 1.0, n))
    fixed = pd.Series({**SERUM_ABUNDANT, **{k: v[0] for k, v in TABLE4.items()}}, dtype=float)
    fixed = fixed[fixed.index.isin(names)]
    is_fixed = names.isin(fixed.index)
    tail[is_fixed] = 0.0
    base = tail * (1e6 - fixed.sum()) / tail.sum()
    base[names.get_indexer(fixed.index)] = fixed.to_numpy()

    asymptotic = np.exp(rng.normal(np.log(0.2), 0.3, n)).clip(0.08, 0.45)
    dispersion = asymptotic + 1.0 / np.maximum(base, 1e-3)
    dispersion = np.minimum(dispersion, 20.0)
    dispersion[names.isin(["hsa-miR-451a", "hsa-miR-23a-3p"])] = HEMOLYSIS_PAIR_DISPERSION
    table4 = names.get_indexer(list(TABLE4))
    base[table4] /= 1 - dispersion[table4] / 3  # Table 4 gives medians; a gamma's median ~ (1 - a/3) mean

    age_gap = AGE_CASES[1] - AGE_CONTROLS[1]
    age_slope = np.zeros(n)
    disease = np.zeros(n)
    loading = np.zeros(n)
    role = np.full(n, "null", dtype=object)
    for name, (healthy, patient) in TABLE4.items():
        i = names.get_loc(name)
        if name in BURDEN_LOADING:
            disease[i] = np.log(patient / healthy)
            loading[i] = BURDEN_LOADING[name]
            role[i] = "disease"
        else:
            age_slope[i] = np.log(max(patient / healthy, MIN_AGE_RATIO)) / age_gap
            role[i] = "age"
    return pd.DataFrame(
        {
            "role": role,
            "base_cpm": base,
            "dispersion": dispersion,
            "age_slope": age_slope,
            "disease_log_effect": disease,
            "burden_loading": loading,
        },
        index=names,
    )


EFFECT_COLUMNS = ["age_slope", "disease_log_effect", "burden_loading"]


def null_design(design: pd.DataFrame) -> pd.DataFrame:
    """The miRNome design without any effect: age slopes, disease effects and burden loadings
    0 and every role ``null`` (baselines and dispersions unchanged)."""
    return design.assign(role="null", **dict.fromkeys(EFFECT_COLUMNS, 0.0))


def pinned_ages(
    n: int, limits: tuple[float, float, float], shape: tuple[float, float], rng: np.random.Generator
) -> np.ndarray:
    """Ages (one decimal) drawn from a Beta on the seed's range, pinned to its min/median/max.

    A monotone piecewise-linear map moves the sample minimum, median and maximum exactly onto
    ``limits`` (for an even n the two middle ages straddle the median symmetrically), so the
    default demo reproduces Table 3 and any other n keeps the same distribution.
    """
    low, median, high = limits
    raw = low + (high - low) * rng.beta(*shape, n)
    if n < 3:
        return np.round(raw, 1)
    ordered = np.sort(raw)
    if n % 2:
        knots_x = [ordered[0], ordered[n // 2], ordered[-1]]
        knots_y = [low, median, high]
    else:
        below, above = ordered[n // 2 - 1], ordered[n // 2]
        scale = (high - low) / (ordered[-1] - ordered[0])
        half = max(0.1, round((above - below) / 2 * scale, 1))
        half = min(half, round((median - low) / 2, 1), round((high - median) / 2, 1))
        knots_x = [ordered[0], below, above, ordered[-1]]
        knots_y = [low, median - half, median + half, high]
    return np.round(np.interp(raw, knots_x, knots_y), 1)


def _exact_count(n: int, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Boolean vector with round(n * fraction) True entries in random order."""
    flags = np.arange(n) < round(n * fraction)
    return rng.permutation(flags)


def simulate_survival(burden: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """PFS and OS (months) for patients: Weibull times whose hazard rises with the burden.

    Everybody progresses; OS = PFS + post-progression survival. The patients alive at the data
    cut-off (the DEATH_FRACTION complement, those with the longest survival) are censored at a
    last contact between progression and death. One global time scale per endpoint is set so
    that the Kaplan-Meier medians match Table 5 (PFS 5.2, OS 10.5 months).
    """
    n = len(burden)
    pfs = (rng.exponential(size=n) / np.exp(PFS_BURDEN_LOG_HR * burden)) ** (1 / 1.6)
    pps = (rng.exponential(size=n) / np.exp(OS_BURDEN_LOG_HR * burden)) ** (1 / 1.2)
    contact = rng.uniform(0.4, 0.9, n)
    pfs = pfs * PFS_MEDIAN / np.median(pfs)
    n_alive = n - round(n * DEATH_FRACTION)

    def observed(scale: float) -> tuple[np.ndarray, np.ndarray]:
        true_os = pfs + scale * pps
        alive = np.zeros(n, dtype=bool)
        alive[np.argsort(-true_os, kind="stable")[:n_alive]] = True
        return np.where(alive, pfs + scale * pps * contact, true_os), (~alive).astype(int)

    low, high = 1e-3, 1e3
    for _ in range(80):
        mid = np.sqrt(low * high)
        if km_median(*observed(mid)) < OS_MEDIAN:
            low = mid
        else:
            high = mid
    os_time, os_event = observed(high)
    pfs_months = np.maximum(np.round(pfs, 1), 0.1)
    return pd.DataFrame(
        {
            "pfs_months": pfs_months,
            "pfs_event": np.ones(n, dtype=int),
            "os_months": np.maximum(np.round(os_time, 1), pfs_months),
            "os_event": os_event,
        }
    )


def simulate_samples(
    n_cases: int, n_controls: int, n_hemolysed: int, rng: np.random.Generator, id_prefix: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sample sheet (Tables 1 and 3) and per-sample truth (hemolysed, tumour burden).

    Patients NEC01.., donors HD01.. (each id after ``id_prefix``); the hemolysed libraries are
    extra donors at random positions among the HD ids, with ages from the donor distribution.
    """
    n_donors = n_controls + n_hemolysed
    case_ids = [f"{id_prefix}NEC{i:0{max(2, len(str(n_cases)))}d}" for i in range(1, n_cases + 1)]
    donor_ids = [f"{id_prefix}HD{i:0{max(2, len(str(n_donors)))}d}" for i in range(1, n_donors + 1)]
    hemolysed = np.zeros(n_donors, dtype=bool)
    hemolysed[rng.choice(n_donors, n_hemolysed, replace=False)] = True

    donor_age = np.empty(n_donors)
    donor_age[~hemolysed] = pinned_ages(n_controls, AGE_CONTROLS, (1.6, 4.0), rng)
    low, _, high = AGE_CONTROLS
    donor_age[hemolysed] = np.round(low + (high - low) * rng.beta(1.6, 4.0, n_hemolysed), 1)
    donor_male = np.empty(n_donors, dtype=bool)
    donor_male[~hemolysed] = _exact_count(n_controls, MALE_FRACTION["healthy"], rng)
    donor_male[hemolysed] = rng.random(n_hemolysed) < MALE_FRACTION["healthy"]

    burden = ndtri((rng.permutation(n_cases) + 0.5) / n_cases)  # normal scores, random order
    ki67_rank = np.argsort(np.argsort(burden + rng.standard_normal(n_cases)))
    ki67_high = ki67_rank >= n_cases - round(n_cases * KI67_HIGH_FRACTION)
    ki67 = np.where(ki67_high, rng.integers(56, 96, n_cases), rng.integers(21, 55, n_cases))
    arm = rng.permutation(np.arange(n_cases) < (n_cases + 1) // 2)
    cases = pd.DataFrame(
        {
            "sample": case_ids,
            "group": "NEC",
            "age": pinned_ages(n_cases, AGE_CASES, (3.2, 2.4), rng),
            "sex": np.where(_exact_count(n_cases, MALE_FRACTION["NEC"], rng), "M", "F"),
            "site": np.where(_exact_count(n_cases, LUNG_FRACTION, rng), "lung", "GEP"),
            "ki67": ki67,
            "ki67_group": np.where(ki67_high, ">55", "<55"),
            "arm": np.where(arm, "FOLFIRI", "CAPTEM"),
            "ecog": rng.choice(3, n_cases, p=ECOG_PROBABILITIES),
        }
    )
    cases = pd.concat([cases, simulate_survival(burden, rng)], axis=1)
    donors = pd.DataFrame(
        {
            "sample": donor_ids,
            "group": "healthy",
            "age": donor_age,
            "sex": np.where(donor_male, "M", "F"),
        }
    )
    samples = pd.concat([cases, donors], ignore_index=True).reindex(columns=SHEET_COLUMNS)
    for column in ["ki67", "ecog", "pfs_event", "os_event"]:
        samples[column] = samples[column].astype("Int64")
    truth = pd.DataFrame(
        {
            "hemolysed": np.concatenate([np.zeros(n_cases, dtype=bool), hemolysed]),
            "burden": np.concatenate([burden, np.zeros(n_donors)]),
        },
        index=pd.Index(samples["sample"], name="sample"),
    )
    return samples, truth


def _negative_binomial(mean: np.ndarray, dispersion: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """NB counts as a gamma-Poisson mixture; ``dispersion`` is per row (variance mu + a mu^2)."""
    shape = 1.0 / dispersion[:, None]
    return rng.poisson(mean * rng.gamma(shape, 1.0 / shape, size=mean.shape))


def _reads_from_umis(umis: np.ndarray, duplication: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """READs = UMIs plus Poisson PCR duplicates (per-library factor with per-feature noise)."""
    factor = duplication[None, :] * np.exp(rng.normal(0.0, 0.15, umis.shape))
    return umis + rng.poisson(umis * np.maximum(factor - 1.0, 0.0))


def simulate_counts(
    design: pd.DataFrame, samples: pd.DataFrame, truth: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """miRNA UMI and READ counts (miRNA x sample) and per-library depth and duplication.

    Each library's composition is the baseline shifted by age (age-driven miRNAs), by disease
    and tumour burden (disease markers, patients only) and by hemolysis, renormalised to one;
    the expected UMIs are that composition times a log-normal library size (median 1 M,
    0.3-3 M), and the counts are negative binomial around it.
    """
    n = len(samples)
    age = samples["age"].to_numpy(float) - AGE_CONTROLS[1]
    is_case = (samples["group"] == "NEC").to_numpy(float)
    burden = truth["burden"].to_numpy()
    hemolysed = truth["hemolysed"].to_numpy(float)
    hemolysis = np.log(pd.Series(HEMOLYSIS_FOLD).reindex(design.index, fill_value=1.0).to_numpy())

    log_share = (
        np.log(design["base_cpm"].to_numpy())[:, None]
        + design["age_slope"].to_numpy()[:, None] * age[None, :]
        + design["disease_log_effect"].to_numpy()[:, None] * is_case[None, :]
        + design["burden_loading"].to_numpy()[:, None] * (is_case * burden)[None, :]
        + hemolysis[:, None] * hemolysed[None, :]
    )
    share = np.exp(log_share - log_share.max(axis=0))
    share /= share.sum(axis=0)
    depth = np.exp(rng.normal(np.log(1e6), 0.45, n)).clip(3e5, 3e6)
    umis = _negative_binomial(share * depth[None, :], design["dispersion"].to_numpy(), rng)
    duplication = rng.uniform(1.5, 3.0, n)
    reads = _reads_from_umis(umis, duplication, rng)
    columns = pd.Index(samples["sample"], name="sample")
    libraries = pd.DataFrame({"depth": depth, "duplication": duplication}, index=columns)
    return (
        pd.DataFrame(umis, index=design.index, columns=columns),
        pd.DataFrame(reads, index=design.index, columns=columns),
        libraries,
    )


def simulate_pirnas(libraries: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """piRNA UMIs and READs for N_PIRNAS piRNABank-style names (hsa_piR_000651/gb/DQ570812/Homo)."""
    ids = np.sort(rng.choice(np.arange(1, 32827), N_PIRNAS, replace=False))
    names = pd.Index(
        [f"hsa_piR_{i:06d}/gb/DQ{570000 + int(i * 1.25) + 7:06d}/Homo" for i in ids], name="pirna"
    )
    base = np.exp(rng.normal(np.log(40.0), 1.3, N_PIRNAS))
    mean = base[:, None] * libraries["depth"].to_numpy()[None, :] / 1e6
    umis = _negative_binomial(mean, np.full(N_PIRNAS, 0.3), rng)
    reads = _reads_from_umis(umis, libraries["duplication"].to_numpy(), rng)
    columns = libraries.index
    return pd.DataFrame(umis, index=names, columns=columns), pd.DataFrame(reads, index=names, columns=columns)


def read_summary(reads: pd.DataFrame, pirna_reads: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """GeneGlobe `summary` sheet: read categories per library, miRNA 15-40% of all reads."""
    mirna = reads.sum(axis=0).to_numpy()
    other = mirna * (1 / rng.uniform(0.15, 0.40, len(mirna)) - 1)
    rows = {}
    for name, share in SUMMARY_ROWS.items():
        if share is None:
            rows[name] = pirna_reads.sum(axis=0).to_numpy()
        else:
            rows[name] = np.round(other * share * np.exp(rng.normal(0, 0.2, len(mirna))))
    rows["miRNA_Reads"] = mirna
    table = pd.DataFrame(rows, index=reads.columns).T.astype(np.int64)
    total = table.sum(axis=0).rename("total_reads").to_frame().T
    order = ["total_reads", *list(SUMMARY_ROWS)[:3], "miRNA_Reads", *list(SUMMARY_ROWS)[3:]]
    return pd.concat([total, table]).loc[order].rename_axis("read set")


def simulate_cohort(
    mirnas: Sequence[str],
    n_cases: int = 18,
    n_controls: int = 20,
    n_hemolysed: int = 1,
    seed: int = DEFAULT_SEED,
    null: bool = False,
    design_seed: int | None = None,
    id_prefix: str = "",
) -> SimulatedCohort:
    """Simulate a SENECA-like cohort: n_cases NEC patients, n_controls donors, n_hemolysed extra donors.

    Independent random streams (miRNome design, samples, counts, piRNAs) derive from ``seed``,
    so the same arguments always give the same cohort. ``design_seed`` (default ``seed``) seeds
    the miRNome design's stream alone, so that another ``seed`` with the discovery's design seed
    is a new cohort of the same assay and biology. ``id_prefix`` goes before every sample id.
    ``null``: no miRNA has a group, age or tumour-burden effect (:func:`null_design`); the random
    draws are the same as without it.
    """
    if n_cases < 1 or n_controls < 1 or n_hemolysed < 0:
        raise ValueError("need at least one case and one control, and n_hemolysed >= 0")
    children = np.random.SeedSequence(seed).spawn(4)
    if design_seed is not None:  # the design's stream as the design seed's own cohort draws it
        children[0] = np.random.SeedSequence(design_seed).spawn(4)[0]
    streams = [np.random.default_rng(child) for child in children]
    design = design_mirnome(mirnas, streams[0])
    if null:
        design = null_design(design)
    samples, truth = simulate_samples(n_cases, n_controls, n_hemolysed, streams[1], id_prefix)
    umis, reads, libraries = simulate_counts(design, samples, truth, streams[2])
    pirna_umis, pirna_reads = simulate_pirnas(libraries, streams[3])
    return SimulatedCohort(
        umis=umis,
        reads=reads,
        pirna_umis=pirna_umis,
        pirna_reads=pirna_reads,
        read_summary=read_summary(reads, pirna_reads, streams[3]),
        samples=samples,
        truth=truth.join(libraries),
        design=design,
        seed=seed,
        null=null,
        design_seed=design_seed,
        id_prefix=id_prefix,
    )


def about_lines(cohort: SimulatedCohort) -> list[str]:
    """The provenance statement written into the workbook and the sample sheet."""
    hemolysed = (
        f" {int(cohort.truth['hemolysed'].sum())} hemolysed healthy-donor library(ies)"
        " (log2 miR-451a/miR-23a-3p > 7)."
    )
    if cohort.null:
        design = (
            "Design: NULL cohort - no miRNA differs between patients and donors or depends on age,"
            " survival is unrelated to every miRNA;" + hemolysed
        )
    else:
        design = (
            "Design: miR-1246, miR-1290, miR-320c up in patients independently of age (and with a latent"
            " tumour burden that shortens PFS/OS); the other 17 Table 4 miRNAs rise with age only;"
            + hemolysed
        )
    return [
        "SIMULATED DEMO DATA - not real patients, not real sequencing.",
        f"Generated by: {cohort.command}",
        f"Seed: {cohort.seed}"
        + (f" (miRNome design: seed {cohort.mirnome_seed})" if cohort.mirnome_seed != cohort.seed else ""),
        f"Calibrated to: {SOURCE}, Tables 1, 3, 4 and 5.",
        design,
        "Layout: QIAGEN GeneGlobe QIAseq miRNA Quantification export (legacy portal), miRBase v22 names.",
    ]


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed member timestamps and permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


def _append_counts(sheet, umis: pd.DataFrame, reads: pd.DataFrame) -> None:
    """Append one row per feature: name, its UMIs per sample, then its READs per sample."""
    values = np.hstack([umis.to_numpy(), reads.to_numpy()]).tolist()
    for name, row in zip(umis.index, values, strict=True):
        sheet.append([name, *row])


def write_geneglobe_workbook(cohort: SimulatedCohort, path: Path | str) -> None:
    """Write a GeneGlobe-style workbook: sheets `about`, `summary`, `miRNA_piRNA`, byte-reproducible.

    `miRNA_piRNA` mirrors the real export: `miRNA | <s>-UMIs ... | <s>-READs ...`, the miRNAs
    detected in at least one library (sorted), a separator row `piRNA`, then the piRNAs.
    """
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "resources/demo/simulate_demo.py"
    workbook.properties.title = "SIMULATED demo data (not real patients)"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP

    about = workbook.create_sheet("about")
    for line in about_lines(cohort):
        about.append([line])

    summary = workbook.create_sheet("summary")
    summary.append(["read set", *cohort.read_summary.columns])
    for name, row in cohort.read_summary.iterrows():
        summary.append([name, *row.tolist()])

    counts = workbook.create_sheet("miRNA_piRNA")
    samples = list(cohort.umis.columns)
    counts.append(["miRNA", *[f"{s}-UMIs" for s in samples], *[f"{s}-READs" for s in samples]])
    detected = cohort.umis.index[(cohort.umis > 0).any(axis=1)]
    _append_counts(counts, cohort.umis.loc[detected], cohort.reads.loc[detected])
    counts.append(["piRNA"])
    _append_counts(counts, cohort.pirna_umis, cohort.pirna_reads)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(_deterministic_zip(buffer.getvalue()))


def write_sample_sheet(cohort: SimulatedCohort, path: Path | str) -> None:
    """Write the sample sheet TSV (missing = NA) after a `# SIMULATED ...` comment line."""
    header = (
        f"# SIMULATED demo cohort, not real patients: {cohort.command};"
        f" calibrated to {SOURCE}, Tables 1, 3, 4, 5.\n"
    )
    body = cohort.samples.to_csv(sep="\t", index=False, na_rep="NA", float_format="%.1f", lineterminator="\n")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(header + body, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    """CLI: simulate a cohort and write the GeneGlobe workbook and the sample sheet."""
    parser = argparse.ArgumentParser(
        prog="python resources/demo/simulate_demo.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out-workbook", type=Path, default=Path("resources/demo/demo_geneglobe.xlsx"))
    parser.add_argument("--out-samples", type=Path, default=Path("config/samples.tsv"))
    parser.add_argument(
        "--mirbase", type=Path, default=DEFAULT_MIRBASE, help="miRBase table (mature1/mature2)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--design-seed",
        type=int,
        help="seed of the miRNome design (default: --seed); the discovery's for a validation cohort",
    )
    parser.add_argument("--id-prefix", default="", help="prefix of every sample id (V: VNEC01, VHD01)")
    parser.add_argument("--cases", type=int, default=18, help="NEC patients")
    parser.add_argument("--controls", type=int, default=20, help="healthy donors (not hemolysed)")
    parser.add_argument("--hemolysed", type=int, default=1, help="extra hemolysed healthy-donor libraries")
    parser.add_argument(
        "--null",
        action="store_true",
        help="no group effect: no miRNA differs between groups, depends on age or tracks survival",
    )
    args = parser.parse_args(argv)
    cohort = simulate_cohort(
        load_mirnome(args.mirbase),
        args.cases,
        args.controls,
        args.hemolysed,
        args.seed,
        null=args.null,
        design_seed=args.design_seed,
        id_prefix=args.id_prefix,
    )
    write_geneglobe_workbook(cohort, args.out_workbook)
    write_sample_sheet(cohort, args.out_samples)


if __name__ == "__main__":
    main()
