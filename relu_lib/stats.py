r"""Statistics for paired experiments: several networks trained with the same seeds and batches.

When networks that differ only in their activation share the initialisation seed and the
mini-batches, the fair comparison is *paired*: per seed, the difference between the two runs.
A paired t-test (``scipy.stats.ttest_rel``) tests the mean of those differences; these helpers
add what a report of several such tests needs:

- ``holm``: p-values adjusted for testing several hypotheses at once (Holm's step-down method);
- ``detectable_difference``: the smallest true mean difference a paired t-test over ``n``
  pairs detects with a given power, from the standard deviation of the differences;
- ``sign_flip_test``: an exact paired test that needs no normality: with few pairs, and a
  direction fixed in advance, the honest alternative to a t-test.
"""

import math
import numbers

import numpy as np
from scipy import optimize, stats

__all__ = ["holm", "detectable_difference", "sign_flip_test"]


def holm(pvalues):
    r"""Holm's step-down adjustment of the p-values of ``m`` tests, in their original order.

    Sort the p-values, :math:`p_{(1)} \le \dots \le p_{(m)}`; the adjusted value of the
    :math:`k`-th smallest is :math:`\max_{j \le k} \min(1, (m - j + 1)\, p_{(j)})`. Rejecting
    every hypothesis whose adjusted p-value is at most :math:`\alpha` keeps the chance of any
    false rejection at most :math:`\alpha`, whatever the dependence between the tests. A NaN
    p-value stays NaN and is left out of the others' adjustment (``m`` counts the others).
    """
    if isinstance(pvalues, str | bytes) or not np.iterable(pvalues):
        raise TypeError(f"pvalues must be a sequence of numbers; got {type(pvalues).__name__}")
    try:
        p = np.asarray(pvalues, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"pvalues must be a sequence of numbers; got {pvalues!r}") from err
    if p.ndim != 1:
        raise ValueError(f"pvalues must be one-dimensional; got shape {p.shape}")
    known = ~np.isnan(p)
    if ((p[known] < 0) | (p[known] > 1)).any():
        raise ValueError(f"pvalues must lie in [0, 1]; got {p[known & ((p < 0) | (p > 1))]}")
    adjusted = np.full_like(p, np.nan)
    index = np.flatnonzero(known)
    order = index[np.argsort(p[index], kind="stable")]
    m = len(order)
    scaled = (m - np.arange(m)) * p[order]
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return adjusted


def _check_number(name, value, low, high, open_low=True):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        return value
    if not ((low < value) if open_low else (low <= value)) or not value < high:
        raise ValueError(
            f"{name} must lie in {'(' if open_low else '['}{low}, {high}); got {value}"
        )
    return value


def _tail(value, fallback):
    """``value`` unless scipy returned NaN (its noncentral t does in parts of its far tails),
    then ``fallback``."""
    return fallback() if math.isnan(value) else value


def _power(delta, n, alpha):
    r"""Power of a two-sided one-sample t-test at level ``alpha`` over ``n`` values with mean
    ``delta`` (in units of their standard deviation): :math:`P(|T| > c)` for :math:`T`
    noncentral t with :math:`n - 1` degrees of freedom and noncentrality
    :math:`\delta \sqrt n`."""
    df, shift = n - 1, delta * math.sqrt(n)
    critical = stats.t.ppf(1 - alpha / 2, df)
    above = _tail(stats.nct.sf(critical, df, shift), lambda: 1 - stats.nct.cdf(critical, df, shift))
    below = _tail(stats.nct.cdf(-critical, df, shift), lambda: stats.nct.sf(critical, df, -shift))
    return above + _tail(below, lambda: 0.0)


