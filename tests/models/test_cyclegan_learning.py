"""Learning check: CycleGAN translates outlines <-> filled shapes without pairs (slow).

* the cycle reconstruction error ``|F(G(a)) - a| + |G(F(b)) - b|`` on held-out images falls at
  least 3x from the untrained nets' (same seed, same builder);
* a small CNN trained here to tell the domains apart (real outlines vs real filled shapes,
  held-out accuracy printed) labels at least 80% of G(a) as B and of F(b) as A.
"""

import time

import keras
import numpy as np
import pytest

from configs import cyclegan_shapes
from tfgan_kit.data.translation_shapes import unpaired_shapes
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

HELD_OUT_SEED, CLASSIFIER_SEED = 12345, 777


def domain_classifier(image_size: int) -> keras.Model:
    """P(domain B | image): two strided convolutions, global pooling, a logistic output, trained
    on 2,000 + 2,000 real images of each domain from their own seed."""
    keras.utils.set_random_seed(CLASSIFIER_SEED)
    a, b = unpaired_shapes(2000, image_size, seed=CLASSIFIER_SEED)
    images = np.concatenate([a, b])
    labels = np.concatenate([np.zeros(len(a)), np.ones(len(b))]).astype(np.float32)
    net = keras.Sequential([
        keras.Input((image_size, image_size, 3)),
        keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
        keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    net.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy", metrics=["accuracy"])
    net.fit(images, labels, batch_size=64, epochs=3, shuffle=True, verbose=0)
    return net


def is_b(classifier, images) -> np.ndarray:
    return classifier.predict(images, verbose=0)[:, 0] > 0.5


def cycle_error(model, a, b) -> float:
    forward = model.g_ba(model.g_ab(a, training=False), training=False)
    backward = model.g_ab(model.g_ba(b, training=False), training=False)
    return float(np.mean(np.abs(forward - a)) + np.mean(np.abs(backward - b)))


@pytest.mark.slow
def test_cyclegan_cycles_back_and_translates_into_the_other_domain(tmp_path):
    config = cyclegan_shapes.get_config()  # the config's defaults
    config.train.verbose = "0"
    a, b = unpaired_shapes(300, config.data.image_size, seed=HELD_OUT_SEED)
    keras.utils.set_random_seed(config.seed)  # as train_and_evaluate: the same initial nets
    initial = get_scheme("cyclegan")(config, get_dataset(config.data.name)(config, 8))
    initial_error = cycle_error(initial, a, b)

    started = time.perf_counter()
    model = train_and_evaluate(config, str(tmp_path))
    seconds = time.perf_counter() - started
    final_error = cycle_error(model, a, b)

    classifier = domain_classifier(config.data.image_size)
    test_a, test_b = unpaired_shapes(300, config.data.image_size, seed=HELD_OUT_SEED + 1)
    real_accuracy = (np.mean(~is_b(classifier, test_a)) + np.mean(is_b(classifier, test_b))) / 2
    as_b = float(np.mean(is_b(classifier, model.g_ab(a, training=False).numpy())))
    as_a = float(np.mean(~is_b(classifier, model.g_ba(b, training=False).numpy())))
    print(f"\nCycleGAN shapes: {int(model.step_count)} steps in {seconds:.0f} s; held-out cycle "
          f"error {initial_error:.4f} -> {final_error:.4f} ({initial_error / final_error:.1f}x); "
          f"domain classifier (real held-out accuracy {real_accuracy:.3f}): G(a) as B "
          f"{as_b:.3f}, F(b) as A {as_a:.3f}")
    assert final_error * 3 <= initial_error
    assert real_accuracy >= 0.95
    assert as_b >= 0.8 and as_a >= 0.8
