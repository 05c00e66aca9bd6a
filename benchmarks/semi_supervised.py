"""Semi-supervised digits with 100 labels: SSGAN and CatGAN against the classifier alone.

    python benchmarks/semi_supervised.py                 # seed 0, the configs' defaults
    python benchmarks/semi_supervised.py --seeds=0,1,2 --epochs=50

The embedded digits are split as the configs split them (``tfgan_kit.data.semi_supervised``):
20% held out, 10 labelled images per class of the rest (100 labels), every training image also
unlabelled. Rows, each on the held-out digits:

* ``ssgan``: ``configs/ssgan_digits.py`` (Salimans et al. 2016), accuracy of D's classifier;
* ``catgan (unsupervised)``: ``configs/catgan_digits.py`` without labels (trained on all 1,797
  unlabelled digits), cluster accuracy of ``argmax p(y|x)`` under Hungarian matching;
* ``catgan (100 labels)``: the same config with ``data.labelled_per_class=10``, accuracy;
* ``supervised only``: the same classifier net (``noisy_mlp``), optimizer and number of steps,
  trained by cross-entropy on the 100 labelled digits alone: the baseline of this run.
"""

from __future__ import annotations

import os
import sys

# This checkout's tfgan_kit and configs, before any installed copy.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def train(config):
    """``train.py``'s path on ``config``; returns (model, seconds)."""
    from tfgan_kit.training import train_and_evaluate

    config.train.verbose = "0"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        model = train_and_evaluate(config, workdir)
    return model, time.perf_counter() - started


def held_out_split(config):
    from tfgan_kit.data.semi_supervised import digits_split

    return digits_split(config.data.image_size, 10, config.data.held_out_fraction,
                        seed=config.seed)


def supervised_only(config, steps: int) -> float:
    """Held-out accuracy of the config's classifier trained on the 100 labels alone."""
    import keras

    from tfgan_kit.metrics.classification import (
        classification_accuracy,
        train_supervised_baseline,
    )
    from tfgan_kit.registry import build_net, get_dataset

    split = held_out_split(config)
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    keras.utils.set_random_seed(config.seed)
    classifier = build_net(config.model.nets, "classifier", config.model, spec)
    optimizer = config.train.d_optimizer
    train_supervised_baseline(classifier, split.labelled_images, split.labelled_labels, steps,
                              optimizer.learning_rate, optimizer.beta_1, seed=config.seed)
    logits = classifier(split.held_out_images, training=False)["logits"]
    return classification_accuracy(np.asarray(logits), split.held_out_labels)


def run_seed(seed: int, epochs: int | None) -> dict[str, tuple[float, float]]:
    """Every row for one seed: name -> (held-out accuracy, training seconds)."""
    from configs import catgan_digits, ssgan_digits
    from tfgan_kit.metrics.classification import classification_accuracy, cluster_accuracy

    rows = {}

    def add(name: str, accuracy: float, seconds: float) -> None:
        rows[name] = (accuracy, seconds)
        print(f"seed {seed}: {name}: {accuracy:.3f} ({seconds:.0f} s)", flush=True)

    config = ssgan_digits.get_config()
    config.seed = seed
    if epochs:
        config.train.epochs = epochs
    split = held_out_split(config)
    model, seconds = train(config)
    add("ssgan (100 labels)", classification_accuracy(
        model.classify(split.held_out_images), split.held_out_labels), seconds)
    started = time.perf_counter()
    add("supervised only (100 labels)", supervised_only(config, int(model.step_count)),
        time.perf_counter() - started)
    for labelled in (None, 10):
        config = catgan_digits.get_config()
        config.seed = seed
        config.data.labelled_per_class = labelled
        if epochs:
            config.train.epochs = epochs
        model, seconds = train(config)
        probabilities = np.asarray(model.classify(split.held_out_images))
        if labelled is None:
            add("catgan (unsupervised, cluster accuracy)",
                cluster_accuracy(probabilities.argmax(1), split.held_out_labels), seconds)
        else:
            add("catgan (100 labels)",
                classification_accuracy(probabilities, split.held_out_labels), seconds)
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    parser.add_argument("--epochs", type=int, default=None,
                        help="override the configs' epochs (default: theirs)")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    results: dict[str, list[tuple[float, float]]] = {}
    for seed in seeds:
        for name, value in run_seed(seed, args.epochs).items():
            results.setdefault(name, []).append(value)
    baseline = np.mean([a for a, _ in results["supervised only (100 labels)"]])
    print(f"\nheld-out digits ({len(held_out_split_default())} images), seeds {seeds}")
    print(f"{'model':42s} {'accuracy':>16s} {'vs supervised':>14s} {'train s':>8s}")
    for name, values in results.items():
        accuracies = np.array([a for a, _ in values])
        ratio = "" if "cluster" in name else f"{accuracies.mean() / baseline:.2f}x"
        print(f"{name:42s} {accuracies.mean():8.3f} ± {accuracies.std():.3f} {ratio:>14s} "
              f"{np.mean([s for _, s in values]):8.0f}")


def held_out_split_default():
    from configs import ssgan_digits

    return held_out_split(ssgan_digits.get_config()).held_out_labels


if __name__ == "__main__":
    main()
