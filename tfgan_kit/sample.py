"""Samples a generator exported by ``train.py --export_dir`` into a PNG grid (or raw arrays).

    python -m tfgan_kit.sample --saved_model DIR --num 64 --seed 0 --out grid.png [--npy out.npy]

z is drawn from N(0, I) with a stateless generator seeded by --seed, so the same seed gives the
same samples.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

_SAVED_MODEL = flags.DEFINE_string("saved_model", None, "SavedModel folder (train.py --export_dir).")
_NUM = flags.DEFINE_integer("num", 64, "Number of samples.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of z.")
_OUT = flags.DEFINE_string("out", None, "PNG grid to write (images) or scatter plot (2-D data).")
_NPY = flags.DEFINE_string("npy", None, "Also write the raw samples as a .npy array.")
flags.mark_flag_as_required("saved_model")


def sample(saved_model: str, num: int, seed: int):
    """Returns ``num`` samples ``G(z)`` of the SavedModel at ``saved_model`` for seed ``seed``."""
    import tensorflow as tf

    from tfgan_kit.export import load_generator

    generate, latent_dim = load_generator(saved_model)
    z = tf.random.stateless_normal([num, latent_dim], seed=[seed, 0])
    return generate(z).numpy()


def main(argv):
    del argv
    if not _OUT.value and not _NPY.value:
        sys.exit("error: pass --out grid.png and/or --npy samples.npy to say where to write.")
    import numpy as np

    from tfgan_kit.training.images import save_image_grid, save_scatter

    try:
        samples = sample(_SAVED_MODEL.value, _NUM.value, _SEED.value)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f"error: {error}")
    if _NPY.value:
        np.save(_NPY.value, samples)
    if _OUT.value:
        if samples.ndim == 2 and samples.shape[1] == 2:
            save_scatter(samples, _OUT.value)
        else:
            save_image_grid(samples, _OUT.value)
    print(f"wrote {samples.shape[0]} samples of shape {samples.shape[1:]}")


if __name__ == "__main__":
    app.run(main)
