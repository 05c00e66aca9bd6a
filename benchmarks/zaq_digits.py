"""ZAQ on the digits CNN: full precision, quantized untuned, ZAQ (no data), noise fine-tuning.

    nice python benchmarks/zaq_digits.py [--config=configs/zaq_digits.py] [--epochs=N]

Prints the held-out accuracy (the 20% of the embedded digits the classifier never saw) of:

* the full-precision classifier P (:func:`tfgan_kit.nets.zaq.train_digits_cnn`);
* Q = P quantized (the config's bits), without fine-tuning, its activation ranges calibrated
  data-free on Gaussian noise (and, for reference, on the real training images: data used);
* Q after ZAQ (Liu et al. 2021): the config's epochs of the adversarial game, no real data;
* Q after the same fine-tuning (same objective D_o + alpha D_f, optimizer, steps and batches)
  on Gaussian-noise images N(0, 1) instead of G's samples: the naive data-free baseline;

and the share of the full-precision gap that ZAQ recovers over the data-free untuned Q.

Reference: Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 4
(quantized accuracy with and without ZAQ; ablation of the generator).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_config(path: str):
    spec = importlib.util.spec_from_file_location("zaq_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def accuracy(predict, images, labels) -> float:
    predicted = np.concatenate([np.argmax(np.asarray(predict(images[i:i + 512])), axis=-1)
                                for i in range(0, len(images), 512)])
    return float(np.mean(predicted == labels))


def build(config):
    """A fresh compiled ZAQ model (P loaded from the config's teacher path) and its test data."""
    import keras

    from tfgan_kit.registry import get_dataset, get_scheme

    keras.utils.set_random_seed(config.seed)
    spec = get_dataset("none")(config, config.train.batch_size)
    model = get_scheme("zaq")(config, spec)
    return model, spec


def noise_fine_tuning(model, config) -> None:
    """The ZAQ Q updates with x ~ N(0, I) images instead of G(z): same steps and batches."""
    import tensorflow as tf

    shape = tuple(model.teacher.inputs[0].shape[1:])
    batch = config.train.batch_size

    @tf.function
    def iteration():
        for k in range(model.q_steps):
            model.quantized_step(model.draw(k, batch, shape))
        model.step_count.assign_add(1)

    for _ in range(config.train.epochs * config.train.steps_per_epoch):
        iteration()


def run(config) -> dict:
    """Trains and evaluates the four classifiers; returns their accuracies and times."""
    from tfgan_kit.nets.zaq import digits_split
    from tfgan_kit.quantize import calibrate_activation_ranges, quantize_model

    (train_images, _), (test_images, test_labels) = digits_split(config.model.image_size,
                                                                 config.seed)
    results = {}
    zaq, spec = build(config)
    results["full precision"] = accuracy(lambda x: zaq.teacher(x, training=False)[-1],
                                         test_images, test_labels)
    noise = np.random.default_rng(config.seed).normal(
        size=(2048, *test_images.shape[1:])).astype(np.float32)
    bits = (config.model.weight_bits, config.model.activation_bits)
    for name, calibration in (("untuned (ranges from noise)", noise),
                              ("untuned (ranges from real images)", train_images)):
        untuned = quantize_model(zaq.teacher, *bits)
        calibrate_activation_ranges(untuned, calibration)
        results[name] = accuracy(lambda x: untuned(x, training=False)[-1], test_images,
                                 test_labels)
    started = time.perf_counter()
    zaq.fit(spec.dataset, epochs=config.train.epochs,
            steps_per_epoch=config.train.steps_per_epoch, verbose=0)
    results["ZAQ (no data)"] = accuracy(zaq.classify, test_images, test_labels)
    results["ZAQ seconds"] = time.perf_counter() - started
    baseline, _ = build(config)
    started = time.perf_counter()
    noise_fine_tuning(baseline, config)
    results["noise fine-tuning"] = accuracy(baseline.classify, test_images, test_labels)
    results["noise seconds"] = time.perf_counter() - started
    gap = results["full precision"] - results["untuned (ranges from noise)"]
    gained = results["ZAQ (no data)"] - results["untuned (ranges from noise)"]
    results["recovered"] = gained / gap if gap > 0 else float("nan")
    return results


def main(argv=None) -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.path.join(root, "configs", "zaq_digits.py"))
    parser.add_argument("--epochs", type=int, default=None, help="default: the config's")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    config = load_config(args.config)
    config.seed = args.seed
    if args.epochs:
        config.train.epochs = args.epochs
    with tempfile.TemporaryDirectory() as folder:
        if not config.model.teacher_path:
            config.model.teacher_path = os.path.join(folder, "teacher.keras")
        started = time.perf_counter()
        results = run(config)
    m, t = config.model, config.train
    print(f"ZAQ digits, W{m.weight_bits}A{m.activation_bits}, {t.epochs} epochs x "
          f"{t.steps_per_epoch} iterations x ({m.q_steps} Q + 1 G) steps, batch {t.batch_size}, "
          f"seed {config.seed}; held-out accuracy (360 digits):")
    for name in ("full precision", "untuned (ranges from noise)",
                 "untuned (ranges from real images)", "noise fine-tuning", "ZAQ (no data)"):
        print(f"  {name:36s} {100 * results[name]:6.2f}%")
    print(f"ZAQ recovers {100 * results['recovered']:.0f}% of the full-precision gap of the "
          f"data-free untuned model; ZAQ {results['ZAQ seconds']:.0f} s, noise fine-tuning "
          f"{results['noise seconds']:.0f} s, total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
