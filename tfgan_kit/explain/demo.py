"""Embedded demo: explain the units of a small CNN trained on the procedural shapes dataset.

The CNN learns which (shape, colour) pairs an image contains (multi-label), so its units tend to
respond to conjunctions such as ``(circle AND red)``, which compositional explanations
(Mu & Andreas, NeurIPS 2020) can name and single concepts (Network Dissection) cannot.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import keras  # noqa: E402
import numpy as np  # noqa: E402

from tfgan_kit.explain.concepts import ConceptSet  # noqa: E402
from tfgan_kit.explain.dissect import Dissection, dissect  # noqa: E402
from tfgan_kit.explain.report import write_report  # noqa: E402
from tfgan_kit.explain.shapes import shapes_dataset  # noqa: E402


def shapes_classifier(image_size: int = 32, num_labels: int = 12, width: int = 32) -> keras.Model:
    """A small convolutional multi-label classifier; convolutions are named ``conv1``..``conv4``.

    Args:
        image_size: input side. Defaults to `32`.
        num_labels: sigmoid outputs. Defaults to `12` ((kind, colour) pairs).
        width: filters of ``conv2`` and ``conv3`` (``conv1`` has half, ``conv4`` twice).
            Defaults to `32`.
    """
    inputs = keras.Input((image_size, image_size, 3))
    x = keras.layers.Conv2D(width // 2, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = keras.layers.Conv2D(width, 3, strides=2, padding="same", activation="relu", name="conv2")(x)
    x = keras.layers.Conv2D(width, 3, padding="same", activation="relu", name="conv3")(x)
    x = keras.layers.Conv2D(
        2 * width, 3, strides=2, padding="same", activation="relu", name="conv4"
    )(x)
    x = keras.layers.GlobalMaxPooling2D()(x)
    outputs = keras.layers.Dense(num_labels, name="logits")(x)
    return keras.Model(inputs, outputs, name="shapes_classifier")


def train_shapes_classifier(
    num_images: int = 1500, image_size: int = 32, epochs: int = 6, seed: int = 0,
    verbose: int = 0,
) -> tuple[keras.Model, dict]:
    """Trains :func:`shapes_classifier` on generated shapes; returns it and the fit history.

    ``verbose`` is Keras ``fit``'s (0 silent, 1 progress bar, 2 one line per epoch).
    """
    keras.utils.set_random_seed(seed)
    data = shapes_dataset(num_images, image_size, seed=seed)
    model = shapes_classifier(image_size, data.labels.shape[1])
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    history = model.fit(data.images, data.labels, batch_size=32, epochs=epochs, verbose=verbose)
    return model, history.history


def run_shapes_demo(
    out_dir: str,
    layer: str = "conv4",
    num_train: int = 1500,
    num_probe: int = 400,
    epochs: int = 6,
    seed: int = 0,
    verbose: int = 0,
) -> tuple[Dissection, keras.Model]:
    """Trains the shapes CNN, explains every unit of ``layer`` on held-out shapes, writes a report.

    With ``verbose`` > 0 each phase (training, dissection) says what it does and how long it took.

    Returns:
        The dissection and the trained model.
    """
    say = progress_printer(verbose)
    say(f"training the shapes classifier: {epochs} epochs on {num_train:,} images")
    model, _ = train_shapes_classifier(num_train, epochs=epochs, seed=seed, verbose=verbose)
    probe = shapes_dataset(num_probe, model.inputs[0].shape[1], seed=seed + 1)
    concepts = ConceptSet.from_masks(probe.concept_masks, categories=probe.categories)
    say(f"explaining every unit of layer {layer!r} on {num_probe} held-out images")
    result = dissect(model, layer, probe.images, concepts)
    write_report(result, out_dir, probe.images, concepts)
    say(f"wrote the report to {out_dir}")
    return result, model


def progress_printer(verbose: int):
    """A ``say(text)`` that prints ``text`` after the seconds elapsed since this call
    (``[  12.3 s] ...``) when ``verbose`` > 0, and does nothing otherwise."""
    start = time.perf_counter()

    def say(text: str) -> None:
        if verbose:
            print(f"[{time.perf_counter() - start:6.1f} s] {text}", flush=True)

    return say


def fit_verbosity() -> int:
    """Keras ``fit`` verbosity of the demos: a progress bar on a terminal, else a line per epoch."""
    return 1 if sys.stdout.isatty() else 2


def main() -> None:
    """``python -m tfgan_kit.explain.demo OUT_DIR``: runs :func:`run_shapes_demo`."""
    # Default under the temporary folder: a demo never writes into the current (repository) folder.
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "explain_demo")
    result, _ = run_shapes_demo(out_dir, verbose=fit_verbosity())
    print_explanations(result, out_dir)


def print_explanations(result, out_dir: str) -> None:
    """Prints each unit's formula beside its best single concept, then the report's summary."""
    for unit, e in sorted(result.explanations.items()):
        single = "NONE" if e.best_single is None else e.best_single
        print(f"unit {unit:3d}  {e}  | best single: {single} ({e.best_single_iou:.4f})")
    with open(f"{out_dir}/summary.txt") as f:
        print(f.read().strip())


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
