"""config.train.steps_per_execution = k runs k train steps per call of Keras' train function
(benchmarks/steps_per_execution.py measures the speed); the training itself must not change:
every seeded draw is keyed on the scheme's step_count, so k = 1 and k = 5 take the same steps."""

import ml_collections
import numpy as np
import pytest

from configs import gan_ring
from tfgan_kit.training import train_and_evaluate
from tfgan_kit.training.trainer import steps_per_call


def tiny_ring(steps_per_execution, jit_compile=False):
    config = gan_ring.get_config()
    config.train.update(epochs=2, steps_per_epoch=10, batch_size=32, num_samples=50,
                        jit_compile=jit_compile, verbose="0",
                        steps_per_execution=steps_per_execution)
    config.model.g_hidden = config.model.d_hidden = (8,)
    return config


@pytest.mark.parametrize("jit_compile", [False, True])
def test_k_steps_per_execution_train_the_same_weights(jit_compile, tmp_path):
    """With XLA too (the ring configs' setting): the k steps run in one compiled loop."""
    one = train_and_evaluate(tiny_ring(1, jit_compile), str(tmp_path / "one"))
    five = train_and_evaluate(tiny_ring(5, jit_compile), str(tmp_path / "five"))
    assert int(one.step_count) == int(five.step_count) == 20
    for a, b in zip(one.weights, five.weights):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-6, atol=1e-7,
                                   err_msg=a.path)
    # The second epoch moved the weights: the comparison is not of two untouched nets.
    config = tiny_ring(1, jit_compile)
    config.train.epochs = 1
    half = train_and_evaluate(config, str(tmp_path / "half"))
    assert not np.allclose(np.asarray(half.generator.weights[0]),
                           np.asarray(one.generator.weights[0]))


@pytest.mark.parametrize("k, steps, expected", [
    (1, 28, 1), (10, 100, 10), (10, 50, 10), (10, 28, 7), (10, 5, 5), (4, 10, 2), (3, 7, 1),
    (64, 28, 28)])
def test_steps_per_call_is_the_largest_divisor_of_the_epoch_up_to_k(k, steps, expected):
    assert steps_per_call(ml_collections.ConfigDict({"train": {"steps_per_execution": k}}),
                          steps) == expected


def test_a_k_that_does_not_divide_the_epoch_runs_exact_epochs(tmp_path):
    """Keras runs whole calls of k steps: with 10 steps per epoch, k = 4 would end the first
    epoch after 12 steps. The trainer runs 2 steps per call instead (the largest divisor of 10
    up to 4), every epoch ends on its own last step, and the weights are k = 1's."""
    one = train_and_evaluate(tiny_ring(1), str(tmp_path / "one"))
    four = train_and_evaluate(tiny_ring(4), str(tmp_path / "four"))
    assert int(four.steps_per_execution) == 2
    assert int(four.step_count) == 20
    for a, b in zip(one.weights, four.weights):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-6, atol=1e-7,
                                   err_msg=a.path)


@pytest.mark.parametrize("k", [0, -2])
def test_a_bad_k_is_one_error_line(k, tmp_path):
    config = tiny_ring(1)
    config.train.steps_per_execution = k
    with pytest.raises(ValueError, match=r"config.train.steps_per_execution must be a positive "
                                         r"integer"):
        train_and_evaluate(config, str(tmp_path / "run"))
