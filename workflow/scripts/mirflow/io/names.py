"""Harmonise miRNA names to miRBase v22 and say what was changed.

Count tables name miRNAs in many ways: GeneGlobe's legacy export uses miRBase v21,
some pipelines lower-case ``mir``, others append the precursor (``hsa-let-7a-5p
hsa-let-7a-1``). Mature accessions (MIMAT) are stable across miRBase versions, so v21
names are renamed through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MIRNA_LIKE = re.compile(r"^(hsa-)?(mir|let)-", re.IGNORECASE)
REPORT_COLUMNS = ["original", "harmonised", "action", "detail"]


@dataclass(frozen=True)
class MirbaseNames:
    """Lookups from the miRBase human tables: v22 names and v21 names by accession."""

    v22: frozenset[str]
    v22_by_lower: dict[str, str]
    v22_by_accession: dict[str, str]
    v21_accession_by_lower: dict[str, str]

    @classmethod
    def from_tables(cls, v21: pd.DataFrame, v22: pd.DataFrame) -> MirbaseNames:
        """Build the lookups from the ``mirbase_v2x_hsa.csv`` tables in resources/."""
        mature22 = _mature(v22)
        mature21 = _mature(v21)
        return cls(
            v22=frozenset(mature22["name"]),
            v22_by_lower={n.lower(): n for n in mature22["name"]},
            v22_by_accession=dict(zip(mature22["accession"], mature22["name"], strict=True)),
            v21_accession_by_lower={
                n.lower(): a for n, a in zip(mature21["name"], mature21["accession"], strict=True)
            },
        )

    @classmethod
    def from_files(cls, v21: str | Path, v22: str | Path) -> MirbaseNames:
        """Read the two CSV tables and build the lookups."""
        return cls.from_tables(pd.read_csv(v21), pd.read_csv(v22))


def _mature(table: pd.DataFrame) -> pd.DataFrame:
    """Unique (mature name, mature accession) pairs of a miRBase precursor table."""
    parts = [table[[f"mature{i}", f"mature{i}_acc"]].set_axis(["name", "accession"], axis=1) for i in (1, 2)]
    return pd.concat(parts).dropna().drop_duplicates("name").reset_index(drop=True)


def harmonise_name(name: str, mirbase: MirbaseNames) -> tuple[str | None, str, str]:
    """Map one feature name to (v22 name or None when set aside, action, detail)."""
    given = name.strip()
    detail = ""
    if " " in given:
        given, precursor = given.split(None, 1)
        detail = f"precursor '{precursor}' removed from the name"
    if not MIRNA_LIKE.match(given):
        return None, "set_aside", "not a human miRNA name (piRNA or other feature)"
    if not given.lower().startswith("hsa-"):
        given = f"hsa-{given}"
        detail = "; ".join(filter(None, [detail, "species prefix 'hsa-' added"]))
    if given in mirbase.v22:
        return given, "kept" if given == name.strip() else "renamed", detail
    if given.lower() in mirbase.v22_by_lower:
        fixed = mirbase.v22_by_lower[given.lower()]
        return fixed, "case_fixed", "; ".join(filter(None, [detail, "letter case fixed"]))
    accession = mirbase.v21_accession_by_lower.get(given.lower())
    if accession in mirbase.v22_by_accession:
        new = mirbase.v22_by_accession[accession]
        return new, "renamed", "; ".join(filter(None, [detail, f"miRBase v21 -> v22 via {accession}"]))
    if "/" in given:
        return given, "merged_name", "merged name (reads that cannot be told apart) kept as given"
    if accession:
        return given, "not_in_v22", f"v21 accession {accession} has no v22 entry; kept as given"
    return given, "not_in_mirbase", "miRNA-like name not in miRBase v21/v22; kept as given"


def harmonise(counts: pd.DataFrame, mirbase: MirbaseNames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rename features to miRBase v22, set non-miRNAs aside, collapse duplicates.

    Rows that end up with one name (one mature miRNA from several precursors, or the
    same miRNA spelt two ways) are counts of the same molecules, so the per-sample
    maximum is kept, never the sum. Returns the harmonised table (sorted by name) and
    the report of every feature that was not kept unchanged.
    """
    mapped = [harmonise_name(str(n), mirbase) for n in counts.index]
    report = pd.DataFrame(mapped, columns=["harmonised", "action", "detail"])
    report.insert(0, "original", [str(n) for n in counts.index])
    keep = report["harmonised"].notna().to_numpy()
    kept = counts[keep].copy()
    kept.index = pd.Index(report.loc[keep, "harmonised"], name="mirna")
    sizes = kept.index.value_counts()
    collapsed = report["harmonised"].map(sizes).fillna(1) > 1
    report.loc[collapsed, "detail"] = [
        "; ".join(filter(None, [d, f"{sizes[h]} rows share this name; per-sample maximum kept"]))
        for d, h in zip(report.loc[collapsed, "detail"], report.loc[collapsed, "harmonised"], strict=True)
    ]
    report.loc[collapsed, "action"] = "collapsed"
    harmonised = kept.groupby(level=0, sort=True).max()
    harmonised.columns.name = counts.columns.name
    changed = report[report["action"] != "kept"].reset_index(drop=True)
    return harmonised, changed[REPORT_COLUMNS]
