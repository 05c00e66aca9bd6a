r"""Evaluates a generator against real data: ``python -m tfgan_kit.evaluate``.

Generated images come from a SavedModel written by `tfgan_kit.export.export_model` (signature
``serving_default``: ``z`` -> ``images``; z ~ N(0, I), seeded) or from a folder of PNGs; real
images from the embedded digits or a prepared tensorflow-datasets set. Features for FID, KID,
IS and precision/recall/density/coverage come from InceptionV3 with local weights
(``--inception_weights``) or, for digits, from a small digits classifier trained on the fly
(``--classifier_path`` caches it). Writes every requested metric to a JSON file.

    python -m tfgan_kit.evaluate --saved_model=DIR --dataset=digits \
        --metrics=fid,kid,is,prdc,swd,ms_ssim --num_samples=2000 --out=metrics.json
    python -m tfgan_kit.evaluate --saved_model=DIR --metrics=swd --out=m.json \
        --interpolation_png=walk.png --interpolation_method=slerp
    python -m tfgan_kit.evaluate --images_dir=samples/ --dataset=cifar10 \
        --inception_weights=inception_v3.weights.h5 --metrics=fid,kid --out=metrics.json

Mistakes (a missing or unreadable input, an unknown metric, an unprepared data set, ...) end in
one ``error: ...`` line naming the flag to fix, checked before the images are generated when
possible.
"""

from __future__ import annotations

import glob
import json
import os
import sys

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import numpy as np  # noqa: E402
from absl import app, flags, logging  # noqa: E402

from tfgan_kit.metrics.suite import (  # noqa: E402
    FEATURE_METRICS, compute_metrics, parse_metric_names)
from tfgan_kit.sample import first_line, parse_flags  # noqa: E402

DIGITS_SIZES = (8, 16, 32)
DIGITS_COUNT = 1797

_SAVED_MODEL = flags.DEFINE_string("saved_model", None, "SavedModel of a generator "
                                   "(tfgan_kit.export.export_model).")
_IMAGES_DIR = flags.DEFINE_string("images_dir", None, "Folder of generated PNG images, instead "
                                  "of --saved_model.")
_DATASET = flags.DEFINE_string("dataset", "digits", "Real data: 'digits' (embedded) or a "
                               "prepared tensorflow-datasets name (mnist, cifar10, ...).")
_SPLIT = flags.DEFINE_string("split", "train", "tfds split of the real data.")
_DATA_DIR = flags.DEFINE_string("data_dir", None, "tfds data dir (default: tfds' own).")
_METRICS = flags.DEFINE_string("metrics", "fid,kid,is,prdc,swd,ms_ssim",
                               "Comma-separated: fid, kid, is, prdc, swd, ms_ssim, parzen.")
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", 2000, "Generated images to evaluate.")
_NUM_REAL = flags.DEFINE_integer("num_real", None, "Real images (default: --num_samples; "
                                 "digits has 1797).")
_BATCH_SIZE = flags.DEFINE_integer("batch_size", 250, "Batch size of generation.")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of z, KID subsets and SWD.")
_INCEPTION_WEIGHTS = flags.DEFINE_string("inception_weights", None, "Local InceptionV3 weights "
                                         "file; features come from InceptionV3 when given.")
_CLASSIFIER_PATH = flags.DEFINE_string("classifier_path", None, "Digits classifier .keras cache "
                                       "(loaded if present, else trained and saved there).")
_OUT = flags.DEFINE_string("out", None, "Output JSON path.")
_INTERPOLATION_PNG = flags.DEFINE_string("interpolation_png", None, "Also write a latent "
                                         "interpolation grid (GAN paper Fig. 3) to this PNG "
                                         "(with --saved_model).")
_INTERPOLATION_METHOD = flags.DEFINE_enum("interpolation_method", "linear", ["linear", "slerp"],
                                          "Interpolation for --interpolation_png.")


def generate_images(saved_model: str, num_samples: int, batch_size: int = 250,
                    seed: int = 0) -> np.ndarray:
    """Runs an exported generator on ``num_samples`` seeded z ~ N(0, I), with a progress bar."""
    import keras

    generator, latent_dim = _load_generator(saved_model)
    z = np.random.default_rng(seed).standard_normal((num_samples, latent_dim)).astype(np.float32)
    progress = keras.utils.Progbar(num_samples, unit_name="image")
    images = []
    for start in range(0, num_samples, batch_size):
        images.append(np.asarray(generator(z[start : start + batch_size]), dtype=np.float32))
        progress.add(len(images[-1]))
    return np.concatenate(images)


def _load_generator(saved_model: str):
    """`tfgan_kit.export.load_generator`, with an unreadable SavedModel as a ValueError."""
    import tensorflow as tf

    from tfgan_kit.export import load_generator

    try:
        return load_generator(saved_model)
    except FileNotFoundError:
        raise
    except (OSError, tf.errors.OpError) as error:
        raise ValueError(f"Cannot read the SavedModel in {saved_model} ({first_line(error)}): "
                         "pass --saved_model=<the --export_dir of a train.py run>.") from None


