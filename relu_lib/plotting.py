"""One figure style for the whole course, and the few plot shapes the notebooks use.

Figures get an opaque white background (readable in light and dark notebook themes) and an
explicit size (the size is printed in the notebook's text output, which nbval compares).
Every helper returns the figure; a notebook cell ends with ``plt.show()``.

Each activation has one colour in every figure of the course (``ACTIVATION_COLORS``): a
curve whose label names an activation ("ReLU", "tanh, Xavier", "Leaky ReLU'") is drawn in
that colour by every helper here, and ``activation_color`` gives it to hand-made plots.
"""

import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "use_course_style",
    "new_figure",
    "plot_curves",
    "plot_function_and_derivative",
    "plot_per_layer",
    "activation_color",
    "describe_figure",
    "ACTIVATION_COLORS",
]

FIGSIZE = (6.4, 3.6)
PANEL_WIDTH = 4.2
COLORS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
]

# One colour per activation, for the whole course. Kept out of the start of the default cycle
# where possible, so an unrelated second curve does not look like ReLU.
ACTIVATION_COLORS = {
    "relu": "#1f77b4",
    "sigmoid": "#d62728",
    "tanh": "#2ca02c",
    "leaky_relu": "#9467bd",
    "prelu": "#ff7f0e",
    "rrelu": "#8c564b",
    "elu": "#e377c2",
    "gelu": "#17becf",
    "silu": "#bcbd22",
    "relu6": "#393b79",
    "identity": "#7f7f7f",
}
# Most specific first: "Leaky ReLU" and "PReLU" must not be read as "ReLU".
_ACTIVATION_PATTERNS = [
    ("leaky_relu", r"leaky[ _-]?relu"),
    ("prelu", r"prelu"),
    ("rrelu", r"rrelu"),
    ("relu6", r"relu6"),
    ("gelu", r"gelu"),
    ("silu", r"silu|swish"),
    ("elu", r"elu"),
    ("relu", r"relu"),
    ("sigmoid", r"sigmoid"),
    ("tanh", r"tanh"),
    ("identity", r"identity|linear"),
]
_ACTIVATION_RES = [
    (name, re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", re.IGNORECASE))
    for name, pattern in _ACTIVATION_PATTERNS
]


def activation_color(label):
    """The course's colour for the activation that ``label`` names, or None if it names none.

    ``label`` may carry more words: "ReLU, He init", "tanh'" and "leaky_relu" all match.
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}")
    for name, pattern in _ACTIVATION_RES:
        if pattern.search(label):
            return ACTIVATION_COLORS[name]
    return None


def _colors_for(labels):
    """Colours by activation when every label names a different one, else the default cycle
    (None), so that "sigmoid, Xavier" and "sigmoid, 16/n" on one plot stay distinguishable."""
    colors = [activation_color(str(label)) for label in labels]
    if None in colors or len(set(colors)) < len(colors):
        return [None] * len(colors)
    return colors


COURSE_STYLE = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 80,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.framealpha": 1.0,
    "lines.linewidth": 2.0,
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


# The TeX commands the course's labels use, as a reader hears them.
TEX_IN_WORDS = {
    "Vert": "‖", "partial": "∂", "sigma": "σ", "alpha": "α", "delta": "δ", "kappa": "κ",
    "ell": "ℓ", "tanh": "tanh", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "infty": "∞", "sim": "~",
}  # fmt: skip


def _plain(text):
    """Matplotlib's mathtext as a reader hears it: $\\sigma'(x)$ -> σ'(x),
    $\\Vert\\partial L/\\partial W\\Vert$ -> ‖∂L/∂W‖."""
    text = re.sub(r"\\([A-Za-z]+)", lambda m: TEX_IN_WORDS.get(m[1], ""), text)  # \\mathrm: ""
    return re.sub(r"[${}]", "", text).replace("∂ ", "∂").strip()


def describe_figure(fig):
    """A figure in words, for a reader who cannot see it (the book's alt text): its title, then
    each panel's title, axes and labelled curves, e.g.
    ``Figure, 2 panels: "ReLU" (f(x) against x; curves ReLU, ReLU'); "sigmoid" (...)``.
    ``setup_notebook`` makes it a figure's text output in place of matplotlib's
    ``<Figure size 640x480 with 2 Axes>``."""
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    said = []
    for ax in panels:
        labels = [label for label in ax.get_legend_handles_labels()[1] if not label.startswith("_")]
        y, x = _plain(ax.get_ylabel()), _plain(ax.get_xlabel())
        axes = f"{y} against {x}" if x and y else f"x-axis {x}" if x else f"y-axis {y}" if y else ""
        curves = f"curves {', '.join(map(_plain, labels))}" if labels else ""
        inside = "; ".join(part for part in (axes, curves) if part)
        title = _plain(ax.get_title() or ax.get_title(loc="left"))
        said.append(f'"{title}"' + (f" ({inside})" if inside else "") if title else f"({inside})")
    suptitle = _plain(fig.get_suptitle()) if hasattr(fig, "get_suptitle") else ""
    count = f"{len(panels)} panel{'s' * (len(panels) != 1)}"
    return f"Figure, {count}" + (f", {suptitle}" if suptitle else "") + ": " + "; ".join(said)


def use_course_style():
    """Apply the course's matplotlib style (``setup_notebook`` calls it)."""
    mpl.rcParams.update(COURSE_STYLE)


def new_figure(ncols=1, nrows=1, panel_size=None, **subplot_kw):
    """A figure of ``nrows x ncols`` panels with an explicit size; returns (fig, axes array)."""
    width, height = panel_size or (FIGSIZE if ncols * nrows == 1 else (PANEL_WIDTH, 3.4))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width * ncols, height * nrows),
        squeeze=False,
        layout="constrained",
        **subplot_kw,
    )
    return fig, axes.ravel()


def _label(ax, title=None, xlabel=None, ylabel=None):
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)