def detectable_difference(sd, n, alpha=0.05, power=0.8):
    r"""The smallest true mean difference that a two-sided paired t-test over ``n`` pairs,
    at level ``alpha``, detects with probability ``power``, when the differences have
    standard deviation ``sd``. In the units of ``sd``.

    Solved exactly with the noncentral t distribution: the test statistic has :math:`n - 1`
    degrees of freedom and noncentrality :math:`\delta \sqrt n / \mathrm{sd}`. For large
    ``n`` it approaches :math:`(z_{1-\alpha/2} + z_\text{power})\,\mathrm{sd}/\sqrt n`; with
    few pairs it is larger, because ``sd`` itself is estimated. A NaN ``sd`` gives NaN.
    """
    sd = _check_number("sd", sd, 0.0, math.inf, open_low=False)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int; got {type(n).__name__}")
    if n < 2:
        raise ValueError(
            f"n must be at least 2 pairs (a t-test needs a standard deviation); got {n}"
        )
    alpha = _check_number("alpha", alpha, 0.0, 1.0)
    power = _check_number("power", power, 0.0, 1.0)
    if math.isnan(sd) or math.isnan(alpha) or math.isnan(power):
        return math.nan
    if power <= alpha:
        raise ValueError(
            f"power must exceed alpha (a test detects a zero difference with probability alpha); "
            f"got power={power}, alpha={alpha}"
        )
    upper = 1.0
    while _power(upper, int(n), alpha) < power:
        upper *= 2
    delta = optimize.brentq(lambda d: _power(d, int(n), alpha) - power, 0.0, upper, xtol=1e-12)
    return delta * sd


SIGN_FLIP_MAX_PAIRS = 40
ALTERNATIVES = ("greater", "less", "two-sided")


def _signed_sums(values):
    """The sums of ``values`` under all 2**len(values) sign patterns (``+-v_1 +- v_2 ...``)."""
    sums = np.zeros(1)
    for v in values:
        sums = np.concatenate([sums + v, sums - v])
    return sums


def sign_flip_test(differences, alternative="greater"):
    r"""Exact sign-flip (permutation) test of paired differences :math:`d_1, \dots, d_n`.

    If the two conditions of each pair do not differ, each difference is as likely to come out
    positive as negative (its distribution is symmetric about 0), so all :math:`2^n` ways of
    flipping the signs of the :math:`d_i` are equally likely. The p-value is the fraction of
    those sign patterns whose sum :math:`\sum \pm |d_i|` is at least the observed
    :math:`\sum d_i` (``alternative="greater"``: the direction fixed in advance is positive),
    at most it (``"less"``), or at least as large in size (``"two-sided"``). No normality is
    assumed, unlike a t-test. All :math:`2^n` patterns are counted exactly, so with all ``n``
    differences positive the one-sided p-value is :math:`1/2^n`, the smallest possible: 1/32
    for 5 pairs. A difference of exactly 0 counts as either sign. Sums equal up to rounding
    (relative 1e-9) count as equal.

    ``differences`` is a one-dimensional sequence of 1 to 40 finite numbers.
    """
    if isinstance(differences, str | bytes) or not np.iterable(differences):
        raise TypeError(
            f"differences must be a sequence of numbers; got {type(differences).__name__}"
        )
    try:
        d = np.asarray(differences, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"differences must be a sequence of numbers; got {differences!r:.80}"
        ) from err
    if d.ndim != 1:
        raise ValueError(f"differences must be one-dimensional; got shape {d.shape}")
    if not 1 <= len(d) <= SIGN_FLIP_MAX_PAIRS:
        raise ValueError(
            f"differences must hold 1 to {SIGN_FLIP_MAX_PAIRS} pairs (2**n sign patterns are "
            f"counted exactly); got {len(d)}"
        )
    if not np.isfinite(d).all():
        raise ValueError(f"differences must be finite; got {d[~np.isfinite(d)]}")
    if not isinstance(alternative, str) or alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}; got {alternative!r:.80}")
    size = np.abs(d)
    observed = d.sum()
    tolerance = 1e-9 * size.sum()
    # Meet in the middle: every sum is a sum from the first half plus one from the second.
    half = len(size) // 2
    first, second = _signed_sums(size[:half]), np.sort(_signed_sums(size[half:]))

    def at_least(threshold):  # how many sign patterns have a sum >= threshold
        return int((len(second) - np.searchsorted(second, threshold - first, side="left")).sum())

    def at_most(threshold):
        return int(np.searchsorted(second, threshold - first, side="right").sum())

    if alternative == "greater":
        count = at_least(observed - tolerance)
    elif alternative == "less":
        count = at_most(observed + tolerance)
    else:
        bound = abs(observed) - tolerance
        count = 2 ** len(d) if bound <= 0 else at_least(bound) + at_most(-bound)
    return count / 2 ** len(d)
