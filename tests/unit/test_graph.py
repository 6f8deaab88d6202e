"""nnbook.lessons.graph: the computation graph shows the numbers it is given, in the right boxes, joined the right
way: forward arrows from each input to its operation and on, backward arrows from each gradient to the next."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import graph  # noqa: E402
from nnbook.models import Sequential  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def lesson_numbers(x=0.655172, label=1, seed=4):
    """A small network's values and gradients for one sample, by hand, checked against the engine."""
    rng = np.random.default_rng(seed)
    x = np.array([[x]])
    W1, b1, W2, b2 = rng.normal(size=(1, 2)), rng.normal(size=2), rng.normal(size=(2, 2)), rng.normal(size=2)
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    a2 = np.exp(z2) / np.exp(z2).sum()
    one_hot = np.eye(2)[[label]]
    delta2 = a2 - one_hot
    grad_a1 = delta2 @ W2.T
    delta1 = grad_a1 * (z1 > 0)
    values = dict(x=x, W1=W1, b1=b1, z1=z1, a1=a1, W2=W2, b2=b2, z2=z2, a2=a2, y=label,
                  L=float(-np.log(a2[0, label])))
    gradients = dict(a2=np.where(one_hot == 1, -1 / a2, 0.0), z2=delta2, W2=a1.T @ delta2, b2=delta2[0],
                     a1=grad_a1, z1=delta1, W1=x.T @ delta1, b1=delta1[0])
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.set_weights([W1, b1, W2, b2])
    loss, grads = model.compute_gradients(x, [label])
    assert loss == pytest.approx(values["L"])
    for name, engine in zip(("W1", "b1", "W2", "b2"), grads):
        np.testing.assert_allclose(gradients[name], engine, atol=1e-12)
    return values, gradients


def by_gid(fig):
    """Every text and arrow of the figure, by its gid."""
    found = {}
    for text in fig.axes[0].texts:
        assert text.get_gid() not in found, text.get_gid()
        found[text.get_gid()] = text
    return found


def arrows(fig, kind):
    return {gid: artist for gid, artist in by_gid(fig).items()
            if isinstance(artist, Annotation) and gid.startswith(f"{kind}:")}


# ------------------------------------------------------------------------------------------ format_number
def test_format_number_shows_numbers_rows_and_matrices():
    assert graph.format_number(np.array([[0.6551724]])) == "0.655"
    assert graph.format_number(np.array([[0.486207, -0.124138]])) == "[0.486, -0.124]"
    assert graph.format_number(np.array([0.05, -0.05])) == "[0.050, -0.050]"
    assert graph.format_number(np.array([[-0.5, 0.7], [0.6, -0.4]])) == "[-0.500, 0.700]\n[0.600, -0.400]"
    assert graph.format_number(1) == "1"
    assert graph.format_number(np.array([-0.0, -0.00001])) == "[0.000, 0.000]"      # no "-0.000"
    assert graph.format_number(0.480358, digits=6) == "0.480358"


# ------------------------------------------------------------------------------------- the forward pass
def test_forward_graph_has_a_box_for_each_value_weight_operation_and_the_label():
    values, _ = lesson_numbers()
    found = by_gid(graph.computation_graph(values))
    for name in graph.VALUES:
        assert found[f"value:{name}"].get_text() == f"{name}\n{graph.format_number(values[name])}"
    for name in graph.PARAMETERS:
        assert found[f"parameter:{name}"].get_text() == f"{name}\n{graph.format_number(values[name])}"
    assert found["label:y"].get_text() == "y\n1"
    for name, label, _ in graph.OPERATIONS:
        assert found[f"operation:{name}"].get_text() == label
    assert [name for name, _, _ in graph.OPERATIONS] == ["dense1", "relu", "dense2", "softmax", "loss"]
    assert not any(gid.startswith(("gradient:", "backstep:", "backward:")) for gid in found)


