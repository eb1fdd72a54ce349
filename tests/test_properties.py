"""Property-based tests (hypothesis) of relu_lib's rules for any input, not only the examples
the other tests pick (issue 11). The example budget is fixed and the examples are derived from
the test itself (``derandomize=True``): every run tries the same cases, in a few seconds."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import relu_lib as rl

FIXED = settings(max_examples=40, deadline=None, derandomize=True, database=None)
FEW = settings(max_examples=20, deadline=None, derandomize=True, database=None)

FLOAT_DTYPES = [np.float16, np.float32, np.float64]


def float_arrays(dtypes=FLOAT_DTYPES):
    """Arrays of 0 to 3 dims in float16/32/64 with NaN, +-inf, +-0 and subnormals among the
    elements."""
    return st.sampled_from(dtypes).flatmap(
        lambda dtype: hnp.arrays(
            dtype,
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
            elements=st.floats(width=np.finfo(dtype).bits, allow_subnormal=True),
        )
    )


# Slopes exactly representable in float16, so that NumPy (slope rounded to the input's dtype)
# and torch (slope kept in float32 for float16 input) multiply by the same number.
SLOPES = st.builds(lambda m, e: m * 2.0**e, st.integers(-1024, 1024), st.integers(-10, 5))


def new_non_finite(x, out):
    """Whether ``out`` has an inf or NaN where ``x`` had none of the kind: the only case in
    which NumPy may rightly warn."""
    with np.errstate(invalid="ignore"):
        return bool((np.isinf(out) & np.isfinite(x)).any() or (np.isnan(out) & ~np.isnan(x)).any())


def call_recording_warnings(f, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = f(*args, **kwargs)
    return out, [w for w in caught if issubclass(w.category, RuntimeWarning)]


def assert_same_values(ours, theirs):
    """Equal values, NaN where the other has NaN, and the same sign of zero."""
    np.testing.assert_array_equal(ours, theirs)
    zeros = theirs == 0
    assert np.array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]))


# --- the piecewise-linear activations: torch's values, and warnings only for real overflows ---


@FIXED
@given(x=float_arrays(), alpha=SLOPES)
def test_leaky_relu_is_torchs_and_warns_only_on_a_new_inf_or_nan(x, alpha):
    ours, caught = call_recording_warnings(rl.leaky_relu, x, alpha)
    assert type(ours) is np.ndarray and ours.shape == x.shape and ours.dtype == x.dtype
    theirs = F.leaky_relu(torch.from_numpy(x.copy()), alpha).numpy()
    assert_same_values(ours, theirs)
    assert bool(caught) == new_non_finite(x, ours), [str(w.message) for w in caught]


@FIXED
@given(x=float_arrays(), alpha=SLOPES)
def test_prelu_with_one_shared_slope_is_torchs_and_warns_only_on_a_new_inf_or_nan(x, alpha):
    ours, caught = call_recording_warnings(rl.prelu, x, [alpha])
    weight = torch.tensor([alpha], dtype=torch.from_numpy(x.copy()).dtype)
    theirs = F.prelu(torch.from_numpy(x.copy()), weight).numpy()
    assert ours.shape == x.shape and ours.dtype == x.dtype
    assert_same_values(ours, theirs)
    assert bool(caught) == new_non_finite(x, ours), [str(w.message) for w in caught]


@FIXED
@given(x=float_arrays(), bounds=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted))
def test_rrelu_warns_only_on_a_new_inf_or_nan(x, bounds):
    # Its slopes are in [0, 1]: nothing overflows, and only -inf times a slope of 0 is NaN.
    lower, upper = bounds
    for kwargs in ({}, {"training": True, "rng": 0}):
        out, caught = call_recording_warnings(rl.rrelu, x, lower, upper, **kwargs)
        assert out.shape == x.shape and out.dtype == x.dtype
        assert not (np.isinf(out) & np.isfinite(x)).any()
        assert bool(caught) == new_non_finite(x, out), [str(w.message) for w in caught]


@FIXED
@given(
    dtype=st.sampled_from(FLOAT_DTYPES),
    alpha=st.floats(allow_nan=False, allow_infinity=False).filter(lambda a: abs(a) > 65504),
)
def test_a_slope_beyond_the_dtype_is_refused_and_one_within_it_is_kept(dtype, alpha):
    x = np.array([-1.0], dtype=dtype)
    with np.errstate(over="ignore"):
        overflows = np.isinf(dtype(alpha))  # beyond the largest value it rounds to
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if overflows:
            for f in (rl.leaky_relu, rl.leaky_relu_grad):
                with pytest.raises(ValueError, match="beyond the range of the input's dtype"):
                    f(x, alpha)
        else:
            assert np.isfinite(rl.leaky_relu(x, alpha)).all()


# --- every NumPy function: arrays of the input's shape, tensors read as their values ----------

EVERY_FUNCTION = {
    "relu": rl.relu,
    "relu_grad": rl.relu_grad,
    "leaky_relu": lambda x: rl.leaky_relu(x, 0.1),
    "leaky_relu_grad": lambda x: rl.leaky_relu_grad(x, 0.1),
    "prelu": lambda x: rl.prelu(x, [0.25]),
    "prelu_grad": lambda x: rl.prelu_grad(x, [0.25]),
    "rrelu": rl.rrelu,
    "rrelu_train": lambda x: rl.rrelu(x, training=True, rng=0),
    "sigmoid": rl.sigmoid,
    "sigmoid_grad": rl.sigmoid_grad,
    "tanh": rl.tanh,
    "tanh_grad": rl.tanh_grad,
}


@pytest.mark.parametrize("name", EVERY_FUNCTION)
@FEW
@given(x=float_arrays([np.float32, np.float64]))
def test_an_array_of_the_same_shape_from_an_array_or_a_tensor_that_requires_grad(name, x):
    f = EVERY_FUNCTION[name]
    with np.errstate(all="ignore"):
        from_array = f(x)
        from_tensor = f(torch.tensor(x, requires_grad=True))
    assert type(from_array) is np.ndarray and from_array.shape == x.shape
    assert type(from_tensor) is np.ndarray
    np.testing.assert_array_equal(from_tensor, from_array)


@pytest.mark.parametrize("name", EVERY_FUNCTION)
@FEW
@given(
    x=st.one_of(
        st.floats(),
        st.integers(-(2**31), 2**31),
        st.floats(width=32).map(np.float32),
        st.floats().map(np.array),
    )
)
def test_a_scalar_gives_a_0d_array(name, x):
    with np.errstate(all="ignore"):
        out = EVERY_FUNCTION[name](x)
    assert type(out) is np.ndarray and out.shape == ()


# --- one rule for seeds everywhere ------------------------------------------------------------

SEEDED = {
    "make_mlp": lambda seed: rl.make_mlp([2, 3], seed=seed),
    "rrelu": lambda seed: rl.rrelu(np.array([-1.0]), training=True, rng=seed),
    "spirals": lambda seed: rl.spirals(n_per_class=2, seed=seed),
    "relu_mlp": lambda seed: rl.relu_mlp(width=2, depth=1, n_out=2, seed=seed),
}
ANY_INT = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(0, 2**32 - 1),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.integers(0, 2**64 - 1).map(np.uint64),
    st.integers(0, 255).map(np.uint8),
)
NOT_AN_INT = st.one_of(
    st.none(),
    st.booleans(),
    st.booleans().map(np.bool_),
    st.floats(),
    st.text(max_size=3),
    st.lists(st.integers(0, 9), max_size=2),
)


@pytest.mark.parametrize("name", SEEDED)
@FIXED
@given(seed=st.one_of(ANY_INT, NOT_AN_INT))
def test_a_seed_is_an_int_in_0_to_2_to_the_32_minus_1_everywhere(name, seed):
    is_int = isinstance(seed, int | np.integer) and not isinstance(seed, bool | np.bool_)
    argument = "rng" if name == "rrelu" else "seed"
    if seed is None and name in ("make_mlp", "relu_mlp"):
        SEEDED[name](seed)  # None: torch's global random state draws the weights
    elif seed is None and name == "rrelu":
        with pytest.raises(ValueError, match="pass rng"):
            SEEDED[name](seed)
    elif not is_int:
        with pytest.raises(TypeError, match=argument):
            SEEDED[name](seed)
    elif not 0 <= int(seed) <= 2**32 - 1:
        with pytest.raises(ValueError, match=rf"{argument} must be .*\[0, 2\*\*32 - 1\]"):
            SEEDED[name](seed)
    else:
        SEEDED[name](seed)


@FEW
@given(seed=st.integers(0, 2**32 - 1), numpy_int=st.sampled_from([np.int64, np.uint32, np.uint64]))
def test_a_numpy_integer_seed_is_that_int(seed, numpy_int):
    a = rl.make_mlp([3, 2], seed=seed)
    b = rl.make_mlp(np.array([3, 2], dtype=np.int64), seed=numpy_int(seed))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


# --- make_mlp and train: any value works or is refused by name --------------------------------

ANYTHING = st.one_of(
    NOT_AN_INT,
    st.integers(-5, 5),
    st.integers(-5, 5).map(np.int64),
    st.floats(-1e310, 1e310),
    st.lists(st.integers(-2, 5), max_size=4),
    st.sampled_from(["relu", "tanh", "he", "xavier", "torch", "sgd", "adam"]),
)


@pytest.mark.parametrize("argument", ["sizes", "activation", "init", "bias", "seed"])
@FIXED
@given(value=ANYTHING)
def test_make_mlp_builds_a_finite_model_or_names_the_argument(argument, value):
    try:
        model = rl.make_mlp(**{"sizes": [3, 4, 2], argument: value})
    except (TypeError, ValueError) as err:
        assert argument in str(err)
    else:
        assert all(torch.isfinite(p).all() for p in model.parameters())


@pytest.fixture(scope="module")
def data():
    return rl.spirals(n_per_class=4, seed=0)


@pytest.mark.parametrize(
    "argument",
    [
        "model",
        "optimizer",
        "lr",
        "epochs",
        "batch_size",
        "seed",
        "momentum",
        "weight_decay",
        "probe",
    ],
)
@FEW
@given(value=ANYTHING)
def test_train_trains_or_names_the_argument_before_any_step(data, argument, value):
    model = rl.make_mlp([2, 4, 3], seed=0)
    before = [p.clone() for p in model.parameters()]
    arguments = {"model": model, "data": data, "epochs": 1, argument: value}
    try:
        with np.errstate(all="ignore"):
            history = rl.train(**arguments)
    except (TypeError, ValueError) as err:
        assert argument in str(err)
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    else:
        assert len(history.loss) == int(arguments["epochs"]) + 1
