"""ZAQ on the digits CNN: full precision, quantized untuned, ZAQ (no data), noise fine-tuning.

    nice python benchmarks/zaq_digits.py [--config=configs/zaq_digits.py] [--epochs=N] \
        [--seeds=0,1,2]

Prints, per seed, the held-out accuracy (the 20% of the embedded digits the classifier never
saw) of:

* the full-precision classifier P (:func:`tfgan_kit.models.zaq.train_digits_cnn`);
* Q = P quantized (the config's bits) without fine-tuning: the scheme's Q as built, its
  activation ranges calibrated data-free on Gaussian noise (and, for reference, Q calibrated on
  the real training images instead: data used);
* Q after ZAQ (Liu et al. 2021): the config's epochs of the adversarial game, no real data;
* Q after the same fine-tuning on Gaussian-noise images N(0, 1) instead of G's samples: the
  same Q as built, objective ``D_o + alpha D_f``, optimizer, learning-rate schedule, steps and
  batch size (:class:`NoiseFineTuning`), the naive data-free baseline;

and the share of the full-precision gap that ZAQ recovers over the untuned Q; then the mean and
the minimum over the seeds.

Reference: Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 4
(quantized accuracy with and without ZAQ).
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

from tfgan_kit.data import batch_size  # noqa: E402
from tfgan_kit.models.zaq import ZAQ  # noqa: E402

ROWS = ("full precision", "untuned (ranges from noise)", "untuned (ranges from real images)",
        "noise fine-tuning", "ZAQ (no data)")


class NoiseFineTuning(ZAQ):
    """ZAQ's Q updates on x ~ N(0, I) images instead of G(z); G is not used.

    The naive data-free baseline: the same ``q_steps`` steps per iteration of
    :meth:`ZAQ.quantized_step` (``D_o + alpha D_f``), optimizer and schedule.
    """

    def train_step(self, data):
        shape = tuple(self.teacher.inputs[0].shape[1:])
        batch = batch_size(data)
        for k in range(self.q_steps):
            q_loss, d_o, d_f = self.quantized_step(self.draw(k, batch, shape))
        return self.record(q_loss=q_loss, output_discrepancy=d_o, relation_discrepancy=d_f)


def load_config(path: str):
    spec = importlib.util.spec_from_file_location("zaq_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def accuracy(predict, images, labels) -> float:
    predicted = np.concatenate([np.argmax(np.asarray(predict(images[i:i + 512])), axis=-1)
                                for i in range(0, len(images), 512)])
    return float(np.mean(predicted == labels))


def build(config, noise_inputs: bool = False):
    """A fresh compiled ZAQ model (P loaded from the config's teacher path, Q calibrated on
    noise), or the same nets in a :class:`NoiseFineTuning`; and the placeholder dataset."""
    import keras

    from tfgan_kit.optimizers import compile_scheme
    from tfgan_kit.registry import get_dataset, get_scheme

    keras.utils.set_random_seed(config.seed)
    spec = get_dataset("none")(config, config.train.batch_size)
    model = get_scheme("zaq")(config, spec)
    if noise_inputs:
        baseline = NoiseFineTuning(model.generator, model.teacher, model.quantized,
                                   **{k: v for k, v in model.get_config().items()
                                      if k not in ("generator", "teacher", "quantized",
                                                   "name")})
        baseline.evaluation_data = model.evaluation_data
        model = compile_scheme(baseline, config)
    return model, spec


def fine_tune(model, spec, config) -> float:
    """``fit`` for the config's epochs with the scheme's per-epoch rates and logs (as the trainer
    runs them); returns the seconds."""
    from tfgan_kit.training.callbacks import EpochLogs
    from tfgan_kit.training.schedules import learning_rate_decay

    started = time.perf_counter()
    model.fit(spec.dataset, epochs=config.train.epochs,
              steps_per_epoch=config.train.steps_per_epoch, verbose=0, shuffle=False,
              callbacks=[*learning_rate_decay(config, model), EpochLogs()])
    return time.perf_counter() - started


def run(config) -> dict:
    """Trains and evaluates the classifiers of one seed; returns their accuracies and times."""
    from tfgan_kit.data import digits_train_test
    from tfgan_kit.quantize import calibrate_activation_ranges, quantize_model

    (train_images, _), (test_images, test_labels) = digits_train_test(
        config.model.image_size, config.seed)
    results = {}
    zaq, spec = build(config)
    results["full precision"] = accuracy(lambda x: zaq.teacher(x, training=False)[-1],
                                         test_images, test_labels)
    results["untuned (ranges from noise)"] = accuracy(zaq.classify, test_images, test_labels)
    real = quantize_model(zaq.teacher, config.model.weight_bits, config.model.activation_bits,
                          range_momentum=config.model.range_momentum)
    calibrate_activation_ranges(real, train_images)
    results["untuned (ranges from real images)"] = accuracy(
        lambda x: real(x, training=False)[-1], test_images, test_labels)
    results["ZAQ seconds"] = fine_tune(zaq, spec, config)
    results["ZAQ (no data)"] = accuracy(zaq.classify, test_images, test_labels)
    baseline, spec = build(config, noise_inputs=True)
    results["noise seconds"] = fine_tune(baseline, spec, config)
    results["noise fine-tuning"] = accuracy(baseline.classify, test_images, test_labels)
    gap = results["full precision"] - results["untuned (ranges from noise)"]
    gained = results["ZAQ (no data)"] - results["untuned (ranges from noise)"]
    results["recovered"] = gained / gap if gap > 0 else float("nan")
    return results


def main(argv=None) -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.path.join(root, "configs", "zaq_digits.py"))
    parser.add_argument("--epochs", type=int, default=None, help="default: the config's")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds, e.g. 0,1,2")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = {}
    for seed in [int(s) for s in args.seeds.split(",")]:
        config = load_config(args.config)
        config.seed = seed
        if args.epochs:
            config.train.epochs = args.epochs
        with tempfile.TemporaryDirectory() as folder:
            if not config.model.teacher_path:
                config.model.teacher_path = os.path.join(folder, "teacher.keras")
            table[seed] = run(config)
        r = table[seed]
        print(f"seed {seed}: " + ", ".join(f"{name} {100 * r[name]:.2f}%" for name in ROWS)
              + f"; recovered {100 * r['recovered']:.0f}%; ZAQ {r['ZAQ seconds']:.0f} s, "
              f"noise {r['noise seconds']:.0f} s", flush=True)
    m, t = config.model, config.train
    print(f"\nZAQ digits, W{m.weight_bits}A{m.activation_bits}, {t.epochs} epochs x "
          f"{t.steps_per_epoch} iterations x ({m.q_steps} Q + 1 G) steps, batch {t.batch_size}, "
          f"seeds {sorted(table)}; held-out accuracy (360 digits), mean [min, max]:")
    for name in (*ROWS, "recovered"):
        values = 100 * np.array([r[name] for r in table.values()])
        print(f"  {name:36s} {values.mean():6.2f}% [{values.min():.2f}, {values.max():.2f}]")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
