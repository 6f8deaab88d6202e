"""nnbook.lessons.diagrams: the training loop and the inference picture have the boxes and arrows the lessons name,
joined in the order of the loop, and show the numbers they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from nnbook.lessons import diagrams  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def parts(fig):
    """The boxes (name -> patch), arrows (gid -> patch) and texts (gid -> text) of a diagram's one axes."""
    (ax,) = fig.axes
    boxes = {p.get_gid()[4:]: p for p in ax.patches if isinstance(p, FancyBboxPatch)}
    arrows = {p.get_gid(): p for p in ax.patches if isinstance(p, FancyArrowPatch)}
    texts = {t.get_gid(): t.get_text() for t in ax.texts}
    return boxes, arrows, texts


def centre(box):
    return box.get_x() + box.get_width() / 2, box.get_y() + box.get_height() / 2


def test_the_training_loop_has_its_six_steps_in_order():
    boxes, arrows, texts = parts(diagrams.training_loop_diagram())
    assert list(boxes) == ["data", "batch", "forward", "loss", "backward", "update"]
    assert [texts[f"box:{name}"] for name in boxes] == ["training data", "batch", "forward pass", "loss",
                                                         "backward pass", "update"]
    assert set(arrows) == {"arrow:data->batch", "arrow:batch->forward", "arrow:batch->loss", "arrow:forward->loss",
                           "arrow:loss->backward", "arrow:backward->update", "arrow:update->batch",
                           "arrow:update->data"}
    # forward along the top row, left to right; back along the bottom row, right to left
    (data_x, top), (batch_x, _), (forward_x, _), (loss_x, _) = (centre(boxes[n]) for n in
                                                                 ("data", "batch", "forward", "loss"))
    (backward_x, bottom), (update_x, _) = centre(boxes["backward"]), centre(boxes["update"])
    assert data_x < batch_x < forward_x < loss_x and update_x < backward_x and bottom < top
    assert "next batch" in texts["label:update->batch"] and "next epoch" in texts["label:update->data"]
    assert texts["label:batch->loss"] == "labels y"
    assert "dL/dw" in texts["detail:backward"] and "w <- w - lr x dL/dw" in texts["detail:update"]


def test_the_arrows_join_the_boxes_they_name():
    boxes, arrows, _ = parts(diagrams.training_loop_diagram())
    for gid, arrow in arrows.items():
        source, target = gid[len("arrow:"):].split("->")
        (x0, y0), (x1, y1) = arrow._posA_posB
        for (x, y), name in (((x0, y0), source), ((x1, y1), target)):
            box = boxes[name]
            assert box.get_x() - 0.05 <= x <= box.get_x() + box.get_width() + 0.05, (gid, name)
            assert box.get_y() - 0.05 <= y <= box.get_y() + box.get_height() + 0.05, (gid, name)


def test_the_training_loop_shows_the_runs_numbers():
    _, _, texts = parts(diagrams.training_loop_diagram(samples=2100, batch_size=32, learning_rate=0.01))
    assert "2100 samples" in texts["detail:data"]
    assert "the next 32 samples" in texts["detail:batch"]
    assert "lr = 0.01" in texts["detail:update"]
    assert "(66 per epoch)" in texts["label:update->batch"]          # ceil(2100 / 32)
    _, _, plain = parts(diagrams.training_loop_diagram())
    assert "per epoch" not in plain["label:update->batch"] and "lr =" not in plain["detail:update"]
    with pytest.raises(ValueError):
        diagrams.training_loop_diagram(batch_size=0)


def test_the_inference_picture_goes_from_an_age_to_a_class_name():
    fig = diagrams.inference_diagram(70, 0.655172, np.array([[0.3098, 0.6902]]), ("no side effects", "side effects"),
                                     age_min=13, age_max=100)
    boxes, arrows, texts = parts(fig)
    assert list(boxes) == ["age", "scaling", "network", "probabilities", "argmax", "class"]
    xs = [centre(box)[0] for box in boxes.values()]
    assert xs == sorted(xs)                                            # left to right
    assert set(arrows) == {f"arrow:{a}->{b}" for a, b in zip(list(boxes), list(boxes)[1:])}
    assert "age 70" in texts["detail:age"]
    assert "(70 - 13) / (100 - 13)" in texts["detail:scaling"] and "= 0.6552" in texts["detail:scaling"]
    assert "1 -> 16 -> 32 -> 2" in texts["detail:network"]
    assert "no side effects 0.3098" in texts["detail:probabilities"]
    assert "side effects    0.6902" in texts["detail:probabilities"]
    assert "position 1" in texts["detail:argmax"] and '"side effects"' in texts["detail:class"]


def test_the_argmax_follows_the_probabilities():
    _, _, texts = parts(diagrams.inference_diagram(20, 0.08, [0.9, 0.1], ("no", "yes"), age_min=13, age_max=100,
                                                   layer_sizes=(1, 4, 2)))
    assert "position 0" in texts["detail:argmax"] and '"no"' in texts["detail:class"]
    assert "1 -> 4 -> 2" in texts["detail:network"]
    with pytest.raises(ValueError, match="one value per class"):
        diagrams.inference_diagram(20, 0.08, [0.2, 0.3, 0.5], ("no", "yes"), age_min=13, age_max=100)
