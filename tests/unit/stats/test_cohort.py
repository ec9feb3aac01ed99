"""mirflow.stats.cohort: the cohort table (the seed's Table 3) and its default variables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.stats.cohort import characteristics, default_variables
from mirflow.stats.group_tests import mann_whitney_p

X1 = [28.6, 30.2, 31.5, 33.0, 34.1, 34.9, 35.5, 38.2, 41.0, 53.6]

Y1 = [35.8, 52.3, 58.1, 60.5, 61.2, 66.0, 70.4, 78.4]


def test_characteristics_layout():
    sheet = pd.DataFrame(
        {
            "age": X1 + Y1,
            "sex": ["M"] * 6 + ["F"] * 4 + ["M"] * 5 + ["F"] * 3,
            "site": [np.nan] * 10 + ["lung"] * 2 + ["GEP"] * 6,
            "code": [f"id{i}" for i in range(18)],
        },
        index=[f"s{i}" for i in range(18)],
    )
    labels = pd.Series(["control"] * 10 + ["case"] * 8, index=sheet.index)
    assert default_variables(sheet, []) == ["age", "sex", "site"]
    table = characteristics(sheet, labels, ["age", "sex", "site"])
    assert table.columns.tolist() == ["variable", "level", "control", "case", "overall", "p_value", "test"]
    age = table[table["variable"] == "age"].iloc[0]
    assert age["control"] == "34.5 (28.6-53.6)" and age["case"] == "60.9 (35.8-78.4)"
    assert age["test"] == "Wilcoxon-Mann-Whitney" and age["p_value"] == pytest.approx(mann_whitney_p(Y1, X1))
    sex = table[table["variable"] == "sex"]
    assert sex["level"].tolist() == ["F", "M"] and sex["control"].tolist() == ["4 (40.0)", "6 (60.0)"]
    site = table[table["variable"] == "site"]
    assert site["level"].tolist() == ["GEP", "lung", "missing"]
    assert np.isnan(site["p_value"].iloc[0]) and site["control"].iloc[-1] == "10"
