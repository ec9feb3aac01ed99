"""Unit tests of the SIMULATED demo-cohort generator (resources/demo/simulate_demo.py)."""

import hashlib

import numpy as np
import openpyxl
import pandas as pd
import pytest
import simulate_demo as simulate
from conftest import ROOT

from mirflow.stats.survival import km_median

THREE = ["hsa-miR-1246", "hsa-miR-1290", "hsa-miR-320c"]


@pytest.fixture(scope="module")
def mirnas():
    return simulate.load_mirnome(ROOT / "resources" / "mirbase" / "mirbase_v22_hsa.csv")


@pytest.fixture(scope="module")
def cohort(mirnas):
    return simulate.simulate_cohort(mirnas)


# The bundled SIMULATED validation cohort (resources/demo/README.md): the discovery demo's
# miRNome design, new people and libraries, ids prefixed with V.
VALIDATION_SEED = 20250101
VALIDATION_ARGS = ["--seed", str(VALIDATION_SEED), "--design-seed", str(simulate.DEFAULT_SEED)]
VALIDATION_ARGS += ["--cases", "40", "--controls", "40", "--hemolysed", "1", "--id-prefix", "V"]


@pytest.fixture(scope="module")
def validation_cohort(mirnas):
    return simulate.simulate_cohort(
        mirnas, 40, 40, 1, seed=VALIDATION_SEED, design_seed=simulate.DEFAULT_SEED, id_prefix="V"
    )


def hemolysis_log2(umis: pd.DataFrame) -> pd.Series:
    return np.log2(umis.loc["hsa-miR-451a"] / umis.loc["hsa-miR-23a-3p"])


def test_mirnome_is_v22_human(mirnas):
    assert len(mirnas) == len(set(mirnas)) > 2600
    assert set(simulate.TABLE4) <= set(mirnas)


def test_same_seed_same_cohort_other_seed_differs(mirnas, cohort):
    again = simulate.simulate_cohort(mirnas)
    pd.testing.assert_frame_equal(cohort.umis, again.umis)
    pd.testing.assert_frame_equal(cohort.reads, again.reads)
    pd.testing.assert_frame_equal(cohort.samples, again.samples)
    other = simulate.simulate_cohort(mirnas, seed=1)
    assert not cohort.umis.equals(other.umis)
    assert not cohort.samples.equals(other.samples)


def test_design_seed_keeps_the_mirnome_and_draws_new_people(mirnas, cohort, validation_cohort):
    """Same design seed: the same miRNome (which miRNAs are expressed, baselines, dispersions,
    effects); the new seed: other patients, donors and libraries. Without the design seed a
    new seed is another assay (other miRNAs expressed), as before the option existed."""
    pd.testing.assert_frame_equal(validation_cohort.design, cohort.design, check_exact=True)
    assert not np.array_equal(validation_cohort.umis.iloc[:, :18], cohort.umis.iloc[:, :18])
    assert validation_cohort.samples["age"].tolist()[:18] != cohort.samples["age"].tolist()[:18]
    other_assay = simulate.simulate_cohort(mirnas, 3, 3, 0, seed=VALIDATION_SEED).design
    assert not other_assay["base_cpm"].equals(cohort.design["base_cpm"])
    same = simulate.simulate_cohort(mirnas, 3, 3, 0, seed=5, design_seed=5)
    pd.testing.assert_frame_equal(same.umis, simulate.simulate_cohort(mirnas, 3, 3, 0, seed=5).umis)


def test_validation_ids_are_distinct_and_recorded(cohort, validation_cohort):
    ids = validation_cohort.samples["sample"]
    assert ids.tolist() == [f"VNEC{i:02d}" for i in range(1, 41)] + [f"VHD{i:02d}" for i in range(1, 42)]
    assert not set(ids) & set(cohort.samples["sample"])
    assert validation_cohort.truth["hemolysed"].sum() == 1
    command = validation_cohort.command
    assert command.endswith(
        " --seed 20250101 --cases 40 --controls 40 --hemolysed 1 --design-seed 20240525 --id-prefix V"
    )
    assert "--design-seed" not in cohort.command and "--id-prefix" not in cohort.command
    assert simulate.about_lines(validation_cohort)[2] == "Seed: 20250101 (miRNome design: seed 20240525)"
    assert simulate.about_lines(cohort)[2] == "Seed: 20240525"


def test_bundled_validation_cohort_regenerates_byte_identical(tmp_path):
    """resources/demo/README.md's command writes the bundled validation files byte for byte."""
    workbook, sheet = tmp_path / "validation.xlsx", tmp_path / "validation_samples.tsv"
    mirbase = str(ROOT / "resources/mirbase/mirbase_v22_hsa.csv")
    simulate.main(
        ["--out-workbook", str(workbook), "--out-samples", str(sheet), "--mirbase", mirbase, *VALIDATION_ARGS]
    )
    assert workbook.read_bytes() == (ROOT / "resources/demo/validation_geneglobe.xlsx").read_bytes()
    assert sheet.read_bytes() == (ROOT / "config/validation_samples.tsv").read_bytes()
    assert sheet.read_text().startswith("# SIMULATED demo cohort")


def test_shapes_and_integer_counts(mirnas, cohort):
    assert cohort.umis.shape == (len(mirnas), 39)
    assert cohort.reads.shape == cohort.umis.shape
    assert list(cohort.umis.columns) == list(cohort.samples["sample"])
    assert cohort.umis.dtypes.map(pd.api.types.is_integer_dtype).all()
    assert (cohort.umis.to_numpy() >= 0).all()
    assert ((cohort.umis == 0).all(axis=1)).sum() > 300  # many undetected miRNAs


