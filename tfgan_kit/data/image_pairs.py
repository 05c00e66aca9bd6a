"""Paired and unpaired image folders and tfds ``cycle_gan/*`` sets for image-to-image translation.

* ``"paired_folder"`` (Pix2Pix): a folder of side-by-side ``A|B`` files, as the pix2pix data
  sets (facades, maps, edges2shoes, ...) are distributed, or two folders of same-named files;
  ``data.direction`` picks ``a_to_b`` or ``b_to_a``;
* ``"unpaired_folder"`` (CycleGAN): ``<path>/trainA`` and ``<path>/trainB`` (``testA``/``testB``
  for ``data.split = "test"``);
* ``"tfds_unpaired"``: a prepared tensorflow-datasets ``cycle_gan/<name>`` set (splits
  ``trainA``, ``trainB``, ``testA``, ``testB``), never downloaded.

Training examples get the papers' random jitter: both images resized to ``load_size`` (286 for
256x256 crops), the same random ``image_size`` crop of both, and a random horizontal mirror of
both (Isola et al. 2017, Appendix 6.2; Zhu et al. 2017, Appendix 7.1). The jitter's randomness is
stateless, seeded by the epoch and the position in it (see
:func:`tfgan_kit.data.pipeline.batch_examples`' ``transform``). Files are read after shuffling,
so the shuffle buffer holds file names, not images; each file is checked when the data set is
built (:func:`image_file_problem`: headers, PNG checksums, JPEG end markers; about 0.1-0.3 ms a
file), so an empty, truncated or corrupt one is named before training starts. Pictures use the
unjittered images resized to ``image_size``. An unpaired epoch has ``max(|A|, |B|)`` examples; the smaller domain is repeated
to that length (folders: in a seeded random order). The pairing of an ``a`` with a ``b`` is
arbitrary and fixed; CycleGAN's losses treat the two domains' images separately.

Reference:
    Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017,
    Appendix 6.2 (https://arxiv.org/abs/1611.07004); Zhu et al., "Unpaired Image-to-Image
    Translation using Cycle-Consistent Adversarial Networks", ICCV 2017, Appendix 7.1
    (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from tfgan_kit.data.pipeline import one_example, batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_DECODABLE = ("PNG", "JPEG", "MPO", "GIF", "BMP", "WEBP")  # Pillow's names of what TF decodes
_JPEG_TAIL = 4096  # bytes searched for the end-of-image marker (some writers pad after it)
DIRECTIONS = ("a_to_b", "b_to_a")


def image_file_problem(path: str) -> str | None:
    """Why TensorFlow could not decode the image file ``path``, or ``None`` if it can.

    Cheap checks made when the data set is built (TensorFlow's own decode error, at the first
    batch, does not name the file): Pillow identifies the format from the header; a PNG's
    chunks and checksums are read to its end (``verify``); a JPEG without its end-of-image
    marker at the end (truncated) is decoded at 1/8 scale to see whether its data are whole.
    """
    from PIL import Image, UnidentifiedImageError

    if os.path.getsize(path) == 0:
        return "an empty file"
    try:
        with Image.open(path) as image:
            kind = image.format
            if kind not in _DECODABLE:
                return f"a {kind} image, which TensorFlow does not decode"
            image.verify()
        if kind in ("JPEG", "MPO") and not _ends_with_jpeg_marker(path):
            with Image.open(path) as image:
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except UnidentifiedImageError:
        return "not a PNG/JPEG image"
    except (OSError, SyntaxError, ValueError) as error:  # PIL: SyntaxError for broken PNGs
        return f"truncated or corrupt: {error}"
    return None


def _ends_with_jpeg_marker(path: str) -> bool:
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - _JPEG_TAIL))
        return b"\xff\xd9" in f.read()


def image_files(folder: str) -> list[str]:
    """The sorted PNG/JPEG files of ``folder``, each checked to be a readable image.

    Raises:
        FileNotFoundError: if ``folder`` is missing or holds no such file.
        ValueError: naming the first file that is empty, truncated or corrupt
            (:func:`image_file_problem`), and saying to remove or replace it.
    """
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{folder} is not a folder: set config.data.path (or "
                                "source_dir / target_dir) to a folder of PNG/JPEG images.")
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder)
                   if name.lower().endswith(IMAGE_SUFFIXES))
    if not files:
        raise FileNotFoundError(f"No .png/.jpg/.jpeg files in {folder}.")
    for path in files:
        problem = image_file_problem(path)
        if problem is not None:
            raise UserError(f"{path} is not a readable image ({problem}): remove or replace the "
                            "file.")
    return files


def read_image(path) -> tf.Tensor:
    """An RGB file as float32 ``[H, W, 3]`` in [-1, 1]."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    return tf.cast(image, tf.float32) / 127.5 - 1.0


