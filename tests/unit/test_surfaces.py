"""nnbook.lessons.surfaces: the loss of two weights is drawn where it is, as contours of its own values, with each
gradient-descent path drawn through exactly its points, from a start marker to an end marker."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from nnbook import descent  # noqa: E402
from nnbook.lessons import surfaces  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def two_dips(w):
    """Two dips: at (1, 0), deeper, and at (-1, 0)."""
    w1, w2 = w[0], w[1]
    return (w1 ** 2 - 1) ** 2 + w2 ** 2 - 0.2 * w1


def paths():
    gradient = lambda w: descent.numerical_gradient(two_dips, w)   # noqa: E731
    return [descent.gradient_descent(gradient, np.array(start), 0.05, 80) for start in ((0.5, 1.5), (-0.5, -1.5))]


def test_loss_grid_holds_the_loss_of_each_point():
    W1, W2, L = surfaces.loss_grid(two_dips, (-2, 2), (-1, 3), points=5)
    assert W1.shape == W2.shape == L.shape == (5, 5)
    assert W1[0].tolist() == [-2, -1, 0, 1, 2] and W2[:, 0].tolist() == [-1, 0, 1, 2, 3]
    for i, j in [(0, 0), (2, 3), (4, 1)]:
        assert L[i, j] == pytest.approx(two_dips([W1[i, j], W2[i, j]]))


def test_loss_grid_refuses_a_loss_that_gives_one_number_for_the_grid():
    with pytest.raises(ValueError, match="one loss per grid point"):
        surfaces.loss_grid(lambda w: float(np.sum(w)))
    with pytest.raises(ValueError, match="w1_range must be"):
        surfaces.loss_grid(two_dips, (2, -2))


def test_the_contour_map_shows_the_paths_from_start_to_end():
    runs = paths()
    assert runs[0][-1][0] > 0.9 and runs[1][-1][0] < -0.9          # the two starts end in different dips
    fig = surfaces.surface_figure(two_dips, runs, labels=["A", "B"], w1_range=(-2, 2), w2_range=(-2, 2))
    assert len(fig.axes) == 2 and fig.axes[0].name == "3d"
    ax = fig.axes[-1]
    lines = {line.get_label(): line for line in ax.get_lines()}
    for label, path in zip(["A", "B"], runs):
        np.testing.assert_allclose(lines[label].get_xydata(), path)
        np.testing.assert_allclose(lines[f"{label} start"].get_xydata(), path[:1])
        np.testing.assert_allclose(lines[f"{label} end"].get_xydata(), path[-1:])
        assert lines[f"{label} start"].get_marker() == "o" and lines[f"{label} end"].get_marker() == "*"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["A", "B"]
    assert ax.get_aspect() == 1.0                                   # right angles look right
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-2, 2)
    assert ax.get_xlabel() == "$w_1$" and ax.get_ylabel() == "$w_2$"


def test_the_contours_are_levels_of_the_loss_itself():
    fig = surfaces.surface_figure(two_dips, [], landscape=False, levels=12, w1_range=(-2, 2), w2_range=(-2, 2))
    (ax,) = fig.axes
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    _, _, L = surfaces.loss_grid(two_dips, (-2, 2), (-2, 2), 121)
    assert contours.levels.min() >= L.min() - 1e-9 and contours.levels.max() <= L.max() + 1e-9
    assert len(contours.levels) == 12
    # every vertex of one contour line has that line's loss (to the grid's precision)
    level_index = len(contours.levels) // 2
    vertices = contours.allsegs[level_index][0]
    np.testing.assert_allclose(two_dips(vertices.T), contours.levels[level_index], atol=0.05)


def test_the_landscape_is_the_loss_surface():
    fig = surfaces.surface_figure(two_dips, paths(), w1_range=(-2, 2), w2_range=(-2, 2), points=41)
    ax3d = fig.axes[0]
    assert ax3d.get_zlabel() == "loss"
    # the 3-D path lines ride on the surface: their heights are the loss along the path
    (line,) = [line for line in ax3d.get_lines() if line.get_label() == "path 1"]
    xs, ys, zs = line.get_data_3d()
    np.testing.assert_allclose(zs, two_dips(np.array([xs, ys])) + 0.02)


def test_bad_paths_and_labels_are_refused():
    with pytest.raises(ValueError, match=r"paths\[0\] must have shape"):
        surfaces.surface_figure(two_dips, [np.zeros((3, 3))])
    with pytest.raises(ValueError, match="one label per path"):
        surfaces.surface_figure(two_dips, paths(), labels=["only one"])
