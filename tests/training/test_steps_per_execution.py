"""config.train.steps_per_execution = k runs k train steps per call of Keras' train function
(benchmarks/steps_per_execution.py measures the speed); the training itself must not change:
every seeded draw is keyed on the scheme's step_count, so k = 1 and k = 5 take the same steps."""

import numpy as np

from configs import gan_ring
from tfgan_kit.training import train_and_evaluate


def tiny_ring(steps_per_execution):
    config = gan_ring.get_config()
    config.train.update(epochs=2, steps_per_epoch=10, batch_size=32, num_samples=50,
                        jit_compile=False, verbose="0", steps_per_execution=steps_per_execution)
    config.model.g_hidden = config.model.d_hidden = (8,)
    return config


def test_k_steps_per_execution_train_the_same_weights(tmp_path):
    one = train_and_evaluate(tiny_ring(1), str(tmp_path / "one"))
    five = train_and_evaluate(tiny_ring(5), str(tmp_path / "five"))
    assert int(one.step_count) == int(five.step_count) == 20
    for a, b in zip(one.weights, five.weights):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-6, atol=1e-7,
                                   err_msg=a.path)
    # The second epoch moved the weights: the comparison is not of two untouched nets.
    config = tiny_ring(1)
    config.train.epochs = 1
    half = train_and_evaluate(config, str(tmp_path / "half"))
    assert not np.allclose(np.asarray(half.generator.weights[0]),
                           np.asarray(one.generator.weights[0]))