def _resize(image, size: int) -> tf.Tensor:
    resized = tf.image.resize(image, (size, size), method="bicubic", antialias=True)
    return tf.clip_by_value(resized, -1.0, 1.0)


def random_jitter(first, second, seed, image_size: int, load_size: int, mirror: bool = True):
    """The same random crop and mirror of two images (Isola et al. 2017, Appendix 6.2).

    Both are resized to ``load_size`` x ``load_size`` (bicubic), cropped at one random
    ``image_size`` x ``image_size`` window and, if ``mirror``, flipped left-right together with
    probability 1/2.

    Args:
        first, second: ``[H, W, C]`` images in [-1, 1] (their sizes may differ).
        seed: shape-[2] int seed of the stateless draws.
        image_size: side of the crops (256 in the papers).
        load_size: side before cropping (286 in the papers).
        mirror: random horizontal flip. Defaults to `True`.

    Returns:
        The two jittered images, ``[image_size, image_size, C]`` each.

    Reference: Isola et al. 2017, Appendix 6.2; Zhu et al. 2017, Appendix 7.1.
    """
    channels = first.shape[-1]
    both = tf.concat([_resize(first, load_size), _resize(second, load_size)], axis=-1)
    both = tf.image.stateless_random_crop(
        both, [image_size, image_size, both.shape[-1]], seed=seed)
    if mirror:
        both = tf.image.stateless_random_flip_left_right(both, seed=seed + [0, 1])
    return both[..., :channels], both[..., channels:]


def load_size_for(image_size: int, load_size: int | None) -> int:
    """``load_size``, or the papers' 286/256 ratio applied to ``image_size`` when ``None``.

    Raises:
        ValueError: when ``load_size`` is smaller than ``image_size``.
    """
    load = int(round(image_size * 286 / 256)) if load_size is None else int(load_size)
    if load < image_size:
        raise UserError(f"`load_size` must be at least `image_size` ({image_size}) to crop from. "
                        f"Received: load_size={load_size}")
    return load


def _split_side_by_side(path):
    image = read_image(path)
    half = tf.shape(image)[1] // 2
    return image[:, :half], image[:, half:]


def paired_files(config_data) -> tuple[tf.data.Dataset, int, object]:
    """``(file dataset, count, reader)``: ``reader(element) -> (A, B)`` images of one pair.

    Raises:
        FileNotFoundError: for a missing or empty folder.
        ValueError: when neither ``path`` nor both ``source_dir`` and ``target_dir`` are set,
            or when the two folders' file names differ.
    """
    d = config_data
    if d.get("path"):
        files = image_files(d.path)
        return tf.data.Dataset.from_tensor_slices(files), len(files), _split_side_by_side
    if not (d.get("source_dir") and d.get("target_dir")):
        raise UserError("A paired folder needs config.data.path (side-by-side A|B files) or "
                        "both config.data.source_dir and config.data.target_dir.")
    sources, targets = image_files(d.source_dir), image_files(d.target_dir)
    names = [os.path.basename(f) for f in sources], [os.path.basename(f) for f in targets]
    if names[0] != names[1]:
        unmatched = sorted(set(names[0]) ^ set(names[1]))[:3]
        raise UserError(f"source_dir and target_dir must hold the same file names (one pair "
                        f"per name); unmatched: {unmatched}.")
    files = tf.data.Dataset.from_tensor_slices((sources, targets))
    return files, len(sources), lambda pair: (read_image(pair[0]), read_image(pair[1]))


def _direction(d) -> bool:
    direction = d.get("direction", "a_to_b")
    if direction not in DIRECTIONS:
        raise UserError(f"config.data.direction must be one of {DIRECTIONS}. Received: "
                        f"{direction!r}")
    return direction == "b_to_a"