def test_reads_never_below_umis(cohort):
    assert (cohort.reads.to_numpy() >= cohort.umis.to_numpy()).all()
    assert (cohort.pirna_reads.to_numpy() >= cohort.pirna_umis.to_numpy()).all()
    duplication = cohort.reads.sum() / cohort.umis.sum()
    assert duplication.between(1.4, 3.2).all()


def test_library_sizes(cohort):
    assert cohort.umis.sum().between(2.5e5, 3.5e6).all()


def test_groups_and_table3_demographics(cohort):
    sheet = cohort.samples.set_index("sample")
    assert list(sheet.columns) == simulate.SHEET_COLUMNS[1:]
    cases, donors = sheet[sheet.group == "NEC"], sheet[sheet.group == "healthy"]
    assert list(cases.index) == [f"NEC{i:02d}" for i in range(1, 19)]
    assert list(donors.index) == [f"HD{i:02d}" for i in range(1, 22)]
    analysed = donors[~cohort.truth.loc[donors.index, "hemolysed"]]
    assert len(analysed) == 20
    for ages, (low, median, high) in [
        (analysed.age, simulate.AGE_CONTROLS),
        (cases.age, simulate.AGE_CASES),
    ]:
        assert (ages.min(), ages.median(), ages.max()) == pytest.approx((low, median, high))
    assert analysed.sex.value_counts().to_dict() == {"M": 12, "F": 8}
    assert cases.sex.value_counts().to_dict() == {"M": 10, "F": 8}
    assert cases.site.value_counts().to_dict() == {"GEP": 15, "lung": 3}
    assert cases.ki67_group.value_counts().to_dict() == {">55": 11, "<55": 7}
    assert donors[["site", "ki67", "arm", "ecog", "pfs_months", "os_event"]].isna().all().all()


def test_survival_endpoints(cohort):
    cases = cohort.samples[cohort.samples.group == "NEC"]
    assert cases.pfs_event.sum() == 18 and cases.os_event.sum() == 14
    assert (cases.os_months >= cases.pfs_months).all()
    pfs = km_median(cases.pfs_months.to_numpy(), cases.pfs_event.to_numpy())
    os_ = km_median(cases.os_months.to_numpy(), cases.os_event.to_numpy())
    assert pfs == pytest.approx(5.2, abs=0.3) and os_ == pytest.approx(10.5, abs=0.5)


def test_hemolysed_library_only(cohort):
    ratio = hemolysis_log2(cohort.umis)
    hemolysed = cohort.truth["hemolysed"]
    assert hemolysed.sum() == 1
    assert (ratio[hemolysed] > 9).all()
    assert ratio[~hemolysed].between(2, 6).all()


def test_table4_mirnas_higher_in_patients(cohort):
    normal = cohort.umis.loc[:, ~cohort.truth["hemolysed"]]
    cpm = normal / normal.sum() * 1e6
    is_case = cohort.samples.set_index("sample").loc[cpm.columns, "group"] == "NEC"
    for mirna in simulate.TABLE4:
        assert cpm.loc[mirna, is_case].median() > cpm.loc[mirna, ~is_case].median(), mirna


def test_design_roles(cohort):
    roles = cohort.design.loc[list(simulate.TABLE4), "role"]
    assert sorted(roles.index[roles == "disease"]) == sorted(THREE)
    assert (roles == "age").sum() == 17
    assert (cohort.design.loc[THREE, "age_slope"] == 0).all()


def test_other_sizes(mirnas):
    small = simulate.simulate_cohort(mirnas, n_cases=5, n_controls=4, n_hemolysed=0, seed=3)
    assert small.umis.shape[1] == 9
    assert small.samples.age.between(28.6, 78.4).all()
    assert (hemolysis_log2(small.umis) < 7).all()


def test_workbook_and_sample_sheet(cohort, tmp_path):
    path = tmp_path / "demo.xlsx"
    simulate.write_geneglobe_workbook(cohort, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    simulate.write_geneglobe_workbook(cohort, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest

    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["about", "summary", "miRNA_piRNA"]
    assert "SIMULATED" in next(book["about"].iter_rows(values_only=True))[0]
    rows = list(book["miRNA_piRNA"].iter_rows(values_only=True))
    samples = list(cohort.samples["sample"])
    expected = ["miRNA", *[f"{s}-UMIs" for s in samples], *[f"{s}-READs" for s in samples]]
    assert list(rows[0]) == expected
    names = [row[0] for row in rows[1:]]
    separator = names.index("piRNA")
    assert all(cell is None for cell in rows[separator + 1][1:])
    mirnas = names[:separator]
    assert mirnas == sorted(mirnas)
    assert set(mirnas) == set(cohort.umis.index[(cohort.umis > 0).any(axis=1)])
    assert len(names) - separator - 1 == simulate.N_PIRNAS
    assert all(name.startswith("hsa_piR_") for name in names[separator + 1 :])
    first = rows[1]
    assert list(first[1 : len(samples) + 1]) == cohort.umis.loc[first[0]].tolist()
    assert list(first[len(samples) + 1 :]) == cohort.reads.loc[first[0]].tolist()

    sheet_path = tmp_path / "samples.tsv"
    simulate.write_sample_sheet(cohort, sheet_path)
    assert sheet_path.read_text().startswith("# SIMULATED demo cohort")
    sheet = pd.read_csv(sheet_path, sep="\t", comment="#", keep_default_na=False)
    assert list(sheet.columns) == simulate.SHEET_COLUMNS
    assert (sheet.loc[sheet.group == "healthy", "ki67"] == "NA").all()
