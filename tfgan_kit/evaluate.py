r"""Evaluates a generator against real data: ``python -m tfgan_kit.evaluate``.

Generated images come from a SavedModel written by `tfgan_kit.export.export_model` (signature
``serving_default``: ``z`` -> ``images``; z ~ N(0, I), seeded) or from a folder of PNGs; real
images from the embedded digits or a prepared tensorflow-datasets set. Features for FID, KID,
IS and precision/recall/density/coverage come from InceptionV3 with local weights
(``--inception_weights``) or, for digits, from a small digits classifier trained on the fly
(``--classifier_path`` caches it). Each metric is also computed for held-out real images
against the same reference images (the floor; ``--floor=false`` skips it) and printed beside the
generated value with its unit and better direction, in a table and in the JSON file.

    python -m tfgan_kit.evaluate --saved_model=DIR --dataset=digits \
        --metrics=fid,kid,is,prdc,swd,ms_ssim --num_samples=2000 --out=/tmp/metrics.json
    python -m tfgan_kit.evaluate --saved_model=DIR --metrics=swd --out=/tmp/m.json \
        --interpolation_png=walk.png --interpolation_method=slerp
    python -m tfgan_kit.evaluate --images_dir=samples/ --dataset=cifar10 \
        --inception_weights=inception_v3.weights.h5 --metrics=fid,kid --out=metrics.json

Mistakes (a missing or unreadable input, an unknown metric, an unprepared data set or a split it
does not have, an ``--out`` that cannot be written, too few samples for a metric, a
``--batch_size`` below 1, ...) end in one ``error: ...`` line naming the flag to fix, checked
before the images are generated when possible. The JSON replaces an earlier ``--out`` file in one
step, so a failed run leaves it as it was.
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

from tfgan_kit.errors import UserError
from tfgan_kit.files import (  # noqa: E402
    check_writable, keras_archive_problem, weights_file_problem, write_text_atomically)
from tfgan_kit.metrics.suite import (  # noqa: E402
    FEATURE_METRICS, compute_metrics, minimum_images, parse_metric_names)
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
_LABELS_CYCLE = flags.DEFINE_integer("labels_cycle", None, "For a conditional generator (a "
                                     "`label` input): generate labels 0..K-1 in turn.")
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
_FLOOR = flags.DEFINE_boolean("floor", True, "Also score held-out REAL images against the same "
                              "reference real images: the floor a perfect generator reaches "
                              "with this many samples (for IS and MS-SSIM: the real data's own "
                              "value). Doubles the metric time; --floor=false skips it (the "
                              "real images are split alike, so the generated scores match).")
_FLOOR_SPLIT = flags.DEFINE_string("floor_split", None, "tfds split of the held-out real images "
                                   "(e.g. test). Default: images of --split disjoint from the "
                                   "reference ones. digits: always a disjoint part of its 1797.")


def generate_images(saved_model: str, num_samples: int, batch_size: int = 250,
                    seed: int = 0, labels_cycle: int | None = None) -> np.ndarray:
    """Runs an exported generator on ``num_samples`` seeded z ~ N(0, I), with a progress bar.

    A conditional generator (a ``label`` input) gets labels ``i % labels_cycle``, so every class
    is equally represented.

    Raises:
        ValueError: for a conditional generator without ``labels_cycle``, or a bad cycle.
    """
    import keras

    generator, latent_dim = _load_generator(saved_model)
    if generator.conditional and not labels_cycle:
        raise UserError(f"The generator in {saved_model} is conditional (input `label`): pass "
                        "--labels_cycle=K to generate its K classes in turn.")
    if labels_cycle is not None and labels_cycle < 1:
        raise UserError(f"--labels_cycle must be >= 1. Received: {labels_cycle}")
    if batch_size < 1:
        raise UserError(f"--batch_size must be >= 1 (images generated per call). Received: "
                        f"{batch_size}")
    z = np.random.default_rng(seed).standard_normal((num_samples, latent_dim)).astype(np.float32)
    labels = np.arange(num_samples) % labels_cycle if generator.conditional else None
    progress = keras.utils.Progbar(num_samples, unit_name="image")
    images = []
    for start in range(0, num_samples, batch_size):
        batch = slice(start, start + batch_size)
        images.append(np.asarray(generator(z[batch], None if labels is None else labels[batch]),
                                 dtype=np.float32))
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
        raise UserError(f"Cannot read the SavedModel in {saved_model} ({first_line(error)}): "
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
            raise UserError(f"Cannot read {path} in --images_dir ({first_line(error)}): "
                            "replace or remove the file.") from None
        images.append(pixels if pixels.ndim == 3 else pixels[..., None])
    shapes = {image.shape for image in images}
    if len(shapes) != 1:
        raise UserError(f"The PNGs in {images_dir} differ in size/channels: {sorted(shapes)}; "
                        "resize them to one shape.")
    return np.stack(images).astype(np.float32) / 127.5 - 1.0


def load_real_images(dataset: str, image_size: int, channels: int, num_images: int,
                     split: str = "train", data_dir: str | None = None,
                     seed: int = 0) -> np.ndarray:
    """Real images ``[n, image_size, image_size, channels]`` in [-1, 1] from digits or tfds."""
    if dataset == "digits":
        from tfgan_kit.data import digits_arrays

        if image_size not in DIGITS_SIZES or channels != 1:
            raise UserError(
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
        raise UserError(f"{dataset} images have {images.shape[-1]} channels, generated ones "
                        f"{channels}: compare like with like.")
    return images


def split_real_images(dataset: str, image_size: int, channels: int, num_real: int,
                      num_held_out: int, split: str = "train", data_dir: str | None = None,
                      seed: int = 0, floor_split: str | None = None,
                      load_held_out: bool = True) -> tuple[np.ndarray, np.ndarray | None, str]:
    """Disjoint reference and held-out real images, for metrics and their real-data floor.

    The floor of a two-sample metric is its value for held-out real images against the same
    reference images (what a perfect generator scores with finite samples), as the papers
    calibrate their metrics on real data: FID (Heusel et al. 2017), KID (Bińkowski et al.
    2018), density/coverage ~1 / ~1 - 2^-k for two real samples (Naeem et al. 2020), SWD and
    MS-SSIM of the training data (Karras et al. 2018, Table 1; Odena et al. 2017, Sec. 4.2).

    digits: the seeded permutation of its 1797 images is cut into ``reference`` (its first
    ``min(num_real, 1797 - held)`` images, the same prefix as without a floor) and
    ``held_out`` (the next ``held = min(num_held_out, 898)``). tfds: the first `num_real`
    images of the seeded stream of `split` are the reference, the next `num_held_out` the
    held-out set, or those come from `floor_split` when it is another split. The reference
    does not depend on `load_held_out` (False skips loading tfds held-out images).

    Returns:
        ``(reference, held_out, description)``; ``held_out`` is ``None`` when not loaded or
        fewer than 2 images are left for it.
    """
    if dataset == "digits":
        held = min(num_held_out, DIGITS_COUNT // 2)
        count = min(num_real, DIGITS_COUNT - held)
        if count < num_real:
            logging.info("digits has %d images: %d held out for the floor, %d as the reference.",
                         DIGITS_COUNT, held, count)
        images = load_real_images(dataset, image_size, channels, count + held, split, data_dir,
                                  seed)
        held_out = images[count:] if load_held_out else None
        return (images[:count], held_out, f"digits: {held} held-out images disjoint from the "
                f"{count} reference images (seed {seed})")
    if floor_split and floor_split != split:
        reference = load_real_images(dataset, image_size, channels, num_real, split, data_dir,
                                     seed)
        held_out = (load_real_images(dataset, image_size, channels, num_held_out, floor_split,
                                     data_dir, seed) if load_held_out else None)
        where = f"split {floor_split!r}"
    else:
        images = load_real_images(dataset, image_size, channels,
                                  num_real + (num_held_out if load_held_out else 0), split,
                                  data_dir, seed)
        reference, held_out = images[:num_real], (images[num_real:] if load_held_out else None)
        where = f"split {split!r}, disjoint from the {len(reference)} reference images"
    if held_out is not None and len(held_out) < 2:
        logging.warning("No held-out real images left in %s: no floor.", where)
        held_out = None
    count = 0 if held_out is None else len(held_out)
    return reference, held_out, f"{dataset}: {count} held-out images from {where}"


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


def _check_counts(names: tuple[str, ...], num_samples: int, num_real: int | None,
                  batch_size: int, labels_cycle: int | None) -> None:
    """Checks the number flags, and that each metric can be computed on so many images."""
    if num_samples < 2:
        raise UserError(f"--num_samples must be >= 2. Received: {num_samples}")
    if num_real is not None and num_real < 2:
        raise UserError(f"--num_real must be >= 2 (or left out: --num_samples). Received: "
                        f"{num_real}")
    if batch_size < 1:
        raise UserError(f"--batch_size must be >= 1 (images generated per call). Received: "
                        f"{batch_size}")
    if labels_cycle is not None and labels_cycle < 1:
        raise UserError(f"--labels_cycle must be >= 1. Received: {labels_cycle}")
    real = num_real or num_samples
    for name in names:
        needed = minimum_images(name)
        if num_samples < needed.generated or real < needed.real:
            if num_real is None:
                given = f"--num_samples={num_samples} is"
                fix = f"--num_samples={max(needed.real, needed.generated)} or more"
            else:
                given = f"--num_samples={num_samples} and --num_real={num_real} are"
                fix = (f"--num_samples={needed.generated} and --num_real={needed.real} or "
                       "more")
            raise UserError(
                f"{given} too few images for {name}: it needs at least {needed.generated} "
                f"generated and {needed.real} real images ({needed.why}): pass {fix}, or drop "
                f"{name} from --metrics."
            )


def _check_inputs(names: tuple[str, ...], saved_model: str | None, images_dir: str | None,
                 dataset: str, num_samples: int, inception_weights: str | None,
                 classifier_path: str | None, split: str = "train",
                 data_dir: str | None = None, floor_split: str | None = None) -> None:
    """The checks of :func:`evaluate` that need no computation, so that mistakes come first.

    Raises:
        ValueError / FileNotFoundError: naming the flag to fix.
    """
    if (saved_model is None) == (images_dir is None):
        raise UserError("Pass exactly one of --saved_model=DIR or --images_dir=DIR.")
    if images_dir is not None and not os.path.isdir(images_dir):
        raise FileNotFoundError(f"--images_dir={images_dir} is not a folder: pass a folder of "
                                ".png files.")
    if saved_model is not None and not os.path.isfile(os.path.join(saved_model, "saved_model.pb")):
        raise FileNotFoundError(f"No SavedModel in {saved_model} (no saved_model.pb): pass "
                                "--saved_model=<the --export_dir of a train.py run>.")
    if dataset != "digits":
        from tfgan_kit.data.tfds_images import check_tfds_split

        for flag, value in (("--split", split), ("--floor_split", floor_split)):
            if value:
                try:
                    check_tfds_split(dataset, value, data_dir)
                except ValueError as error:
                    raise UserError(f"{flag}={value}: {error}") from None
    if not FEATURE_METRICS.intersection(names):
        return
    if inception_weights is not None:
        _check_inception_weights(inception_weights)
    if inception_weights is None and dataset != "digits":
        raise _inception_needed(dataset)
    if classifier_path is not None and os.path.isdir(classifier_path):
        raise UserError(f"--classifier_path={classifier_path} is a folder: pass a .keras file "
                        "path.")
    if inception_weights is None and classifier_path and os.path.isfile(classifier_path):
        problem = keras_archive_problem(classifier_path)
        if problem is not None:
            raise UserError(f"--classifier_path={classifier_path} is not a readable .keras "
                            f"archive ({problem}): delete it (the classifier is then trained "
                            "and saved there again) or pass another --classifier_path.")


def _check_inception_weights(path: str) -> None:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--inception_weights={path} is not a file: pass a local "
                                "InceptionV3 weights file (.weights.h5 or .h5).")
    problem = weights_file_problem(path)
    if problem is not None:
        raise UserError(f"--inception_weights={path} is not a weights file ({problem}): pass "
                        "InceptionV3's weights saved by Keras (.weights.h5, or Keras' legacy "
                        "inception_v3_weights_tf_dim_ordering_tf_kernels.h5).")


def evaluate(saved_model: str | None = None, images_dir: str | None = None,
             dataset: str = "digits", metrics: str = "fid,kid,is,prdc,swd,ms_ssim",
             num_samples: int = 2000, num_real: int | None = None, split: str = "train",
             data_dir: str | None = None, batch_size: int = 250, seed: int = 0,
             inception_weights: str | None = None,
             classifier_path: str | None = None, floor: bool = True,
             floor_split: str | None = None, verbose: bool = True,
             labels_cycle: int | None = None) -> dict:
    """Evaluates generated images against real ones; returns the JSON-ready report dict.

    A conditional generator's samples cycle through ``labels_cycle`` classes.

    Loads the images (`generate_images` or `read_images_dir`) and scores them with
    `evaluate_images` (metrics beside their held-out real floor; see there).

    Raises:
        ValueError / FileNotFoundError: on a bad source, metric name, data set or size, each
            naming the flag to fix.
    """
    names = parse_metric_names(metrics)
    _check_inputs(names, saved_model, images_dir, dataset, num_samples, inception_weights,
                 classifier_path, split, data_dir, floor_split)
    _check_counts(names, num_samples, num_real, batch_size, labels_cycle)
    if saved_model is not None:
        fake = generate_images(saved_model, num_samples, batch_size, seed, labels_cycle)
    else:
        fake = read_images_dir(images_dir, num_samples)
    return evaluate_images(fake, dataset=dataset, metrics=names, num_real=num_real or num_samples,
                           split=split, data_dir=data_dir, seed=seed,
                           inception_weights=inception_weights, classifier_path=classifier_path,
                           floor=floor, floor_split=floor_split, verbose=verbose,
                           source=saved_model or images_dir)


def evaluate_images(fake: np.ndarray, dataset: str = "digits",
                    metrics: str | tuple[str, ...] = "fid,kid,is,prdc,swd,ms_ssim",
                    num_real: int | None = None, split: str = "train",
                    data_dir: str | None = None, seed: int = 0,
                    inception_weights: str | None = None, classifier_path: str | None = None,
                    floor: bool = True, floor_split: str | None = None, verbose: bool = True,
                    source: str | None = None) -> dict:
    """Scores generated images ``[n, s, s, c]`` in [-1, 1], each metric beside its real floor.

    The real images are split by `split_real_images` into a reference set (``num_real``,
    default ``n``) and a disjoint held-out set of up to ``n`` images. Every metric compares the
    generated images with the reference set; with `floor`, the same metrics (same seed, same
    extractor, the reference features computed once) compare the held-out real images with
    the reference set: the score of a perfect generator given finite samples (FID: Heusel et
    al. 2017; KID: Bińkowski et al. 2018; IS: Salimans et al. 2016; PRDC: Kynkäänniemi et al.
    2019, Naeem et al. 2020; SWD, MS-SSIM: Karras et al. 2018, Odena et al. 2017). For metrics
    of the generated set alone (IS, MS-SSIM) it is the real data's own value. With `verbose`,
    prints one line per metric as it finishes, with its wall time.

    Returns:
        The report: ``metrics`` (flat ``{key: float}``), ``floor`` (``{key: float}``, or
        ``None`` without a floor), ``floor_count`` (held-out images; fewer than
        ``num_generated`` when the data runs short), ``floor_source``, ``metric_info``
        (``{key: {"unit", "better", "floor_kind", "paper"}}``, see
        `tfgan_kit.metrics.suite.metric_info`) and the run's settings.
    """
    import time

    from tfgan_kit.metrics.suite import metric_info

    names = parse_metric_names(metrics)
    fake = np.asarray(fake, dtype=np.float32)
    if fake.ndim != 4 or fake.shape[1] != fake.shape[2]:
        raise UserError(f"Generated images must be square [n, s, s, c]. Received: {fake.shape}")
    real, held_out, floor_source = split_real_images(
        dataset, fake.shape[1], fake.shape[-1], num_real or len(fake), len(fake), split,
        data_dir, seed, floor_split, load_held_out=floor)
    for name in names:
        needed = minimum_images(name)
        if len(real) < needed.real or len(fake) < needed.generated:
            raise UserError(f"{name} needs at least {needed.real} real and {needed.generated} "
                            f"generated images ({needed.why}). Received: {len(real)} real, "
                            f"{len(fake)} generated: pass more images, or drop {name}.")
        if held_out is not None and len(held_out) < needed.generated:
            logging.warning("Only %d held-out real images, fewer than %s needs: no floor.",
                            len(held_out), name)
            held_out = None
    extractor, features, real_features = None, None, None

    def progress(label: str):
        def report_step(name: str, values: dict, seconds: float) -> None:
            if verbose:
                print(f"{label:<9s} {name:<9s} done in {seconds:.1f} s", flush=True)
        return report_step

    if FEATURE_METRICS.intersection(names):
        extractor, features = build_extractor(dataset, fake.shape[1], inception_weights,
                                              classifier_path)
        start = time.perf_counter()
        real_features = extractor(real)
        progress("reference")("features", {}, time.perf_counter() - start)
    logging.info("Computing %s on %d generated and %d real images.", ",".join(names),
                 len(fake), len(real))
    results = compute_metrics(names, real, fake, extractor=extractor, seed=seed,
                              real_features=real_features, on_metric=progress("generated"))
    floor_results = None
    if held_out is not None:
        floor_results = compute_metrics(names, real, held_out, extractor=extractor, seed=seed,
                                        real_features=real_features,
                                        on_metric=progress("floor"))
    return {
        "metrics": results,
        "floor": floor_results,
        "floor_count": None if floor_results is None else int(len(held_out)),
        "floor_source": floor_source if floor_results is not None else None,
        "metric_info": {key: metric_info(key, features) for key in results},
        "source": source,
        "dataset": dataset,
        "num_generated": int(len(fake)),
        "num_real": int(len(real)),
        "features": features,
        "seed": seed,
    }


def format_table(report: dict) -> str:
    """The report as a table: each metric, its held-out real floor, which way is better, unit.

    Units and directions come from `tfgan_kit.metrics.suite.METRIC_INFO`, which cites each
    metric's paper (FID: Heusel et al. 2017; KID: Bińkowski et al. 2018; IS: Salimans et al.
    2016; PRDC: Kynkäänniemi et al. 2019, Naeem et al. 2020; SWD: Karras et al. 2018; MS-SSIM:
    Odena et al. 2017; Parzen: Goodfellow et al. 2014).
    """
    floor = report.get("floor")
    info = report["metric_info"]
    width = max([len("metric")] + [len(key) for key in report["metrics"]])
    header = f"{'metric':<{width}s}  {'generated':>10s}"
    if floor is not None:
        header += f"  {'held-out real':>13s}  {'as':<9s}"
    lines = [header + f"  {'better':<14s}  unit"]
    for key, value in report["metrics"].items():
        line = f"{key:<{width}s}  {value:>10.4g}"
        if floor is not None:
            line += f"  {floor[key]:>13.4g}  {info[key]['floor_kind']:<9s}"
        lines.append(line + f"  {info[key]['better']:<14s}  {info[key]['unit']}")
    if floor is not None:
        lines.append(f"held-out real: {report['floor_source']}.")
        lines.append("  floor: those real images scored against the reference like the generated "
                     "ones (what a perfect generator scores); real data: their own value.")
        if report["floor_count"] < report["num_generated"]:
            lines.append(f"floor_count {report['floor_count']} < {report['num_generated']} "
                         "generated: count-dependent metrics (fid, prdc, parzen) of the floor "
                         "are not exactly like for like.")
    lines.append(f"{report['num_generated']} generated and {report['num_real']} reference real "
                 f"images of {report['dataset']}, seed {report['seed']}.")
    return "\n".join(lines)


def _check_outputs(out: str | None, interpolation_png: str | None,
                   saved_model: str | None) -> None:
    """Checks the output flags before any work: a path that cannot be written (a folder, a path
    under a file, a read-only file system) is refused before the metrics are computed.

    Raises:
        ValueError: naming the flag to fix.
    """
    if not out:
        raise UserError("Pass --out=PATH.json: where to write the metrics.")
    for flag, path in (("--out", out), ("--interpolation_png", interpolation_png)):
        if path:
            check_writable(path, flag)
    if interpolation_png and not saved_model:
        raise UserError("--interpolation_png needs --saved_model=DIR: a folder of images has "
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
            classifier_path=_CLASSIFIER_PATH.value, floor=_FLOOR.value,
            floor_split=_FLOOR_SPLIT.value, labels_cycle=_LABELS_CYCLE.value,
        )
        if _INTERPOLATION_PNG.value:
            from tfgan_kit.metrics.interpolation import write_interpolation_figure

            generator, latent_dim = _load_generator(_SAVED_MODEL.value)
            write_interpolation_figure(generator, latent_dim, _INTERPOLATION_PNG.value,
                                       method=_INTERPOLATION_METHOD.value, seed=_SEED.value)
            report["interpolation_png"] = _INTERPOLATION_PNG.value
        write_text_atomically(_OUT.value, json.dumps(report, indent=2))
    except (UserError, OSError) as error:  # a mistake the user can fix; anything else is a bug
        sys.exit(f"error: {first_line(error)}")
    print(format_table(report))
    print(f"wrote {_OUT.value}")


if __name__ == "__main__":
    app.run(main, flags_parser=parse_flags)