def plot_curves(x, curves, ax=None, title=None, xlabel="x", ylabel=None, styles=None):
    """A family of curves ``{label: y}`` on shared axes; returns the figure.

    Curves are coloured by the activation their label names (see ``activation_color``);
    ``styles`` maps a label to keyword arguments of ``ax.plot`` that override it."""
    if ax is None:
        fig, (ax,) = new_figure()
    fig = ax.figure
    x = np.asarray(x)
    for (label, y), color in zip(curves.items(), _colors_for(curves), strict=True):
        style = {"color": color} if color else {}
        style.update((styles or {}).get(label, {}))
        ax.plot(x, np.asarray(y), label=label, **style)
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
    _label(ax, title, xlabel, ylabel)
    if len(curves) > 1:
        ax.legend()
    return fig


def _draw_with_jumps(ax, x, y, jumps, color, label):
    """Draw y(x) piecewise, breaking the line at each jump and marking the value taken there:
    a filled dot at the value the function takes, open dots at the one-sided limits."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    edges = [-np.inf, *sorted(jumps), np.inf]
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        piece = (x > lo) & (x < hi)
        ax.plot(x[piece], y[piece], color=color, label=label if lo == -np.inf else None)
    for x0, (left, at, right) in sorted(jumps.items()):
        for limit in {left, right} - {at}:
            ax.plot(
                [x0],
                [limit],
                "o",
                markersize=7,
                markerfacecolor="white",
                markeredgecolor=color,
                markeredgewidth=1.8,
                zorder=3,
            )
        ax.plot([x0], [at], "o", markersize=7, color=color, zorder=4)


def plot_function_and_derivative(x, f, df, name, jumps=None, axes=None, color=None):
    """``name`` and its derivative side by side, on the grid ``x``.

    ``f`` and ``df`` are arrays over ``x`` or callables. ``jumps`` maps a point where the
    derivative jumps to ``(left limit, value there, right limit)``; the derivative is drawn
    without a vertical line there, with a filled dot at the value taken and open dots at
    the limits. Returns the figure.
    """
    if axes is None:
        fig, axes = new_figure(ncols=2)
    fig = axes[0].figure
    x = np.asarray(x, dtype=float)
    y = f(x) if callable(f) else np.asarray(f)
    dy = df(x) if callable(df) else np.asarray(df)
    color = color or activation_color(name) or COLORS[0]
    axes[0].plot(x, y, color=color, label=name)
    _draw_with_jumps(axes[1], x, dy, jumps or {}, color, f"{name}'")
    for ax, title in zip(axes, (name, f"derivative of {name}"), strict=False):
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#999999", linewidth=0.8, zorder=0)
        _label(ax, title, "x")
    axes[0].set_ylabel("f(x)")
    axes[1].set_ylabel("f'(x)")
    return fig


def plot_per_layer(values, ax=None, log=True, title=None, ylabel="value", kind="line"):
    """One series per network ``{label: per-layer values}`` against layer index (1-based).

    ``kind="line"`` draws markers and lines (good for many layers), ``"bar"`` grouped bars.
    ``log=True`` puts the y axis on a log scale. Series are coloured by the activation their
    label names (see ``activation_color``). Returns the figure.
    """
    if ax is None:
        fig, (ax,) = new_figure()
    fig = ax.figure
    if kind not in ("line", "bar"):
        raise ValueError(f"kind must be 'line' or 'bar'; got {kind!r}")
    width = 0.8 / max(len(values), 1)
    colors = _colors_for(values)
    for i, (label, series) in enumerate(values.items()):
        series = np.asarray(series, dtype=float)
        layers = np.arange(1, len(series) + 1)
        style = {"color": colors[i]} if colors[i] else {}
        if kind == "line":
            ax.plot(layers, series, marker="o", markersize=3, label=label, **style)
        else:
            offset = (i - (len(values) - 1) / 2) * width
            ax.bar(layers + offset, series, width, label=label, **style)
    if log:
        ax.set_yscale("log")
    _label(ax, title, "layer", ylabel)
    if len(values) > 1:
        ax.legend()
    return fig
