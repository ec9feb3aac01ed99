"""mirflow.stats.firth: the one Firth set-up of the logistic models, the panel and its
optimism (numpy backend, 200 iterations; tolerances only where a caller asks)."""

from __future__ import annotations

import numpy as np
import pytest

from mirflow.stats import firth


def test_the_model_has_the_workflows_settings():
    model = firth.model()
    assert model.max_iter == firth.MAX_ITER == 200 and model.backend == "numpy"
    tight = firth.model(gtol=1e-9, xtol=1e-8)
    assert (tight.gtol, tight.xtol) == (1e-9, 1e-8)
    assert firth.model(gtol=1e-9).xtol == model.xtol  # firthmodels' default kept


def test_a_separated_design_gets_a_finite_fit_and_the_warnings_are_returned():
    x = np.array([[0.1], [0.4], [0.9], [1.3], [2.0], [2.2], [2.9], [3.5]])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    fitted, warned = firth.fit(x, y)
    assert np.isfinite(fitted.coef_).all() and fitted.coef_[0] > 0
    assert isinstance(warned, list) and all(isinstance(w, str) and not w.endswith(".") for w in warned)


def test_a_numerical_failure_is_one_of_the_fit_failures():
    with pytest.raises(firth.FIT_FAILURES):
        firth.fit(np.array([[np.nan], [1.0], [2.0], [3.0]]), np.array([0, 1, 0, 1]))
