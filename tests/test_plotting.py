import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import relu_lib as rl  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    rl.use_course_style()
    yield
    plt.close("all")


def test_figures_have_explicit_sizes_and_an_opaque_background():
    fig = rl.plot_curves(np.linspace(-1, 1, 5), {"a": np.zeros(5), "b": np.ones(5)})
    assert tuple(fig.get_size_inches()) == rl.plotting.FIGSIZE
    assert fig.get_facecolor()[3] == 1.0 and fig.axes[0].get_legend() is not None


def test_derivative_jump_is_drawn_without_a_vertical_line():
    x = np.linspace(-2, 2, 401)
    fig = rl.plot_function_and_derivative(
        x, rl.relu, rl.relu_grad, "ReLU", jumps={0.0: (0.0, 0.0, 1.0)}
    )
    left, right = fig.axes
    assert tuple(fig.get_size_inches()) == (2 * rl.plotting.PANEL_WIDTH, 3.4)
    # the curves: more than one point, not the zorder-0 axis lines
    curves = [line for line in right.lines if len(line.get_xdata()) > 1 and line.get_zorder() > 0]
    assert len(curves) == 2
    for line in curves:  # no segment crosses x = 0
        xs = np.asarray(line.get_xdata())
        assert xs.max() < 0 or xs.min() > 0
    dots = {
        (float(line.get_xdata()[0]), float(line.get_ydata()[0]), line.get_markerfacecolor())
        for line in right.lines
        if len(line.get_xdata()) == 1
    }
    assert (0.0, 1.0, "white") in dots  # open circle at the right-hand limit
    assert any(d[:2] == (0.0, 0.0) and d[2] != "white" for d in dots)  # filled: the value at 0
    assert left.get_title() == "ReLU"


def test_function_and_derivative_panels_draw_the_axes_through_the_origin():
    """The grey guide lines on both panels are the axes, y = 0 and x = 0: notebooks 02 and 04
    read off them where a curve or a derivative is 0."""
    fig = rl.plot_function_and_derivative(np.linspace(-2, 2, 9), rl.relu, rl.relu_grad, "ReLU")
    for ax in fig.axes:
        # axhline(y): x from 0 to 1 in axes coordinates, y in data; axvline(x) the other way
        guides = [
            (list(ln.get_xdata()), list(ln.get_ydata())) for ln in ax.lines if ln.get_zorder() == 0
        ]
        across = [float(ys[0]) for xs, ys in guides if xs == [0, 1]]
        upright = [float(xs[0]) for xs, ys in guides if ys == [0, 1]]
        assert across == [0.0] and upright == [0.0]


def test_plot_per_layer_log_scale_and_kinds():
    fig = rl.plot_per_layer({"relu": [1.0, 0.5, 0.25], "tanh": [1e-3, 1e-2, 1e-1]})
    assert fig.axes[0].get_yscale() == "log"
    fig = rl.plot_per_layer({"relu": [1, 2]}, log=False, kind="bar")
    assert len(fig.axes[0].patches) == 2
    with pytest.raises(ValueError, match="kind"):
        rl.plot_per_layer({"relu": [1]}, kind="pie")


@pytest.mark.parametrize(
    "label, name",
    [
        ("ReLU", "relu"),
        ("relu, He init", "relu"),
        ("ReLU'", "relu"),
        ("Leaky ReLU", "leaky_relu"),
        ("leaky_relu", "leaky_relu"),
        ("PReLU", "prelu"),
        ("RReLU (eval)", "rrelu"),
        ("ReLU6", "relu6"),
        ("ELU", "elu"),
        ("GELU", "gelu"),
        ("SiLU", "silu"),
        ("sigmoid", "sigmoid"),
        ("tanh, Xavier", "tanh"),
    ],
)
def test_each_activation_has_one_colour(label, name):
    assert rl.activation_color(label) == rl.ACTIVATION_COLORS[name]


def test_labels_naming_no_activation_get_no_colour_and_bad_labels_an_error():
    assert rl.activation_color("layer 3") is None
    assert rl.activation_color("reluctant") is None  # a word that merely contains "relu"
    assert len(set(rl.ACTIVATION_COLORS.values())) == len(rl.ACTIVATION_COLORS)
    with pytest.raises(TypeError, match="label"):
        rl.activation_color(None)


def test_every_helper_draws_an_activation_in_its_colour_whatever_the_order():
    x = np.linspace(-1, 1, 5)
    for order in (["sigmoid", "ReLU"], ["ReLU", "sigmoid"]):
        fig = rl.plot_curves(x, {label: x for label in order})
        curves = [line for line in fig.axes[0].lines if line.get_zorder() > 0]
        assert [line.get_color() for line in curves] == [rl.activation_color(k) for k in order]
        fig = rl.plot_per_layer({label: [1.0, 2.0] for label in order})
        assert [ln.get_color() for ln in fig.axes[0].lines] == [
            rl.activation_color(k) for k in order
        ]
    fig = rl.plot_function_and_derivative(x, np.tanh, 1 - np.tanh(x) ** 2, "tanh")
    assert fig.axes[0].lines[0].get_color() == rl.ACTIVATION_COLORS["tanh"]


def test_two_curves_of_one_activation_fall_back_to_the_cycle_to_stay_distinct():
    x = np.linspace(-1, 1, 5)
    fig = rl.plot_curves(x, {"sigmoid, Xavier": x, "sigmoid, 16/n": 2 * x})
    colors = [line.get_color() for line in fig.axes[0].lines if line.get_zorder() > 0]
    assert len(set(colors)) == 2
    fig = rl.plot_curves(x, {"ReLU": x}, styles={"ReLU": {"color": "black"}})
    assert fig.axes[0].lines[0].get_color() == "black"


def test_describe_figure_says_each_panels_title_axes_and_curves_in_plain_words():
    fig, axes = rl.new_figure(ncols=2)
    x = np.linspace(-2, 2, 5)
    axes[0].plot(x, rl.relu(x), label="ReLU")
    axes[0].plot(x, rl.relu_grad(x), label="_hidden")  # matplotlib's convention: no legend entry
    axes[0].set(title="ReLU and its derivative", xlabel="x", ylabel="f(x)")
    axes[1].plot(x, rl.sigmoid(x), label=r"$\sigma(x)$")
    fig.suptitle("Two activations")
    assert rl.describe_figure(fig) == (
        'Figure, 2 panels, Two activations: "ReLU and its derivative" (f(x) against x; '
        "curves ReLU); (curves σ(x))"
    )
    plt.close(fig)


def test_describe_figure_reads_tex_as_symbols_and_drops_unknown_commands():
    fig, (ax,) = rl.new_figure()
    ax.plot([0, 1], [0, 1], label=r"$\delta_l$ for $x \leq 0$")
    ax.set_title(r"weight gradient $\Vert\partial L/\partial W_l\Vert$, $\mathrm{Var}(w)$")
    assert rl.describe_figure(fig) == (
        'Figure, 1 panel: "weight gradient ‖∂L/∂W_l‖, Var(w)" (curves δ_l for x ≤ 0)'
    )
    plt.close(fig)
