"""Embedded demo: explain the units of a DCGAN discriminator trained on the procedural shapes.

Trains ``tfgan_kit.models.GAN`` (Goodfellow et al. 2014, non-saturating loss) with the DCGAN nets of
``tfgan_kit.nets`` (Radford et al. 2016) on shapes images, then explains every unit of one
discriminator layer with compositional formulas (Mu & Andreas, NeurIPS 2020) over the shapes'
concept masks, and writes the report.

    python -m tfgan_kit.explain.gan_demo OUT_DIR
"""

from __future__ import annotations

import os
import sys
import tempfile

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgan_kit.explain.concepts import ConceptSet  # noqa: E402
from tfgan_kit.explain.dissect import Dissection, dissect  # noqa: E402
from tfgan_kit.explain.report import write_report  # noqa: E402
from tfgan_kit.explain.shapes import shapes_dataset  # noqa: E402
from tfgan_kit.models import GAN  # noqa: E402
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator  # noqa: E402


def train_shapes_gan(
    num_images: int = 2000,
    image_size: int = 32,
    epochs: int = 3,
    batch_size: int = 64,
    base_filters: int = 32,
    latent_dim: int = 32,
    seed: int = 0,
    verbose: int = 0,
) -> tuple[GAN, dict]:
    """Trains a DCGAN on shapes images (Adam 2e-4, beta1 0.5: the DCGAN paper's settings).

    ``verbose`` is Keras ``fit``'s (0 silent, 1 progress bar, 2 one line per epoch).

    Returns:
        The trained GAN and its fit history.
    """
    keras.utils.set_random_seed(seed)
    images = shapes_dataset(num_images, image_size, seed=seed).images
    data = (
        tf.data.Dataset.from_tensor_slices(images)
        .shuffle(num_images, seed=seed)
        .batch(batch_size, drop_remainder=True)
    )
    model = GAN(
        dcgan_generator(latent_dim, image_size, 3, base_filters=base_filters),
        dcgan_discriminator(image_size, 3, base_filters=base_filters),
        latent_dim=latent_dim,
        seed=seed,
    )
    model.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    history = model.fit(data, epochs=epochs, verbose=verbose, shuffle=False)
    return model, history.history


def run_discriminator_demo(
    out_dir: str,
    layer: str = "down_1_lrelu",
    num_train: int = 2000,
    num_probe: int = 400,
    epochs: int = 3,
    base_filters: int = 32,
    seed: int = 0,
    verbose: int = 0,
) -> tuple[Dissection, GAN]:
    """Trains the shapes DCGAN and explains the discriminator layer ``layer`` on held-out shapes.

    With ``verbose`` > 0 each phase (training, dissection) says what it does and how long it took.

    Returns:
        The dissection (report written to ``out_dir``) and the trained GAN.
    """
    from tfgan_kit.explain.demo import progress_printer

    say = progress_printer(verbose)
    say(f"training the shapes DCGAN: {epochs} epochs on {num_train:,} images")
    gan, _ = train_shapes_gan(num_train, epochs=epochs, base_filters=base_filters, seed=seed,
                              verbose=verbose)
    image_size = gan.discriminator.inputs[0].shape[1]
    probe = shapes_dataset(num_probe, image_size, seed=seed + 1)
    concepts = ConceptSet.from_masks(probe.concept_masks, categories=probe.categories)
    say(f"explaining every unit of discriminator layer {layer!r} on {num_probe} held-out images")
    result = dissect(gan.discriminator, layer, probe.images, concepts)
    write_report(result, out_dir, probe.images, concepts)
    say(f"wrote the report to {out_dir}")
    return result, gan


def main() -> None:
    """Runs :func:`run_discriminator_demo` and prints each unit's explanation."""
    # Default under the temporary folder: a demo never writes into the current (repository) folder.
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "explain_gan_demo")
    from tfgan_kit.explain.demo import fit_verbosity, print_explanations

    result, _ = run_discriminator_demo(out_dir, verbose=fit_verbosity())
    print_explanations(result, out_dir)


if __name__ == "__main__":
    main()
