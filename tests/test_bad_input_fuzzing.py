"""Bad input found whatever it is (hypothesis, 400 examples per function): each public entry
point of relu_lib that takes a learner's values either works or raises a TypeError or
ValueError whose message names the argument it refuses, never an IndexError, a RuntimeError
from deep inside torch or a NumPy ufunc error. The examples mix valid values with anything
else (None, bools, huge and non-finite numbers, strings, complex numbers, lists, arrays and
tensors of every shape and dtype, masked arrays); derandomized, so every run tries the same."""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import relu_lib as rl

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SMALL_ARRAYS = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=3),
    st.lists(st.floats(), max_size=3),
    hnp.arrays(hnp.scalar_dtypes(), SMALL_ARRAYS),
    hnp.arrays(np.float64, SMALL_ARRAYS).map(lambda a: np.ma.masked_array(a, mask=a > 0)),
    hnp.arrays(np.float32, SMALL_ARRAYS).map(torch.from_numpy),
    st.sampled_from([torch.zeros(2, 3, dtype=torch.int64), torch.ones(3, dtype=torch.bool)]),
)


def either(valid):
    """A valid value half the time, anything the other half."""
    return st.one_of(valid, ANYTHING)


def works_or_names(call, names):
    """Run ``call()``: it works, or raises TypeError/ValueError naming one of ``names``."""
    try:
        call()
    except (TypeError, ValueError) as error:
        assert any(name in str(error) for name in names), f"{type(error).__name__}: {error}"


X = either(hnp.arrays(np.float64, SMALL_ARRAYS))
SLOPE = either(st.floats(-2, 2))


@pytest.mark.parametrize(
    "activation", [rl.relu, rl.relu_grad, rl.sigmoid, rl.sigmoid_grad, rl.tanh, rl.tanh_grad]
)
@FUZZ
@given(x=X)
def test_an_activation_takes_any_x_or_names_it(activation, x):
    works_or_names(lambda: activation(x), ["x"])


@pytest.mark.parametrize("activation", [rl.leaky_relu, rl.leaky_relu_grad])
@FUZZ
@given(x=X, alpha=SLOPE)
def test_leaky_relu_takes_any_x_and_alpha_or_names_them(activation, x, alpha):
    works_or_names(lambda: activation(x, alpha), ["x", "alpha"])


@FUZZ
@given(
    sizes=either(st.lists(st.integers(1, 4), min_size=2, max_size=4)),
    activation=either(st.sampled_from(["relu", "tanh", "leaky_relu"])),
    init=either(st.one_of(st.sampled_from(["he", "xavier", "torch"]), st.floats(0.1, 4))),
    bias=either(st.booleans()),
    seed=either(st.integers(0, 2**32 - 1)),
)
def test_make_mlp_takes_any_arguments_or_names_them(sizes, activation, init, bias, seed):
    works_or_names(
        lambda: rl.make_mlp(sizes, activation=activation, init=init, bias=bias, seed=seed),
        ["sizes", "activation", "init", "bias", "seed"],
    )


def tensors(dtype, shape):
    return hnp.arrays(dtype, shape, elements=st.floats(-3, 3, width=32)).map(torch.from_numpy)


@FUZZ
@given(
    x_train=either(tensors(np.float32, (4, 2))),
    y_train=either(st.just(torch.tensor([0, 1, 1, 0]))),
    x_test=either(tensors(np.float32, (2, 2))),
    y_test=either(st.just(torch.tensor([1, 0]))),
)
def test_a_dataset_takes_any_tensors_or_names_the_field(x_train, y_train, x_test, y_test):
    works_or_names(
        lambda: rl.Dataset(x_train, y_train, x_test, y_test),
        ["x_train", "y_train", "x_test", "y_test"],
    )


@pytest.fixture(scope="module")
def tiny():
    x = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = torch.tensor([0, 1, 1, 0])
    return rl.Dataset(x, y, x, y, name="tiny")


@FUZZ
@given(
    optimizer=either(st.sampled_from(["sgd", "adam", "adagrad"])),
    lr=either(st.floats(0.001, 1)),
    epochs=either(st.integers(0, 2)),
    batch_size=either(st.one_of(st.none(), st.integers(1, 4))),
    seed=either(st.integers(0, 2**32 - 1)),
    momentum=either(st.floats(0, 0.9)),
    weight_decay=either(st.floats(0, 0.1)),
    probe=either(st.booleans()),
)
def test_train_takes_any_arguments_or_names_them(
    tiny, optimizer, lr, epochs, batch_size, seed, momentum, weight_decay, probe
):
    # A huge int where a count is asked must be refused, not trained on for ever.
    if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs > 2:
        return
    model = rl.make_mlp([2, 3, 2], seed=0)
    works_or_names(
        lambda: rl.train(
            model,
            tiny,
            optimizer=optimizer,
            lr=lr,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            momentum=momentum,
            weight_decay=weight_decay,
            probe=probe,
        ),
        ["optimizer", "lr", "epochs", "batch_size", "seed", "momentum", "weight_decay", "probe"],
    )
