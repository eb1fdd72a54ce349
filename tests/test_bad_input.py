"""Bad input gets a TypeError (wrong type) or a ValueError (wrong value) naming the argument and
what was given, before anything runs: never an error from deep inside torch, never a silently
wrong model (issue 11). Valid input the notebooks use keeps working exactly as before."""

import warnings

import numpy as np
import pytest
import torch
from torch import nn

import relu_lib as rl


@pytest.fixture(scope="module")
def data():
    return rl.spirals(n_per_class=10, seed=0)  # 2 features, 3 classes


def mlp(sizes=(2, 4, 3), **kwargs):
    return rl.make_mlp(list(sizes), seed=0, **kwargs)


# --- train ------------------------------------------------------------------------------------

BAD_TRAIN = [
    ({"model": mlp((2, 4, 2))}, ValueError, r"model has 2 outputs but data has 3 classes"),
    ({"model": None}, TypeError, r"model must be a torch\.nn\.Module; got None"),
    ({"model": "mlp"}, TypeError, r"model must be a torch\.nn\.Module; got 'mlp'"),
    ({"model": nn.Sequential()}, ValueError, r"model has no parameters"),
    ({"model": mlp().double()}, TypeError, r"data\.x_train is torch\.float32 but the model's"),
    ({"model": mlp((3, 4, 3))}, ValueError, r"they have 2 features; its first layer takes 3"),
    ({"seed": 1.5}, TypeError, r"seed must be an int in \[0, 2\*\*32 - 1\]; got 1\.5"),
    ({"seed": None}, TypeError, r"seed must be an int .*; got None"),
    ({"seed": True}, TypeError, r"seed must be an int .*; got True"),
    ({"seed": -1}, ValueError, r"seed must be an int in \[0, 2\*\*32 - 1\]; got seed=-1"),
    ({"seed": 2**32}, ValueError, r"seed must be an int .*; got seed=4294967296"),
    ({"lr": "0.1"}, TypeError, r"lr must be a real number; got '0\.1' \(str\)"),
    ({"lr": float("inf")}, ValueError, r"lr must be finite; got lr=inf"),
    ({"lr": float("nan")}, ValueError, r"lr must be finite; got lr=nan"),
    ({"lr": -0.1}, ValueError, r"lr must be positive; got lr=-0\.1"),
    ({"momentum": float("nan")}, ValueError, r"momentum must be finite; got momentum=nan"),
    ({"momentum": float("inf")}, ValueError, r"momentum must be finite"),
    ({"momentum": -0.5}, ValueError, r"momentum must be >= 0"),
    ({"weight_decay": float("inf")}, ValueError, r"weight_decay must be finite"),
    ({"weight_decay": float("-inf")}, ValueError, r"weight_decay must be finite"),
    ({"weight_decay": "0"}, TypeError, r"weight_decay must be a real number"),
    ({"probe": "no"}, TypeError, r"probe must be True or False; got 'no'"),
    ({"probe": 1}, TypeError, r"probe must be True or False"),
    ({"optimizer": ["sgd"]}, TypeError, r"optimizer must be one of"),
    ({"epochs": 2.0}, TypeError, r"epochs must be a non-negative int; got 2\.0"),
    ({"epochs": -1}, ValueError, r"epochs must be a non-negative int"),
    ({"batch_size": 1000}, ValueError, r"batch_size must be an int between 1 and 22"),
]


@pytest.mark.parametrize(
    "kwargs, error, match",
    BAD_TRAIN,
    ids=[f"{k}={v!r:.20}" for k, v in (next(iter(c[0].items())) for c in BAD_TRAIN)],
)
def test_train_refuses_bad_input_before_training(data, kwargs, error, match):
    arguments = {"model": mlp(), "data": data, "epochs": 1, **kwargs}
    model = arguments["model"]
    before = [p.clone() for p in model.parameters()] if isinstance(model, nn.Module) else []
    with pytest.raises(error, match=match):
        rl.train(**arguments)
    if isinstance(model, nn.Module):  # refused before any step: the model is untouched
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_train_refuses_a_dataset_of_another_dtype(data):
    as_float64 = rl.Dataset(data.x_train.double(), data.y_train, data.x_test.double(), data.y_test)
    with pytest.raises(TypeError, match=r"data\.x_train is torch\.float64 but the model's"):
        rl.train(mlp(), as_float64)
    int32_labels = rl.Dataset(data.x_train, data.y_train.int(), data.x_test, data.y_test)
    with pytest.raises(TypeError, match=r"data\.y_train must hold int64 class labels"):
        rl.train(mlp(), int32_labels)


def dataset_with(data, **fields):
    kept = {f: getattr(data, f) for f in ("x_train", "y_train", "x_test", "y_test")}
    return rl.Dataset(**(kept | fields))


