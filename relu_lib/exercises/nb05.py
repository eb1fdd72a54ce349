"""Checkers for notebook 05, "The advantages of ReLU"."""

import math

import numpy as np

from .core import check_number

__all__ = ["check_xavier_output_rms", "check_race_ratio", "check_memory_bound_time"]


def _plain_number(value):
    """A one-element torch tensor or NumPy array as a Python number (a hand computation done
    with tensors gives one); anything else unchanged, for ``check_number`` to judge."""
    if hasattr(value, "detach") and hasattr(value, "numel") and value.numel() == 1:
        return value.detach().cpu().item()
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.item()
    return value


# Exercise 1: a bias-free ReLU MLP of 20 Linear layers, width 100 everywhere, Xavier init,
# inputs whose mean square is 1. Between 20 Linear layers there are 19 ReLUs; with Xavier
# (n Var(w) = 1 when fan-in = fan-out) each ReLU halves the mean square: 2^-19 at the output.
XAVIER_LAYERS = 20


def check_xavier_output_rms(value, must_pass=False):
    """Notebook 05, exercise 1: the output's root mean square after 20 Xavier ReLU layers."""
    value = _plain_number(value)
    relus = XAVIER_LAYERS - 1
    return check_number(
        value,
        "output_rms",
        expected=2.0 ** (-relus / 2),
        success=(
            f"19 ReLUs each halve the mean square, so the rms is 2^(-19/2) = "
            f"{2.0 ** (-relus / 2):.2e}: Xavier vanishes with ReLU."
        ),
        must_pass=must_pass,
        rtol=0.02,
        wrong=[
            (
                2.0 ** (-XAVIER_LAYERS / 2),
                "that counts 20 ReLUs; there is none after the last Linear layer.",
            ),
            (
                2.0 ** (-relus),
                "2^-19 is the mean square (the second moment); the rms is its square root.",
            ),
            (
                2.0 ** (-XAVIER_LAYERS),
                "that is a mean square, and it counts 20 ReLUs: take the square root, and "
                "count the ReLUs between the layers.",
            ),
            (
                1.0,
                "ReLU's slope is 1 where it is active, but it zeroes about half of the units, "
                "and Xavier's weights (n Var(w) = 1) do not make up for that.",
            ),
            (
                math.sqrt(2.0),
                "sqrt(2) is what He initialisation gives (n Var(w) = 2), not Xavier.",
            ),
        ],
        hint=(
            "each Linear layer multiplies the mean square by n Var(w) = 1 (Xavier, fan-in = "
            "fan-out) and each ReLU halves it; count the ReLUs, then take a square root."
        ),
    )


# Exercise 2: median steps to 5% training error per learning rate (None: never got there).
RACE_EXERCISE = {
    "relu": {0.01: 900, 0.03: 300, 0.1: 120, 0.3: None},
    "tanh": {0.01: 2700, 0.03: 750, 0.1: 330, 0.3: 150},
}


def _best(steps):
    return min(s for s in steps.values() if s is not None)


def check_race_ratio(value, must_pass=False):
    """Notebook 05, exercise 2: tanh's steps over ReLU's, each at its own best learning rate."""
    value = _plain_number(value)
    relu, tanh = RACE_EXERCISE["relu"], RACE_EXERCISE["tanh"]
    expected = _best(tanh) / _best(relu)
    return check_number(
        value,
        "ratio",
        expected=expected,
        success=(
            f"each at its best learning rate: tanh {_best(tanh)} steps, ReLU {_best(relu)} "
            f"steps, ratio {expected:.2f}. Far from AlexNet's 6."
        ),
        must_pass=must_pass,
        rtol=0.01,
        wrong=[
            (
                tanh[0.1] / relu[0.1],
                "that compares both at ReLU's best learning rate (0.1). A fair race gives each "
                "activation its own best rate: tanh's is 0.3.",
            ),
            (
                _best(relu) / _best(tanh),
                "that is ReLU's steps over tanh's; the question asks how many times longer "
                "tanh takes.",
            ),
            *[
                (
                    tanh[rate] / relu[rate],
                    f"that compares both at the same learning rate ({rate}). A fair race gives "
                    "each activation its own best rate.",
                )
                for rate in relu
                if relu[rate] is not None and rate != 0.1
            ],
        ],
        hint="take the fewest steps in each row (skipping None), then divide tanh's by ReLU's.",
    )


# Exercise 3: ReLU's forward on a bfloat16 activation, at a laptop GPU's bandwidth. No table in
# the notebook gives the answer: the learner applies the memory-bound model of section 3.
BANDWIDTH_B_PER_S = 256e9  # bytes per second (256 GB/s, GB = 10^9 bytes)
TOKENS, UNITS = 2048, 11008
BFLOAT16_BYTES = 2
H200_B_PER_S = 4.1e12


def _ms(n_bytes, bandwidth=BANDWIDTH_B_PER_S):
    return n_bytes / bandwidth * 1e3


def check_memory_bound_time(value, must_pass=False):
    """Notebook 05, exercise 3: the least time, in ms, of ReLU's forward on a bfloat16 tensor
    of 2048 x 11008 elements at 256 GB/s, when memory is the only limit (every element read
    once and written once)."""
    value = _plain_number(value)
    numel = TOKENS * UNITS
    moved = 2 * BFLOAT16_BYTES * numel
    expected = _ms(moved)
    return check_number(
        value,
        "least_ms",
        expected=expected,
        success=(
            f"2 x 2 bytes x {TOKENS} x {UNITS} = {moved / 1e6:.1f} MB at 256 GB/s is "
            f"{expected:.3f} ms, whatever the activation, as long as its arithmetic keeps up "
            "with the memory."
        ),
        must_pass=must_pass,
        rtol=0.03,
        wrong=[
            (
                _ms(2 * 4 * numel),
                "that counts 4 bytes per number; bfloat16 numbers are 2 bytes each.",
            ),
            (
                _ms(BFLOAT16_BYTES * numel),
                "that moves 2 bytes per element: ReLU reads each input AND writes each output, "
                "2 bytes each.",
            ),
            (
                _ms(numel),
                "that moves 1 byte per element; a bfloat16 is 2 bytes, read once and written once.",
            ),
            (
                _ms(moved, H200_B_PER_S),
                "that uses the H200's 4.1 TB/s; this laptop GPU moves 256 GB/s.",
            ),
            (
                moved / (256 * 2**30) * 1e3,
                "that reads 256 GB/s as 256 x 2^30 bytes; here a GB is 10^9 bytes.",
            ),
            (expected / 1e3, "that is the time in seconds; the answer is asked in milliseconds."),
            (
                expected * 1e3,
                "that is the time in microseconds; the answer is asked in milliseconds.",
            ),
        ],
        hint=(
            "bytes moved = 2 (read + write) x 2 (bytes per bfloat16) x 2048 x 11008; time = "
            "bytes / (256e9 bytes per second), then convert to milliseconds."
        ),
    )
