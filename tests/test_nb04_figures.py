"""Notebook 04's figures, drawn as the notebook draws them: what the drawing itself must show (no
vertical segment at ReLU's jump, the dots where they belong, one colour per activation). These
checks moved here from the notebook: they test relu_lib's plotting, not a fact about ReLU."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import relu_lib as rl  # noqa: E402

RELU_JUMP = {0.0: (0.0, 0.0, 1.0)}


@pytest.fixture(autouse=True)
def close_figures():
    rl.use_course_style()
    yield
    plt.close("all")


def curves_and_dots(ax, color):
    """The drawn curves (more than one point; the zorder-0 axis lines excluded) and the single
    dots, as (x, y, filled), of one colour."""
    curves = [
        ln
        for ln in ax.lines
        if len(ln.get_xdata()) > 1 and ln.get_zorder() > 0 and to_hex(ln.get_color()) == color
    ]
    dots = {  # a dot's colour is its edge's: an open dot is white inside
        (float(ln.get_xdata()[0]), float(ln.get_ydata()[0]), ln.get_markerfacecolor() != "white")
        for ln in ax.lines
        if len(ln.get_xdata()) == 1 and to_hex(ln.get_markeredgecolor()) == color
    }
    return curves, dots


def assert_relu_jump_drawn_honestly(ax):
    curves, dots = curves_and_dots(ax, rl.activation_color("ReLU"))
    assert curves and all(max(c.get_xdata()) < 0 or min(c.get_xdata()) > 0 for c in curves)
    assert dots == {(0.0, 0.0, True), (0.0, 1.0, False)}  # filled: PyTorch's 0; open: the limit


def test_figure_1_relu_alone():
    grid = np.linspace(-3, 3, 601)
    fig = rl.plot_function_and_derivative(grid, rl.relu, rl.relu_grad, "ReLU", jumps=RELU_JUMP)
    assert_relu_jump_drawn_honestly(fig.axes[1])


def test_figure_2_relu_beside_sigmoid_and_tanh_each_in_its_colour():
    wide = np.linspace(-5, 5, 1001)
    fig, axes = rl.new_figure(ncols=2)
    for name, f, df, jumps in [
        ("ReLU", rl.relu, rl.relu_grad, RELU_JUMP),
        ("sigmoid", rl.sigmoid, rl.sigmoid_grad, None),
        ("tanh", rl.tanh, rl.tanh_grad, None),
    ]:
        rl.plot_function_and_derivative(wide, f, df, name, jumps=jumps, axes=axes)
    assert_relu_jump_drawn_honestly(axes[1])
    for name in ("sigmoid", "tanh"):  # smooth: one unbroken curve per panel, no dots
        for ax in axes:
            curves, dots = curves_and_dots(ax, rl.activation_color(name))
            assert len(curves) == 1 and not dots
            assert len(curves[0].get_xdata()) == wide.size


def test_the_leaky_relu_figure_uses_leaky_relus_colour_and_its_jump():
    grid = np.linspace(-3, 3, 601)
    alpha = 0.1
    fig = rl.plot_function_and_derivative(
        grid,
        lambda x: rl.leaky_relu(x, alpha),
        lambda x: rl.leaky_relu_grad(x, alpha),
        f"Leaky ReLU (α = {alpha})",
        jumps={0.0: (alpha, alpha, 1.0)},
    )
    curves, dots = curves_and_dots(fig.axes[1], rl.activation_color("Leaky ReLU"))
    assert curves and all(max(c.get_xdata()) < 0 or min(c.get_xdata()) > 0 for c in curves)
    assert dots == {(0.0, alpha, True), (0.0, 1.0, False)}