BAD_DATASETS = {
    "1-D inputs": (
        {"x_train": torch.zeros(22)},
        ValueError,
        r"x_train must be 2-D \(rows, features\); got shape \(22,\)",
    ),
    "2-D labels": (
        {"y_train": torch.zeros(22, 2, dtype=torch.long)},
        ValueError,
        r"y_train must hold one class label per row of x_train \(22\); got shape \(22, 2\)",
    ),
    "rows and labels differ": (
        {"y_test": torch.zeros(3, dtype=torch.long)},
        ValueError,
        r"y_test must hold one class label per row of x_test",
    ),
    "test features differ": (
        {"x_test": torch.zeros(8, 3)},
        ValueError,
        r"x_test must have x_train's 2 features; got 3",
    ),
    "negative labels": (
        {"y_train": -torch.ones(22, dtype=torch.long)},
        ValueError,
        r"y_train must hold class labels 0, 1, 2, \.\.\.; got -1",
    ),
    "float labels": (
        {"y_train": torch.zeros(22)},
        TypeError,
        r"y_train must hold whole-number class labels; got torch\.float32 \(convert them with",
    ),
    "empty test set": (
        {"x_test": torch.zeros(0, 2), "y_test": torch.zeros(0, dtype=torch.long)},
        ValueError,
        r"x_test has no rows",
    ),
    "NaN inputs": (
        {"x_train": torch.full((22, 2), float("nan"))},
        ValueError,
        r"x_train must hold finite floating-point numbers \(no NaN or inf\)",
    ),
    "integer inputs": (
        {"x_test": torch.zeros(8, 2, dtype=torch.long)},
        ValueError,
        r"x_test must hold finite floating-point",
    ),
    "not a tensor": (
        {"y_test": [0, 1]},
        TypeError,
        r"y_test must be a torch\.Tensor; got \[0, 1\] \(list\)",
    ),
}


@pytest.mark.parametrize("fields, error, match", BAD_DATASETS.values(), ids=BAD_DATASETS)
def test_a_dataset_no_model_can_train_on_is_refused_naming_the_field(data, fields, error, match):
    assert data.x_train.shape == (22, 2) and len(data.x_test) == 8  # what the messages say
    with pytest.raises(error, match=match):
        dataset_with(data, **fields)


@pytest.mark.parametrize("kwargs", [{"lr": float("inf")}, {"lr": [0.1, float("nan")]}])
def test_train_steps_refuses_non_finite_rates(data, kwargs):
    model = rl.StackedMLP([mlp(), mlp()])
    with pytest.raises(ValueError, match="lr must be a positive number"):
        rl.train_steps(model, data, steps=2, batch_size=8, **kwargs)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"lr": "0.1"}, TypeError, r"lr must be .*; got '0\.1'"),
        ({"lr": True}, TypeError, r"lr must be"),
        ({"seed": None}, TypeError, r"seed must be an int"),
        ({"momentum": float("nan")}, ValueError, r"momentum must be finite"),
        ({"model": None}, TypeError, r"model must be a torch\.nn\.Module"),
        ({"model": mlp((2, 4, 2))}, ValueError, r"model has 2 outputs"),
    ],
)
def test_train_steps_refuses_bad_input(data, kwargs, error, match):
    arguments = {"model": mlp(), "data": data, "lr": 0.1, "steps": 2, "batch_size": 8, **kwargs}
    with pytest.raises(error, match=match):
        rl.train_steps(**arguments)


@pytest.mark.parametrize(
    "model",
    [
        mlp(activation="identity"),
        mlp((2, 3)),
        rl.StackedMLP([mlp((2, 3)), mlp((2, 3))]),
        rl.StackedMLP([mlp(activation="identity")] * 3),
    ],
    ids=["identity", "no hidden layer", "stack without hidden layer", "stack of identity"],
)
def test_probing_a_model_without_activation_layers_records_empty_arrays(data, model):
    history = rl.train(model, data, epochs=2)  # probe=True, the default
    models = (model.n_models,) if isinstance(model, rl.StackedMLP) else ()
    assert history.loss.shape == (3, *models)
    assert history.dead.shape == history.sparsity.shape == (3, *models, 0)


def test_numpy_integers_are_ints_for_train(data):
    arguments = {"lr": 0.1, "epochs": 2, "batch_size": 8}
    plain = rl.train(mlp(), data, seed=3, **arguments)
    numpy = rl.train(
        mlp(),
        data,
        seed=np.int64(3),
        **{**arguments, "epochs": np.int32(2), "batch_size": np.uint8(8)},
    )
    np.testing.assert_array_equal(plain.loss, numpy.loss)


