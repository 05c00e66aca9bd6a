"""CycleGAN's history pool (Zhu et al. 2017, Section 4): capacity 50, swap probability 0.5."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.layers import HistoryPool

SHAPE = (2, 2, 1)


def numbered(start, count):
    """Images whose every pixel is their number: which image came back is readable."""
    values = np.arange(start, start + count, dtype=np.float32)
    return tf.constant(np.broadcast_to(values[:, None, None, None], (count, *SHAPE)).copy())


def ids(images):
    return np.asarray(images)[:, 0, 0, 0].astype(int).tolist()


def test_fills_to_capacity_returning_its_inputs_then_swaps_half_the_time():
    pool = HistoryPool(capacity=50, swap_probability=0.5)
    for start in range(0, 50, 10):  # 5 batches of 10 fill it exactly
        np.testing.assert_array_equal(ids(pool(numbered(start, 10), seed=[0, start])),
                                      list(range(start, start + 10)))
    assert int(pool.count) == 50
    assert sorted(ids(pool.images)) == list(range(50))

    returned_old, seen_new = 0, set()
    stored = set(range(50))
    for step in range(40):  # 40 x 10 queries once full
        new = numbered(1000 + 10 * step, 10)
        out = ids(pool(new, seed=[1, step]))
        for value, image_id in zip(out, ids(new)):
            if value == image_id:
                seen_new.add(image_id)
            else:  # an image the pool held, now replaced by the new one
                assert value in stored
                stored.remove(value)
                stored.add(image_id)
                returned_old += 1
        assert sorted(ids(pool.images)) == sorted(stored)
    assert int(pool.count) == 50
    rate = returned_old / 400
    assert abs(rate - 0.5) < 4 * np.sqrt(0.25 / 400), rate  # within 4 sigma of 0.5


def test_a_full_pool_with_probability_one_always_swaps_and_zero_never():
    always = HistoryPool(capacity=3, swap_probability=1.0)
    always(numbered(0, 3), seed=[0, 0])
    new = numbered(10, 3)
    out = ids(always(new, seed=[0, 1]))
    assert all(value != image_id for value, image_id in zip(out, ids(new)))
    assert sorted(ids(always.images) + out) == [0, 1, 2, 10, 11, 12]
    never = HistoryPool(capacity=3, swap_probability=0.0)
    never(numbered(0, 3), seed=[0, 0])
    assert ids(never(numbered(10, 3), seed=[0, 1])) == [10, 11, 12]
    assert sorted(ids(never.images)) == [0, 1, 2]
    assert ids(HistoryPool(capacity=0)(numbered(5, 2), seed=[0, 0])) == [5, 6]


def test_works_in_a_compiled_function_same_seed_same_choices():
    def run(jit):
        pool = HistoryPool(capacity=4)
        step = tf.function(lambda images, seed: pool(images, seed), jit_compile=jit)
        return [ids(step(numbered(10 * k, 3), tf.constant([5, k]))) for k in range(5)], pool

    eager_runs, eager_pool = run(False)
    xla_runs, xla_pool = run(True)
    assert eager_runs == xla_runs
    np.testing.assert_array_equal(eager_pool.images, xla_pool.images)
    assert eager_runs[0] == [0, 1, 2]  # filling


def test_state_is_saved_as_weights(tmp_path):
    pool = HistoryPool(capacity=4)
    pool(numbered(0, 3), seed=[0, 0])
    model = keras.Sequential([keras.Input(SHAPE), keras.layers.Identity()])
    model.pool = pool
    path = str(tmp_path / "pool.weights.h5")
    model.save_weights(path)
    copy = keras.Sequential([keras.Input(SHAPE), keras.layers.Identity()])
    copy.pool = HistoryPool(capacity=4)
    copy.pool.build((None, *SHAPE))
    copy.load_weights(path)
    assert int(copy.pool.count) == 3
    np.testing.assert_array_equal(copy.pool.images, pool.images)
    restored = HistoryPool.from_config(pool.get_config())
    assert (restored.capacity, restored.swap_probability) == (4, 0.5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="`capacity` should be a non-negative integer"):
        HistoryPool(capacity=-1)
    with pytest.raises(ValueError, match=r"`swap_probability` should be in \[0, 1\]"):
        HistoryPool(swap_probability=1.5)
