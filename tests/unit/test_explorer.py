"""nnbook.lessons._explorer: the one pattern behind every interactive cell (controls -> report -> a picture moved
in place), tested on small pictures of its own so that each rule is seen alone.

The rule that matters most: a picture redrawn fast (background kept, only the moving artists drawn again) must
be, pixel for pixel, the picture a full redraw of the same figure gives, whatever crosses what.
"""

import html

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.lessons._explorer import LIVE_DPI, Explorer, Picture, new_figure, png_bytes  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class Ray(Picture):
    """A line from the origin to (x, x) that sweeps past a still text and under a still legend, and an x label
    that says where it ends; everything else (a still line, the axes) stays."""

    def __init__(self, x=0.1, *, live=True):
        self.figure, self.ax = new_figure((4, 3), live=live)
        self.ax.text(0.45, 0.5, "a still text", zorder=3)
        self.ray, = self.ax.plot([0, x], [0, x], linewidth=3, label="the ray")
        self.ax.plot([0, 1], [1, 0], color="0.6", label="a still line")
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(0, 1)
        self.ax.legend(loc="upper right")
        self.ax.set_xlabel(f"x = {x:.2f}")
        self.ax.set_title(f"ray to {x:.2f}")

    def moving(self):
        return [self.ray, self.ax.title, self.ax.xaxis.label]

    def update(self, x):
        self.ray.set_data([0, x], [0, x])
        self.ax.set_xlabel(f"x = {x:.2f}")
        self.ax.title.set_text(f"ray to {x:.2f}")


class Still(Picture):
    """A picture that lists nothing as moving: every frame is a full draw."""

    def __init__(self):
        self.figure, self.ax = new_figure((3, 2), live=True)
        self.line, = self.ax.plot([0, 1], [0, 1])

    def update(self, y):
        self.line.set_ydata([0, y])
        self.ax.relim()
        self.ax.autoscale_view()


def test_a_fast_frame_is_the_full_draw_whatever_the_moving_line_crosses():
    ray = Ray()
    for x in np.linspace(0.1, 1.0, 19):      # past the text at 0.45-0.7, then under the legend's corner
        ray.update(x)
        assert ray.png() == ray.full_png(), x
    # Kept background: far fewer background draws than frames (one at the start, one each time the ray reaches
    # or leaves what must be drawn over it).
    assert 1 <= ray.background_draws <= 6


def test_a_picture_whose_axes_rescale_each_frame_is_drawn_once_a_frame_until_they_settle():
    ray = Ray(0.5)
    for top in (2.0, 3.0, 4.0, 5.0):         # a new layout each frame (as lesson 05's choice of weight gives)
        ray.ax.set_ylim(0, top)
        assert ray.png() == ray.full_png(), top
    assert ray.background_draws == 0                # no background kept for a layout seen once
    for x in (0.3, 0.35, 0.4):                # the same layout again: the background is kept and reused
        ray.update(x)
        assert ray.png() == ray.full_png(), x
    assert ray.background_draws == 1


def test_a_picture_moved_back_and_forth_ends_as_a_new_picture_of_its_last_state():
    ray = Ray(0.2)
    for x in (0.9, 0.3, 0.75, 0.6):
        ray.update(x)
        ray.png()
    fresh = Ray(0.6)
    assert ray.png() == fresh.png()


def test_a_picture_without_moving_artists_is_drawn_in_full_each_time():
    still = Still()
    first = still.png()
    still.update(5.0)                         # the axes rescale: nothing could be kept anyway
    assert still.png() == still.full_png() != first
    assert still.background_draws == 0              # the fast path never ran


def test_live_figures_stay_out_of_pyplot_and_static_ones_go_in():
    live, _ = new_figure((2, 2), live=True)
    assert live.dpi == LIVE_DPI and plt.get_fignums() == []
    static, _ = new_figure((2, 2))
    assert plt.get_fignums() == [static.number]
    assert png_bytes(live).startswith(PNG_SIGNATURE)


def test_explorer_wires_controls_to_the_report_and_the_picture():
    ray = Ray(0.25)
    slider = ipywidgets.FloatSlider(value=0.25, min=0, max=1, step=0.05)
    box = Explorer([slider], lambda: f"x < 1 & x = {slider.value:.2f}", ray, lambda: ray.update(slider.value))
    row, readout, image = box.children
    assert list(row.children) == [slider] and image is box.image and box.picture is ray
    assert readout.value == f"<pre>{html.escape('x < 1 & x = 0.25')}</pre>"
    assert bytes(image.value) == ray.full_png() and box.draws == 1
    for x in (0.5, 0.55, 0.8):
        slider.value = x
    assert readout.value == "<pre>x &lt; 1 &amp; x = 0.80</pre>"
    assert ray.ray.get_xdata()[-1] == 0.8
    assert bytes(image.value) == ray.full_png() and box.draws == 4
    assert box.figure is ray.figure


def test_explorer_without_a_picture_shows_only_its_readout_and_a_paragraph_keeps_quotes():
    buttons = ipywidgets.ToggleButtons(options=["a", "b"])
    box = Explorer([buttons], lambda: f'chose "{buttons.value}"', paragraph=True)
    assert len(box.children) == 2 and box.image is None and box.figure is None
    buttons.value = "b"
    assert box.readout.value == '<p>chose "b"</p>'


def test_explorer_with_two_pictures_puts_them_side_by_side_and_draws_both_each_time():
    left, right = Ray(0.2), Ray(0.7)
    slider = ipywidgets.FloatSlider(value=0.2, min=0, max=1)
    button = ipywidgets.Button(description="no value: not observed")
    box = Explorer([slider, button], lambda: "", [left, right],
                   lambda: (left.update(slider.value), right.update(1 - slider.value)), image_widths=("60%", "40%"))
    images = box.children[2]
    assert isinstance(images, ipywidgets.HBox) and list(images.children) == box.images
    assert [image.layout.width for image in box.images] == ["60%", "40%"]
    slider.value = 0.9
    assert box.draws == 2
    assert bytes(box.images[0].value) == left.full_png() and bytes(box.images[1].value) == right.full_png()
    assert left.ray.get_xdata()[-1] == 0.9 and right.ray.get_xdata()[-1] == pytest.approx(0.1)


def test_explorer_needs_one_width_per_picture():
    with pytest.raises(ValueError, match="image_widths must give one width per picture, 1, got 2"):
        Explorer([], lambda: "", Ray(), image_widths=("50%", "50%"))