def test_forward_arrows_run_input_operation_output_and_bring_each_weight_to_its_operation():
    values, _ = lesson_numbers()
    fig = graph.computation_graph(values)
    found = by_gid(fig)
    expected = {"x->dense1", "W1->dense1", "b1->dense1", "dense1->z1", "z1->relu", "relu->a1",
                "a1->dense2", "W2->dense2", "b2->dense2", "dense2->z2", "z2->softmax", "softmax->a2",
                "a2->loss", "y->loss", "loss->L"}
    forward = arrows(fig, "forward")
    assert set(forward) == {f"forward:{edge}" for edge in expected}
    kinds = {name: gid for gid in found for name in [gid.partition(":")[2]] if not gid.startswith(("forward",))}
    for gid, arrow in forward.items():
        source, target = gid.removeprefix("forward:").split("->")
        assert arrow.anncoords is found[kinds[source]] and arrow.xycoords is found[kinds[target]], gid
        assert matplotlib.colors.same_color(arrow.arrow_patch.get_edgecolor(), graph.FORWARD_COLOUR)
    # the forward pass runs down the page: every value below the one before it
    heights = [found[f"value:{name}"].get_position()[1] for name in graph.VALUES]
    assert heights == sorted(heights, reverse=True)


# ------------------------------------------------------------------------------------ the backward pass
def test_backward_graph_shows_every_gradient_it_is_given_level_with_its_value():
    values, gradients = lesson_numbers()
    found = by_gid(graph.computation_graph(values, gradients))
    assert found["gradient:L"].get_text() == "∂L/∂L\n1.000"
    for name in graph.GRADIENTS:
        assert found[f"gradient:{name}"].get_text() == f"∂L/∂{name}\n{graph.format_number(gradients[name])}"
    for name in ("z1", "a1", "z2", "a2", "L"):
        value, gradient = found[f"value:{name}"].get_position(), found[f"gradient:{name}"].get_position()
        assert gradient[1] == value[1] and gradient[0] > value[0]          # level with it, to its right
    for name in graph.PARAMETERS:
        parameter, gradient = found[f"parameter:{name}"].get_position(), found[f"gradient:{name}"].get_position()
        assert gradient[1] == parameter[1]
    assert "gradient:x" not in found                                       # x is data: it gets no gradient
    for name, label, _ in graph.OPERATIONS:
        assert found[f"backstep:{name}"].get_text() == f"back through {label}"


def test_backward_arrows_run_from_the_loss_back_through_each_operation_to_each_weight():
    values, gradients = lesson_numbers()
    fig = graph.computation_graph(values, gradients)
    found = by_gid(fig)
    backward = arrows(fig, "backward")
    expected = {"L->loss", "loss->a2", "a2->softmax", "softmax->z2", "z2->dense2", "dense2->a1", "dense2->W2",
                "dense2->b2", "a1->relu", "relu->z1", "z1->dense1", "dense1->W1", "dense1->b1"}
    assert set(backward) == {f"backward:{edge}" for edge in expected}
    for gid, arrow in backward.items():
        source, target = gid.removeprefix("backward:").split("->")
        ends = [found.get(f"gradient:{name}", found.get(f"backstep:{name}")) for name in (source, target)]
        assert arrow.anncoords is ends[0] and arrow.xycoords is ends[1], gid
        assert matplotlib.colors.same_color(arrow.arrow_patch.get_edgecolor(), graph.BACKWARD_COLOUR)
    assert len(arrows(fig, "forward")) == 15                               # the forward pass is still there


def test_the_figure_shows_the_numbers_a_changed_sample_gives():
    # a sample with both hidden units on: the figure follows its input, it keeps no numbers of its own
    values, gradients = lesson_numbers(x=0.1, label=0, seed=7)
    found = by_gid(graph.computation_graph(values, gradients, digits=4))
    assert found["value:L"].get_text() == f"L\n{values['L']:.4f}"
    assert found["gradient:b1"].get_text() == f"∂L/∂b1\n{graph.format_number(gradients['b1'], 4)}"


# ------------------------------------------------------------------------------------------- bad input
def test_missing_values_and_gradients_of_the_wrong_shape_are_named():
    values, gradients = lesson_numbers()
    with pytest.raises(ValueError, match="values must hold .*; missing z1"):
        graph.computation_graph({k: v for k, v in values.items() if k != "z1"})
    with pytest.raises(ValueError, match="gradients must hold .*missing b2"):
        graph.computation_graph(values, {k: v for k, v in gradients.items() if k != "b2"})
    with pytest.raises(ValueError, match=r"gradients\['z1'\] must have the shape of values\['z1'\], \(1, 2\), "
                                         r"got \(2,\)"):
        graph.computation_graph(values, {**gradients, "z1": gradients["z1"][0]})