def _translation_spec(files, count: int, reader, kind: str, config, batch_size: int,
                      stream, swap: bool = False, shuffle_buffer: int | None = None) -> DataSpec:
    d = config.data
    size, load = d.image_size, load_size_for(d.image_size, d.get("load_size"))
    mirror = bool(d.get("mirror", True))

    def ordered(first, second):
        return (second, first) if swap else (first, second)

    def jittered(element, seed):
        return ordered(*random_jitter(*reader(element), seed, size, load, mirror))

    def plain(element):
        first, second = reader(element)
        return ordered(_resize(first, size), _resize(second, size))

    dataset = batch_examples(files, batch_size, seed=config.seed, transform=jittered,
                             shuffle_buffer=shuffle_buffer, **stream)
    return DataSpec(dataset, kind, (size, size, 3), target_shape=(size, size, 3),
                    num_examples=count,
                    examples=files.map(lambda *element: plain(one_example(element))))


@register_dataset("paired_folder")
def paired_folder_spec(config, batch_size: int, **stream) -> DataSpec:
    """Pix2Pix pairs from ``data.path`` (``A|B`` files) or ``data.source_dir`` +
    ``data.target_dir``; ``data.direction``, ``image_size``, ``load_size``, ``mirror``."""
    files, count, reader = paired_files(config.data)
    return _translation_spec(files, count, reader, "paired", config, batch_size, stream,
                             swap=_direction(config.data))


def unpaired_pairing(count_a: int, count_b: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(into A, into B)`` of the ``max(|A|, |B|)`` examples of an unpaired epoch: the
    larger domain in order, the smaller one repeated in a seeded random order."""
    total = max(count_a, count_b)
    rng = np.random.default_rng([seed, 4])

    def spread(count):
        if count == total:
            return np.arange(total)
        repeats = -(-total // count)
        return np.concatenate([rng.permutation(count) for _ in range(repeats)])[:total]

    return spread(count_a), spread(count_b)


@register_dataset("unpaired_folder")
def unpaired_folder_spec(config, batch_size: int, **stream) -> DataSpec:
    """CycleGAN domains from ``data.path``/``{split}A`` and ``{split}B`` (``data.split``,
    default ``"train"``); ``image_size``, ``load_size``, ``mirror``."""
    split = config.data.get("split", "train")
    a_files = image_files(os.path.join(config.data.path, f"{split}A"))
    b_files = image_files(os.path.join(config.data.path, f"{split}B"))
    a_index, b_index = unpaired_pairing(len(a_files), len(b_files), config.seed)
    files = tf.data.Dataset.from_tensor_slices(
        (np.array(a_files)[a_index], np.array(b_files)[b_index]))
    return _translation_spec(files, len(a_index), lambda pair: (read_image(pair[0]),
                                                                 read_image(pair[1])),
                             "unpaired", config, batch_size, stream)


@register_dataset("tfds_unpaired")
def tfds_unpaired_spec(config, batch_size: int, **stream) -> DataSpec:
    """A prepared tfds ``data.tfds_name`` (e.g. ``"cycle_gan/horse2zebra"``): its
    ``{split}A`` and ``{split}B`` splits (``data.split``, default ``"train"``), ``data_dir``."""
    from tfgan_kit.data.tfds_images import split_size, load_tfds_split

    d = config.data
    split = d.get("split", "train")
    domains = []
    for letter in "AB":
        dataset, info = load_tfds_split(d.tfds_name, f"{split}{letter}", d.get("data_dir"))
        count = split_size(info, f"{split}{letter}", dataset)
        if not count:
            raise UserError(f"Split {split}{letter} of {d.tfds_name!r} has no known size: "
                            "prepare the data set with `tfds build`.")
        domains.append((dataset.map(lambda example: example["image"]), count))
    (a, count_a), (b, count_b) = domains
    total = max(count_a, count_b)
    files = tf.data.Dataset.zip(a.repeat(), b.repeat()).take(total)

    def reader(pair):
        return tuple(tf.cast(image, tf.float32) / 127.5 - 1.0 for image in pair)

    return _translation_spec(files, total, reader, "unpaired", config, batch_size, stream,
                             shuffle_buffer=min(total, d.get("shuffle_buffer", 1000)))
