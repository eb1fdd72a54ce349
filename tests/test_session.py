import random

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import relu_lib as rl


def draw():
    return random.random(), np.random.rand(), torch.rand(1).item()


def test_the_same_seed_gives_the_same_draws():
    rl.setup_notebook(seed=3)
    first = draw()
    rl.setup_notebook(seed=3)
    assert draw() == first
    rl.setup_notebook(seed=4)
    assert draw() != first


def test_setup_fixes_threads_and_style():
    rl.setup_notebook(threads=1)
    assert torch.get_num_threads() == 1
    assert mpl.rcParams["figure.facecolor"] == "white"
    assert tuple(mpl.rcParams["figure.figsize"]) == rl.plotting.FIGSIZE


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"seed": -1}, ValueError),
        ({"seed": 2**32}, ValueError),
        ({"threads": 0}, ValueError),
        ({"seed": 1.5}, TypeError),
        ({"seed": True}, TypeError),
        ({"threads": 2.0}, TypeError),
    ],
)
def test_bad_setup_arguments_are_named(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        rl.setup_notebook(**kwargs)


def test_the_device_can_be_forced_to_cpu(monkeypatch):
    monkeypatch.setenv("RELU_LIB_DEVICE", "cpu")
    assert rl.get_device() == torch.device("cpu")
    monkeypatch.setenv("RELU_LIB_DEVICE", "tpu")
    with pytest.raises(ValueError, match="RELU_LIB_DEVICE"):
        rl.get_device()


def test_the_device_defaults_to_cuda_only_when_present(monkeypatch):
    monkeypatch.delenv("RELU_LIB_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert rl.get_device().type == expected


def test_in_a_notebook_a_figures_text_output_is_its_description():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        fig, (ax,) = rl.new_figure()
        ax.plot([0, 1], [0, 1], label="ReLU")
        ax.set(title="ReLU", xlabel="x", ylabel="f(x)")
        before = shell.display_formatter.format(fig)[0]["text/plain"]
        rl.setup_notebook()
        after = shell.display_formatter.format(fig)[0]["text/plain"]
        assert before.startswith("<Figure size")
        assert after == 'Figure, 1 panel: "ReLU" (f(x) against x; curves ReLU)'
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()