def read_images_dir(images_dir: str, num_samples: int) -> np.ndarray:
    """Reads up to ``num_samples`` PNGs (sorted by name) as float32 ``[n, H, W, C]`` in [-1, 1].

    Raises:
        FileNotFoundError: if the folder holds no ``.png`` file.
        ValueError: naming a file that is not a readable PNG, or if the files differ in shape.
    """
    from PIL import Image

    paths = sorted(glob.glob(os.path.join(images_dir, "*.png")))[:num_samples]
    if not paths:
        raise FileNotFoundError(f"No .png files in --images_dir={images_dir}.")
    images = []
    for path in paths:
        try:
            with Image.open(path) as image:
                grey = image.mode in ("L", "1", "I;16")
                pixels = np.asarray(image.convert("L" if grey else "RGB"))
        except (OSError, SyntaxError) as error:  # PIL raises SyntaxError for some broken PNGs
            raise ValueError(f"Cannot read {path} in --images_dir ({first_line(error)}): "
                             "replace or remove the file.") from None
        images.append(pixels if pixels.ndim == 3 else pixels[..., None])
    shapes = {image.shape for image in images}
    if len(shapes) != 1:
        raise ValueError(f"The PNGs in {images_dir} differ in size/channels: {sorted(shapes)}; "
                         "resize them to one shape.")
    return np.stack(images).astype(np.float32) / 127.5 - 1.0


def load_real_images(dataset: str, image_size: int, channels: int, num_images: int,
                     split: str = "train", data_dir: str | None = None,
                     seed: int = 0) -> np.ndarray:
    """Real images ``[n, image_size, image_size, channels]`` in [-1, 1] from digits or tfds."""
    if dataset == "digits":
        from tfgan_kit.data import digits_arrays

        if image_size not in DIGITS_SIZES or channels != 1:
            raise ValueError(
                f"Generated images are {image_size}x{image_size}x{channels}, but digits are "
                f"grey and {DIGITS_SIZES} pixels: evaluate a generator trained on digits."
            )
        images = digits_arrays(image_size)
        order = np.random.default_rng(seed).permutation(len(images))
        return images[order[:num_images]]
    from tfgan_kit.data import tfds_images

    try:
        batches = tfds_images(dataset, split=split, image_size=image_size, batch_size=100,
                              data_dir=data_dir, seed=seed)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"Data set {dataset!r} is not prepared in {data_dir or '~/tensorflow_datasets'}: run "
            f"`tfds build {dataset}` where there is network access, or pass --data_dir=DIR "
            "where it is prepared."
        ) from None
    images, count = [], 0
    for batch in batches:
        images.append(batch.numpy())
        count += len(images[-1])
        if count >= num_images:
            break
    images = np.concatenate(images)[:num_images]
    if images.shape[-1] != channels:
        raise ValueError(f"{dataset} images have {images.shape[-1]} channels, generated ones "
                         f"{channels}: compare like with like.")
    return images


def build_extractor(dataset: str, image_size: int, inception_weights: str | None,
                    classifier_path: str | None):
    """InceptionV3 with local weights if given; else the digits classifier for digits."""
    from tfgan_kit.metrics.features import (
        ClassifierFeatures,
        InceptionFeatures,
        train_digits_classifier,
    )

    if inception_weights:
        return InceptionFeatures(inception_weights), "inception_v3"
    if dataset == "digits":
        logging.info("Training (or loading) the %dx%d digits classifier for features.",
                     image_size, image_size)
        model = train_digits_classifier(image_size, cache_path=classifier_path)
        logging.info("Digits classifier held-out accuracy: %.3f", model.validation_accuracy)
        return ClassifierFeatures(model, "features"), f"digits_classifier_{image_size}"
    raise _inception_needed(dataset)


def _inception_needed(dataset: str) -> ValueError:
    return ValueError(
        f"Metrics {sorted(FEATURE_METRICS)} on {dataset!r} need Inception features: pass "
        "--inception_weights=PATH, or drop them from --metrics."
    )


def _check_inputs(names: tuple[str, ...], saved_model: str | None, images_dir: str | None,
                 dataset: str, num_samples: int, inception_weights: str | None,
                 classifier_path: str | None) -> None:
    """The checks of :func:`evaluate` that need no computation, so that mistakes come first.

    Raises:
        ValueError / FileNotFoundError: naming the flag to fix.
    """
    if (saved_model is None) == (images_dir is None):
        raise ValueError("Pass exactly one of --saved_model=DIR or --images_dir=DIR.")
    if num_samples < 2:
        raise ValueError(f"--num_samples must be >= 2. Received: {num_samples}")
    if images_dir is not None and not os.path.isdir(images_dir):
        raise FileNotFoundError(f"--images_dir={images_dir} is not a folder: pass a folder of "
                                ".png files.")
    if saved_model is not None and not os.path.isfile(os.path.join(saved_model, "saved_model.pb")):
        raise FileNotFoundError(f"No SavedModel in {saved_model} (no saved_model.pb): pass "
                                "--saved_model=<the --export_dir of a train.py run>.")
    if not FEATURE_METRICS.intersection(names):
        return
    if inception_weights is not None and not os.path.isfile(inception_weights):
        raise FileNotFoundError(f"--inception_weights={inception_weights} is not a file: pass a "
                                "local InceptionV3 weights file (.weights.h5 or .h5).")
    if inception_weights is None and dataset != "digits":
        raise _inception_needed(dataset)
    if classifier_path is not None and os.path.isdir(classifier_path):
        raise ValueError(f"--classifier_path={classifier_path} is a folder: pass a .keras file "
                         "path.")