def test_train_leaves_the_global_random_state_alone_while_checking(data):
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    rl.train(mlp(), data, epochs=1)
    assert torch.equal(torch.rand(3), expected)


# --- make_mlp ---------------------------------------------------------------------------------

BAD_MLP = [
    ({"sizes": 4}, TypeError, r"sizes must be a sequence of at least two positive ints.*got 4"),
    ({"sizes": "64,10"}, TypeError, r"sizes must be a sequence"),
    ({"sizes": [4, 8.0, 2]}, TypeError, r"sizes\[1\] must be a positive int.*got 8\.0"),
    ({"sizes": [4, True, 2]}, TypeError, r"sizes\[1\] must be a positive int"),
    ({"sizes": [4, -8, 2]}, ValueError, r"sizes\[1\] must be a positive int.*-8"),
    ({"activation": ["relu"]}, TypeError, r"activation must be a name.*got \['relu'\] \(list\)"),
    ({"activation": None}, TypeError, r"activation must be a name"),
    ({"seed": 2**70}, ValueError, r"seed must be an int in \[0, 2\*\*32 - 1\]"),
    ({"seed": -1}, ValueError, r"seed must be an int in \[0, 2\*\*32 - 1\]; got seed=-1"),
    ({"seed": "0"}, TypeError, r"seed must be an int"),
    ({"seed": np.float64(1.0)}, TypeError, r"seed must be an int"),
    ({"init": float("inf")}, ValueError, r"init must be .* a finite positive number; got inf"),
    ({"init": float("nan")}, ValueError, r"init must be .* a finite positive number; got nan"),
    ({"init": 1e308}, ValueError, r"init=1e\+308 draws weights .* overflow to inf"),
    ({"init": 10**400}, ValueError, r"init must be .* a finite positive number"),
    ({"init": None}, TypeError, r"init must be one of"),
    ({"bias": "no"}, TypeError, r"bias must be True or False; got 'no' \(str\)"),
    ({"bias": 0}, TypeError, r"bias must be True or False"),
    ({"bias": None}, TypeError, r"bias must be True or False"),
]


@pytest.mark.parametrize(
    "kwargs, error, match",
    BAD_MLP,
    ids=[f"{k}={v!r:.20}" for k, v in (next(iter(c[0].items())) for c in BAD_MLP)],
)
def test_make_mlp_refuses_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.make_mlp(**{"sizes": [4, 8, 2], **kwargs})


def test_numpy_integers_are_ints_for_make_mlp():
    expected = rl.make_mlp([4, 8, 2], seed=3)
    for sizes, seed in [
        (np.array([4, 8, 2]), np.int64(3)),
        ([np.int32(4), np.int16(8), np.uint8(2)], np.uint32(3)),
        ((4, 8, 2), np.int8(3)),
    ]:
        model = rl.make_mlp(sizes, seed=seed)
        for a, b in zip(expected.parameters(), model.parameters(), strict=True):
            assert torch.equal(a, b)


def test_the_largest_gain_that_fits_builds_finite_weights_and_the_seed_range_ends_are_valid():
    assert all(torch.isfinite(p).all() for p in rl.make_mlp([4, 8, 2], init=1e60).parameters())
    for seed in (0, 2**32 - 1):
        rl.make_mlp([4, 8, 2], seed=seed)
        rl.setup_notebook(seed=seed)
    rl.setup_notebook(seed=0)


def test_bias_false_as_a_numpy_bool_builds_no_bias():
    model = rl.make_mlp([4, 8, 2], bias=np.bool_(False))
    assert all(lin.bias is None for lin in rl.linear_layers(model))


# --- probes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "probe",
    [
        rl.dead_unit_fraction,
        rl.sparsity,
        rl.activations,
        rl.layer_grad_norms,
        rl.activation_grad_norms,
    ],
)
@pytest.mark.parametrize("model", [None, "mlp", np.zeros(3)])
def test_probes_refuse_a_model_that_is_not_a_module(probe, model):
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module; got"):
        probe(model, torch.zeros(2, 4))


# --- the NumPy functions ----------------------------------------------------------------------

ONE_ARGUMENT = [rl.relu, rl.relu_grad, rl.sigmoid, rl.sigmoid_grad, rl.tanh, rl.tanh_grad]
WITH_SLOPE = [
    lambda x: rl.leaky_relu(x, 0.1),
    lambda x: rl.leaky_relu_grad(x, 0.1),
    lambda x: rl.prelu(x, [0.25]),
    lambda x: rl.prelu_grad(x, [0.25]),
    lambda x: rl.rrelu(x),
    lambda x: rl.rrelu(x, training=True, rng=0),
]
EVERY_FUNCTION = ONE_ARGUMENT + WITH_SLOPE


