"""Checkers for notebook 02, "Why ReLU?"."""

import numpy as np

from .core import check_number

__all__ = ["check_sigmoid_best_case", "check_relu_variance_gain", "check_relu_xavier_shrink"]


def check_sigmoid_best_case(value, must_pass=False):
    """Notebook 02, exercise 1: the largest possible product of sigmoid derivatives through 20
    layers, (1/4)^20."""
    return check_number(
        value,
        "best_case_20",
        0.25**20,
        "(1/4)^20 ≈ 9.1e-13: even if every pre-activation sat at 0, where sigmoid' is largest, "
        "20 sigmoid layers would scale the gradient by less than 10^-12.",
        must_pass,
        rtol=1e-3,
        wrong=[
            (0.25 * 20, "the chain rule multiplies the layers' factors; it does not add them."),
            (
                0.5**20,
                "1/2 is sigmoid(0), the function's value. The derivative at 0 is "
                "sigmoid(0) * (1 - sigmoid(0)) = 1/4.",
            ),
            (1.0, "1 is the largest derivative of tanh (and of ReLU). Sigmoid's is 1/4."),
            (0.25, "that is one layer's factor. Twenty layers multiply twenty of them."),
            (0.25**19, "count the factors again: one per layer, twenty layers."),
            (0.25**21, "count the factors again: one per layer, twenty layers."),
        ],
        hint="multiply the largest value of sigmoid'(x) by itself once per layer.",
    )


def check_relu_variance_gain(value, must_pass=False):
    """Notebook 02, exercise 2: the g in W ~ N(0, g / n_in) that keeps the back-propagated
    gradient's norm through ReLU layers of equal width (He et al. 2015): g = 2."""
    return check_number(
        value,
        "g",
        2.0,
        "g = 2, He initialisation: each layer multiplies the squared norm by g (the weights) "
        "times 1/2 (ReLU's derivative is 0 for half the units, 1 for the rest), and g / 2 = 1.",
        must_pass,
        rtol=1e-3,
        wrong=[
            (
                1.0,
                "g = 1 (LeCun's variance, and Xavier's in layers of equal width) is right for an "
                "activation with slope 1 everywhere. ReLU's slope is 0 for about half the units, "
                "which halves the squared norm at every layer.",
            ),
            (
                2**0.5,
                "sqrt(2) is the gain on the standard deviation. The question asks for the "
                "variance: W ~ N(0, g / n_in).",
            ),
            (
                4.0,
                "that doubles the squared norm at every layer: the gradient explodes, by "
                "2^(L/2) in norm over L layers.",
            ),
            (
                0.5,
                "the half-dead units halve the squared norm; the weights must double it, not "
                "halve it again.",
            ),
        ],
        hint="per layer the squared norm is multiplied by g (the weights) and by the mean of "
        "relu'(z)^2 over the units. Choose g so that the product is 1.",
    )


def check_relu_xavier_shrink(value, must_pass=False):
    """Notebook 02, exercise 3: the factor by which 20 ReLU layers with Xavier initialisation
    (equal widths) scale the norm of the back-propagated gradient: 2^(-20/2) = 1/1024."""
    hint = (
        "per layer, Xavier's weights keep the squared norm (gain 1) and ReLU's derivative "
        "halves it on average. Take the square root for the norm, then multiply over the layers."
    )
    if _is_number(value) and 0.5 < value / 2.0**-10 < 2:
        hint = (
            "close, but the question asks for the theory's value, not a measured or rounded "
            "one: the exact product of the 20 per-layer factors, each 1/sqrt(2)."
        )
    return check_number(
        value,
        "shrink_20",
        2.0**-10,
        "2^-10 ≈ 9.8e-4: each layer multiplies the squared norm by 1/2, so the norm by 1/sqrt(2); "
        "20 layers give (1/sqrt(2))^20 = 1/1024. Notebook 05 measures it through 30 layers, "
        "forward and backward; notebook 06 follows the forward signal through 20.",
        must_pass,
        rtol=1e-3,
        wrong=[
            (
                2.0**-9.5,
                "that is 19 factors. Here the gradient crosses 20 layers, each with its weights "
                "and its ReLU: 20 factors of 1/sqrt(2).",
            ),
            (
                2.0**-20,
                "that is the factor on the squared norm (the variance). The norm is its square "
                "root.",
            ),
            (
                1.0,
                "Xavier keeps the scale for activations with slope 1 near 0, such as tanh. ReLU "
                "passes no gradient through about half of the units at each layer.",
            ),
            (2.0**-0.5, "that is one layer. Twenty layers multiply twenty such factors."),
            (0.5, "that is one layer's factor on the squared norm, and only one layer."),
            (
                0.25**20,
                "1/4 is sigmoid's largest derivative. For ReLU with Xavier, each layer's factor "
                "on the norm is 1/sqrt(2).",
            ),
        ],
        hint=hint,
    )


def _is_number(value):
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)