def evaluate(saved_model: str | None = None, images_dir: str | None = None,
             dataset: str = "digits", metrics: str = "fid,kid,is,prdc,swd,ms_ssim",
             num_samples: int = 2000, num_real: int | None = None, split: str = "train",
             data_dir: str | None = None, batch_size: int = 250, seed: int = 0,
             inception_weights: str | None = None,
             classifier_path: str | None = None) -> dict:
    """Evaluates generated images against real ones; returns the JSON-ready report dict.

    Raises:
        ValueError / FileNotFoundError: on a bad source, metric name, data set or size, each
            naming the flag to fix.
    """
    names = parse_metric_names(metrics)
    _check_inputs(names, saved_model, images_dir, dataset, num_samples, inception_weights,
                 classifier_path)
    if saved_model is not None:
        fake = generate_images(saved_model, num_samples, batch_size, seed)
    else:
        fake = read_images_dir(images_dir, num_samples)
    if fake.ndim != 4 or fake.shape[1] != fake.shape[2]:
        raise ValueError(f"Generated images must be square [n, s, s, c]. Received: {fake.shape}")
    num_real = num_real or num_samples
    if dataset == "digits" and num_real > DIGITS_COUNT:
        logging.info("digits has %d images: using all of them as the real set.", DIGITS_COUNT)
        num_real = DIGITS_COUNT
    real = load_real_images(dataset, fake.shape[1], fake.shape[-1], num_real, split, data_dir,
                            seed)
    extractor, features = (None, None)
    if FEATURE_METRICS.intersection(names):
        extractor, features = build_extractor(dataset, fake.shape[1], inception_weights,
                                              classifier_path)
    logging.info("Computing %s on %d generated and %d real images.", ",".join(names),
                 len(fake), len(real))
    results = compute_metrics(names, real, fake, extractor=extractor, seed=seed)
    return {
        "metrics": results,
        "source": saved_model or images_dir,
        "dataset": dataset,
        "num_generated": int(len(fake)),
        "num_real": int(len(real)),
        "features": features,
        "seed": seed,
    }


def _check_outputs(out: str | None, interpolation_png: str | None,
                   saved_model: str | None) -> None:
    """Checks the output flags before any work. Raises ValueError naming the flag to fix."""
    if not out:
        raise ValueError("Pass --out=PATH.json: where to write the metrics.")
    for flag, path in (("--out", out), ("--interpolation_png", interpolation_png)):
        if path and os.path.isdir(path):
            raise ValueError(f"{flag}={path} is a folder: pass a file path.")
    if interpolation_png and not saved_model:
        raise ValueError("--interpolation_png needs --saved_model=DIR: a folder of images has "
                         "no latent space to walk.")


def main(argv):
    if len(argv) > 1:
        sys.exit(f"error: unexpected arguments {argv[1:]}: pass every option as --name=value.")
    try:
        _check_outputs(_OUT.value, _INTERPOLATION_PNG.value, _SAVED_MODEL.value)
        report = evaluate(
            saved_model=_SAVED_MODEL.value, images_dir=_IMAGES_DIR.value, dataset=_DATASET.value,
            metrics=_METRICS.value, num_samples=_NUM_SAMPLES.value, num_real=_NUM_REAL.value,
            split=_SPLIT.value, data_dir=_DATA_DIR.value, batch_size=_BATCH_SIZE.value,
            seed=_SEED.value, inception_weights=_INCEPTION_WEIGHTS.value,
            classifier_path=_CLASSIFIER_PATH.value,
        )
        if _INTERPOLATION_PNG.value:
            from tfgan_kit.metrics.interpolation import write_interpolation_figure

            generator, latent_dim = _load_generator(_SAVED_MODEL.value)
            write_interpolation_figure(generator, latent_dim, _INTERPOLATION_PNG.value,
                                       method=_INTERPOLATION_METHOD.value, seed=_SEED.value)
            report["interpolation_png"] = _INTERPOLATION_PNG.value
        os.makedirs(os.path.dirname(os.path.abspath(_OUT.value)), exist_ok=True)
        with open(_OUT.value, "w") as f:
            json.dump(report, f, indent=2)
    except (ValueError, OSError) as error:
        sys.exit(f"error: {first_line(error)}")
    for key, value in report["metrics"].items():
        print(f"{key:>24s}: {value:.6g}")
    print(f"wrote {_OUT.value}")


if __name__ == "__main__":
    app.run(main, flags_parser=parse_flags)
