"""nnbook.tools.grading.show: values written as a learner would type them, in check messages and try_it."""

import numpy as np
import pytest

from nnbook.tools.grading import show, show_number


@pytest.mark.parametrize("value, text", [
    (0.6638, "0.6638"), (-0.54999, "-0.54999"), (1.5e-07, "1.5e-07"), (2.0, "2.0"), (-0.0, "0.0"),
    (1 / 3, "0.33333333"), (123456789.0, "1.2345679e+08"), (-1e-09, "-1e-09"),
    ((1 - 0.999) * 0.001 ** 2, "1e-09"),            # 1.0000000000000009e-09: rounds to a bare 1, no "1.e-09"
    (9.9999999e-05, "9.9999999e-05"),
])
def test_numbers_are_short_and_keep_eight_significant_digits(value, text):
    assert show_number(value) == text
    assert float(text) == pytest.approx(value, rel=1e-7)


def test_arrays_tuples_and_functions_read_like_python():
    v = np.array([0.4, 0.00025, (1 - 0.999) * 0.001 ** 2])
    assert show(v) == "[0.4, 0.00025, 1e-09]"
    assert show((v[:1], 2)) == "([0.4], 2)"
    assert show(np.array([[1, 2], [3, 4]])) == "[[1, 2],\n [3, 4]]"
    assert show(np.zeros(100)) == "<array of shape (100,)>"
    assert show(np.mean) == "mean" and show(None) == "None" and show("a") == "'a'"