@pytest.mark.parametrize("f", EVERY_FUNCTION)
def test_a_tensor_that_requires_grad_is_read_as_its_values(f):
    values = np.array([-2.0, -0.0, 0.0, 0.5, np.nan], dtype=np.float32)
    tensor = torch.tensor(values, requires_grad=True)
    out = f(tensor)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, f(values))
    assert tensor.grad is None and tensor.requires_grad  # the tensor itself is untouched


def test_a_tensor_of_a_dtype_numpy_lacks_is_refused_with_what_to_do():
    with pytest.raises(
        TypeError, match=r"dtype torch\.bfloat16, which NumPy has no dtype for.*x\.float\(\)"
    ):
        rl.relu(torch.zeros(3, dtype=torch.bfloat16))


SPURIOUS = [
    (lambda: rl.leaky_relu(np.array([60000.0, -1.0], dtype=np.float16), 2.0), [60000.0, -2.0]),
    (lambda: rl.leaky_relu(np.array([np.inf, -1.0]), 0.0), [np.inf, 0.0]),
    (lambda: rl.leaky_relu(np.array([np.inf, -2.0], dtype=np.float32), 0.0), [np.inf, 0.0]),
    (lambda: rl.prelu(np.array([[60000.0, -1.0]], dtype=np.float16), [2.0, 0.5]), [[6e4, -0.5]]),
    (lambda: rl.prelu(np.array([np.inf, -1.0]), [0.0]), [np.inf, 0.0]),
    (lambda: rl.rrelu(np.array([np.inf, -1.0]), lower=0.0, upper=0.0), [np.inf, 0.0]),
    (lambda: rl.rrelu(np.array([np.inf, -1.0]), 0.0, 0.0, training=True, rng=0), [np.inf, 0.0]),
]


@pytest.mark.parametrize("call, expected", SPURIOUS)
def test_no_spurious_warnings_from_the_branch_that_is_thrown_away(call, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call()
    np.testing.assert_array_equal(out, expected)


def test_a_real_overflow_still_overflows_as_in_torch():
    x = np.array([-60000.0], dtype=np.float16)
    with pytest.warns(RuntimeWarning, match="overflow"):
        out = rl.leaky_relu(x, 2.0)
    assert out.tolist() == torch.nn.functional.leaky_relu(torch.tensor(x), 2.0).tolist()


@pytest.mark.parametrize(
    "call",
    [
        lambda: rl.leaky_relu(np.array([-1.0], dtype=np.float32), alpha=1e300),
        lambda: rl.leaky_relu_grad(np.array([-1.0], dtype=np.float32), alpha=1e300),
        lambda: rl.leaky_relu(np.array([-1.0], dtype=np.float16), alpha=1e5),
        lambda: rl.prelu(np.array([[-1.0]], dtype=np.float32), [1e300]),
        lambda: rl.prelu_grad(np.array([[-1.0]], dtype=np.float32), [1e300]),
    ],
)
def test_a_slope_beyond_the_dtypes_range_is_a_value_error_not_an_inf(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"alpha=.* is beyond the range of the input's dtype"):
            call()


def test_a_slope_that_fits_float64_still_works_there():
    assert rl.leaky_relu(np.array([-1.0]), alpha=1e300).tolist() == [-1e300]


@pytest.mark.parametrize("f", EVERY_FUNCTION)
@pytest.mark.parametrize("x", [-1.5, 2, np.float32(0.5), np.array(-3.0), torch.tensor(1.0)])
def test_scalars_and_0d_input_give_0d_arrays(f, x):
    out = f(x)
    assert type(out) is np.ndarray and out.shape == ()


def test_a_gain_so_small_that_every_weight_underflows_is_refused():
    with pytest.raises(ValueError, match=r"init=1e-300 .* below torch\.float32's smallest number"):
        rl.make_mlp([4, 8, 2], init=1e-300)
    tiny = rl.make_mlp([4, 8, 2], init=1e-80, seed=0)  # subnormal weights: small, not zero
    assert all(layer.weight.any() for layer in rl.linear_layers(tiny))


@pytest.mark.parametrize("f", [rl.relu, rl.leaky_relu, rl.relu_grad, rl.sigmoid])
def test_a_masked_array_is_refused_rather_than_unmasked(f):
    masked = np.ma.masked_array([-1.0, 2.0], mask=[True, False])
    with pytest.raises(TypeError, match=r"x is a masked array, whose mask the result would lose"):
        f(masked)


def test_a_slope_beyond_float64_as_a_python_int_is_named():
    assert rl.leaky_relu(np.array([-1.0]), alpha=2**70)[0] == -(2.0**70)  # a float64 number
    with pytest.raises(ValueError, match=r"alpha must be finite; got alpha=1000"):
        rl.leaky_relu(np.array([-1.0]), alpha=10**400)
