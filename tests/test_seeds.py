"""One knob for all chance: RELU_LIB_SEED_OFFSET shifts every seed relu_lib draws from, so a
notebook can be run again on fresh draws; unset, nothing changes."""

import numpy as np
import pytest
import torch

import relu_lib as rl


@pytest.fixture
def offset(monkeypatch):
    def set_offset(k):
        monkeypatch.setenv(rl.SEED_OFFSET_VARIABLE, str(k))

    monkeypatch.delenv(rl.SEED_OFFSET_VARIABLE, raising=False)
    return set_offset


def test_unset_or_zero_offset_leaves_every_seed_as_it_is(offset):
    assert [rl.shifted_seed(s) for s in (0, 7, 2**32 - 1)] == [0, 7, 2**32 - 1]
    offset(0)
    assert rl.seed_offset() == 0 and rl.shifted_seed(7) == 7


def test_offset_k_shifts_every_seed_by_1000_k_modulo_2_to_the_32(offset):
    offset(3)
    assert rl.seed_offset() == 3
    assert rl.shifted_seed(7) == 3007
    assert rl.shifted_seed(2**32 - 1) == 2999


@pytest.mark.parametrize("text", ["-1", "1.5", "one", "1e3"])
def test_an_offset_that_is_not_a_whole_number_is_refused_by_name(offset, text):
    offset(text)
    with pytest.raises(ValueError, match="RELU_LIB_SEED_OFFSET must be a whole number"):
        rl.rng(0)


def test_shifted_seeds_keep_the_seed_rule(offset):
    offset(1)
    with pytest.raises(ValueError, match="seed must be an int in"):
        rl.shifted_seed(-1)
    with pytest.raises(TypeError, match="seed must be an int in"):
        rl.generator(True)


def draws():
    """One draw through each way relu_lib seeds: the notebook's generators and relu_lib's own."""
    data = rl.digits(seed=0, n_train=50)
    model = rl.make_mlp([64, 8, 10], seed=0)
    history = rl.train(rl.make_mlp([64, 8, 10], seed=0), data, epochs=2, batch_size=10, seed=0)
    rl.manual_seed(0)
    global_draw = torch.rand(1).item()
    return {
        "rng": rl.rng(0).random(),
        "generator": torch.rand(1, generator=rl.generator(0)).item(),
        "manual_seed": global_draw,
        "digits split": data.x_train[0].sum().item(),
        "spirals": rl.spirals(seed=0).x_train[0, 0].item(),
        "make_mlp": model[0].weight[0, 0].item(),
        "train's shuffle": history.loss[-1],
        "rrelu": rl.rrelu(np.full(3, -1.0), training=True, rng=0)[0],
    }


def test_the_offset_reaches_every_seeded_draw(offset):
    offset(0)
    baseline = draws()
    offset(1)
    shifted = draws()
    assert [name for name in baseline if shifted[name] == baseline[name]] == []


def test_offset_1_draws_what_seed_plus_1000_draws_unshifted(offset):
    offset(1)
    weights, numbers = rl.make_mlp([64, 8], seed=5)[0].weight, rl.rng(5).random(4)
    offset(0)
    assert weights.equal(rl.make_mlp([64, 8], seed=1005)[0].weight)
    assert np.array_equal(numbers, np.random.default_rng(1005).random(4))


def test_setup_notebook_seeds_the_global_generators_with_the_shifted_seed(offset):
    offset(2)
    rl.setup_notebook(seed=1)
    shifted = (np.random.random(), torch.rand(1).item())
    offset(0)
    rl.setup_notebook(seed=2001)
    assert (np.random.random(), torch.rand(1).item()) == shifted
