"""One figure style for the whole course, and the few plot shapes the notebooks use.

Figures get an opaque white background (readable in light and dark notebook themes) and an
explicit size (the size is printed in the notebook's text output, which nbval compares).
Every helper returns the figure; a notebook cell ends with ``plt.show()``.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "use_course_style",
    "new_figure",
    "plot_curves",
    "plot_function_and_derivative",
    "plot_per_layer",
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
    """A family of curves ``{label: y}`` on shared axes; returns the figure."""
    if ax is None:
        fig, (ax,) = new_figure()
    fig = ax.figure
    x = np.asarray(x)
    for label, y in curves.items():
        ax.plot(x, np.asarray(y), label=label, **(styles or {}).get(label, {}))
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
    color = color or COLORS[0]
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
    ``log=True`` puts the y axis on a log scale. Returns the figure.
    """
    if ax is None:
        fig, (ax,) = new_figure()
    fig = ax.figure
    if kind not in ("line", "bar"):
        raise ValueError(f"kind must be 'line' or 'bar'; got {kind!r}")
    width = 0.8 / max(len(values), 1)
    for i, (label, series) in enumerate(values.items()):
        series = np.asarray(series, dtype=float)
        layers = np.arange(1, len(series) + 1)
        if kind == "line":
            ax.plot(layers, series, marker="o", markersize=3, label=label)
        else:
            ax.bar(layers + (i - (len(values) - 1) / 2) * width, series, width, label=label)
    if log:
        ax.set_yscale("log")
    _label(ax, title, "layer", ylabel)
    if len(values) > 1:
        ax.legend()
    return fig
