"""Runs any serving signature of an exported SavedModel and writes its output as a PNG and/or .npy.

    # GAN: z -> images (or 2-D points, drawn as a scatter plot)
    python -m tfgan_kit.sample --saved_model DIR --num 64 --seed 0 --out grid.png [--npy out.npy]
    # conditional GAN: z, label -> images
    python -m tfgan_kit.sample --saved_model DIR --label 3 --out threes.png
    python -m tfgan_kit.sample --saved_model DIR --labels_cycle 10 --out all_classes.png
    # image translation: images -> images (PNG shows input | output pairs)
    python -m tfgan_kit.sample --saved_model DIR --signature a_to_b --images_dir A/ --out ab.png
    # classifier: images -> probabilities (not drawable: --npy, plus the printed class counts)
    python -m tfgan_kit.sample --saved_model DIR --images_dir digits/ --npy probabilities.npy
    # any other float input, e.g. 2-D translation: points -> points (scatter over the inputs)
    python -m tfgan_kit.sample --saved_model DIR --signature a_to_b --input_npy a.npy --out ab.png
    # several array inputs, named, e.g. InfoGAN: z, categorical (int32), continuous -> images
    python -m tfgan_kit.sample --saved_model DIR --input_npy categorical=c.npy \
        --input_npy continuous=u.npy --out codes.png

The signature's inputs decide what is fed, by name first, then by rank:

* ``z`` (float ``[None, D]``): ``tf.random.stateless_normal([num, D], seed=[seed, 0])``, so the
  same ``--seed`` gives the same samples;
* ``label``: ``--label K`` for every sample, or ``--labels_cycle K`` for labels ``i % K``
  (0, 1, ..., K-1, 0, ...). The number of classes is not in the signature, so one of the two
  is required;
* any other float rank-4 input: the PNG/JPEG files of ``--images_dir`` in sorted order (at most
  ``--num``), in [-1, 1], resized to the input's static height and width, converted grey <-> RGB
  when the input's channel count asks for it; or an ``--input_npy`` float array of that shape in
  [-1, 1] (uint8 0-255 images are refused, with how to convert them);
* any other float or integer input: the first ``--num`` rows of an ``--input_npy`` array
  ``[n, ...]``. ``--input_npy PATH`` feeds the one data input the other flags leave; with several,
  name each: ``--input_npy NAME=PATH`` (repeatable).

When data inputs (``--images_dir`` / ``--input_npy``) are fed, their common length sets the number
of samples. If the signature has several outputs the first in sorted order is used (and named).
``--out`` draws a rank-4 output as an image grid (input | output pairs for an image input),
``[n, 2]`` points as a scatter plot (over the input points, if any); other outputs, e.g.
``probabilities``, cannot be drawn: save them with ``--npy``. Mistakes (no SavedModel, unknown
signature, missing input flag, wrong shapes, an ``.npz`` or NaN / inf values for ``--input_npy``,
an ``--out`` that cannot be written) end in one ``error: ...`` line naming the flag, checked before
the SavedModel is loaded when possible.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from absl import app, flags  # noqa: E402

from tfgan_kit.errors import UserError
from tfgan_kit.files import check_writable  # noqa: E402


_BATCH_SIZE = 256  # signature calls are batched; inference gives the same result per sample
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_GREY_MODES = ("1", "L", "LA", "I", "I;16", "F")
_CLASS_OUTPUTS = ("probabilities", "logits")  # [n, K] class scores, whatever K is
_GENERATED_INPUTS = ("z", "label")  # not data: never drawn next to the output
_RANGE_SLACK = 1e-3  # images in [-1, 1] up to rounding (e.g. after a bicubic resize)


def load_signature(saved_model: str, signature: str = "serving_default"):
    """Loads ``saved_model`` and returns its concrete function ``signature``.

    The returned function holds a reference to the loaded object, so its variables stay alive.

    Raises:
        FileNotFoundError: if ``saved_model`` holds no ``saved_model.pb``.
        ValueError: if the SavedModel cannot be read, or has no signature ``signature`` (the
            message lists the available ones).
    """
    import tensorflow as tf

    if not any(os.path.isfile(os.path.join(saved_model, name))
               for name in ("saved_model.pb", "saved_model.pbtxt")):
        raise FileNotFoundError(
            f"No SavedModel in {saved_model} (no saved_model.pb): pass --saved_model=<the "
            "--export_dir folder of a train.py run>.")
    try:
        loaded = tf.saved_model.load(saved_model)
    except (OSError, ValueError, tf.errors.OpError) as error:
        raise UserError(
            f"Cannot read the SavedModel in {saved_model} ({first_line(error)}): pass "
            "--saved_model=<a folder written by train.py --export_dir>.") from None
    function = loaded.signatures.get(signature)
    if function is None:
        available = ", ".join(sorted(loaded.signatures)) or "none"
        raise UserError(f"The SavedModel in {saved_model} has no signature `{signature}`: pass "
                        f"--signature=<one of: {available}>.")
    function.loaded = loaded
    return function


def sample(saved_model: str, num: int, seed: int, signature: str = "serving_default",
           label: int | None = None, images_dir: str | None = None,
           input_npy=None, labels_cycle: int | None = None) -> dict:
    """Feeds the inputs of one serving signature (see the module docstring) and runs it.

    Args:
        saved_model: SavedModel folder.
        num: number of samples; for ``images_dir`` / ``input_npy``, the most read.
        seed: seed of ``z``: ``tf.random.stateless_normal([num, D], seed=[seed, 0])``.
        signature: serving signature name. Defaults to `"serving_default"`.
        label: class of every sample, for a ``label`` input. Defaults to `None`.
        images_dir: folder of PNG/JPEG files for a float rank-4 input. Defaults to `None`.
        input_npy: ``.npy`` file(s) for the other inputs: a path (for the one data input left
            unfed), or ``"NAME=PATH"`` entries (a string or a list), one per input. Defaults to
            `None`.
        labels_cycle: number of classes K; sample ``i`` gets label ``i % K``. Defaults to `None`.

    Returns:
        ``{"inputs": {name: array}, "outputs": {name: array}}`` of numpy arrays.

    Raises:
        FileNotFoundError: if there is no SavedModel, ``images_dir`` or ``input_npy``.
        ValueError: for an unknown signature, an input without its flag, a flag the signature
            does not use, data of the wrong shape, an ``.npz`` or non-finite ``input_npy``,
            images outside [-1, 1], or a signature that fails on the inputs. Every message is
            one line naming the flag to pass.
    """
    if num < 1:
        raise UserError(f"--num must be at least 1. Received: num={num}")
    if images_dir is not None and not os.path.isdir(images_dir):
        raise FileNotFoundError(f"--images_dir={images_dir} is not a folder: pass a folder of "
                                "PNG/JPEG files.")
    arrays = _npy_paths(input_npy)
    for path in arrays.values():
        if not os.path.isfile(path):
            raise FileNotFoundError(f"--input_npy={path} is not a file: pass a .npy file.")
    loaded = {path: load_npy(path) for path in arrays.values()}  # before TensorFlow starts
    import tensorflow as tf

    function = load_signature(saved_model, signature)
    specs = function.structured_input_signature[1]
    described = ", ".join(f"{name}: {_describe_spec(spec)}" for name, spec in sorted(specs.items()))
    kinds = {name: _input_kind(name, spec) for name, spec in specs.items()}
    data = sorted(name for name, kind in kinds.items() if kind in ("images", "array"))
    unknown = sorted(set(arrays) - {None} - set(data))
    if unknown:
        raise UserError(f"--input_npy names {unknown}, not data inputs of signature "
                        f"`{signature}` (inputs: {described}): name one of those.")
    flags_used = {"images": ("--images_dir", images_dir),
                  "label": ("--label/--labels_cycle", label is not None or labels_cycle)}
    for kind, (flag, value) in flags_used.items():
        if value and kind not in kinds.values():
            raise UserError(f"{flag} is not used by signature `{signature}` (inputs: "
                            f"{described}): drop it.")
    if arrays and not data:
        raise UserError(f"--input_npy is not used by signature `{signature}` (inputs: "
                        f"{described}): drop it.")
    sources = _assign_sources(data, kinds, arrays, images_dir, signature, described)

    inputs = {}
    for name in data:
        source = sources.get(name)
        if source == "images_dir":
            inputs[name] = _read_images(name, specs[name], num, images_dir)
        else:
            inputs[name] = _read_npy(name, specs[name], num, source, loaded.get(source),
                                     named=len(data) > 1)
    lengths = {name: len(value) for name, value in inputs.items()}
    if len(set(lengths.values())) > 1:
        raise UserError(f"The data inputs differ in length ({lengths}, after --num={num}): pass "
                        "arrays / folders of the same length, or a smaller --num.")
    n = len(inputs[data[0]]) if data else num
    for name, kind in kinds.items():
        if kind == "z":
            inputs[name] = _draw_z(specs[name], n, seed)
        elif kind == "label":
            inputs[name] = _labels(specs[name], n, label, labels_cycle)
        elif kind is None:
            raise UserError(f"Input `{name}` ({_describe_spec(specs[name])}) of signature "
                            f"`{signature}` cannot be fed: tfgan_kit.sample feeds `z`, `label`, "
                            "images (--images_dir) and number arrays (--input_npy).")

    batches = []
    for start in range(0, n, _BATCH_SIZE):
        batch = {name: tf.constant(value[start : start + _BATCH_SIZE], specs[name].dtype)
                 for name, value in inputs.items()}
        try:
            batches.append({key: value.numpy() for key, value in function(**batch).items()})
        except tf.errors.OpError as error:
            raise UserError(f"Signature `{signature}` failed on the inputs ({described}): "
                            f"{first_line(error)}") from None
    outputs = {key: np.concatenate([batch[key] for batch in batches]) for key in batches[0]}
    return {"inputs": inputs, "outputs": outputs}


def main_output(outputs: dict) -> str:
    """The output that is saved and drawn: the first name in sorted order."""
    return sorted(outputs)[0]


def summarize(name: str, array: np.ndarray) -> str:
    """One line describing output ``name``: argmax class counts for class scores, else ranges."""
    if name in _CLASS_OUTPUTS and array.ndim == 2:
        classes, counts = np.unique(np.argmax(array, axis=1), return_counts=True)
        listed = ", ".join(f"{c}: {k}" for c, k in zip(classes.tolist(), counts.tolist()))
        return f"{name} {list(array.shape)}: argmax class counts {{{listed}}}"
    if array.size and np.issubdtype(array.dtype, np.number):
        return (f"{name} {list(array.shape)} {array.dtype}, values in "
                f"[{array.min():.3g}, {array.max():.3g}]")
    return f"{name} {list(array.shape)} {array.dtype}"


def draw(result: dict, path: str) -> str:
    """Writes the main output of a :func:`sample` result as a PNG at ``path``; returns ``path``.

    Rank-4 outputs become an image grid, shown as ``input | output`` pairs when a rank-4 data
    input was fed; ``[n, 2]`` outputs a scatter plot, over the ``[n, 2]`` data input if any.

    Raises:
        ValueError: if the output is neither images (1 or 3 channels) nor 2-D points.
    """
    from tfgan_kit.figures import save_scatter
    from tfgan_kit.images import save_image_grid

    name = main_output(result["outputs"])
    output = result["outputs"][name]
    source = next((value for key, value in sorted(result["inputs"].items())
                   if key not in _GENERATED_INPUTS and value.ndim == output.ndim), None)
    if output.ndim == 4 and output.shape[-1] in (1, 3):
        if source is None or source.shape[-1] not in (1, 3):
            return save_image_grid(output, path)
        return save_image_grid(_interleave(source, output), path, columns=2)
    if output.ndim == 2 and output.shape[1] == 2 and name not in _CLASS_OUTPUTS:
        reference = source if source is not None and source.shape[1] == 2 else None
        return save_scatter(output, path, reference=reference)
    raise UserError(f"Output `{name}` of shape {list(output.shape)} cannot be drawn as images "
                    "or 2-D points: drop --out and pass --npy=FILE.npy to save it.")


def _input_kind(name: str, spec) -> str | None:
    """How an input is fed: "z", "label", "images", "array", or None (cannot be fed)."""
    if name in _GENERATED_INPUTS:
        return name
    if not (spec.dtype.is_floating or spec.dtype.is_integer) or spec.shape.rank is None \
            or spec.shape.rank < 1:
        return None
    return "images" if spec.shape.rank == 4 and spec.dtype.is_floating else "array"


def _npy_paths(input_npy) -> dict:
    """``--input_npy`` values as ``{input name or None: path}`` (None: the unnamed one)."""
    if input_npy is None:
        return {}
    entries = [input_npy] if isinstance(input_npy, str) else list(input_npy)
    paths = {}
    for entry in entries:
        name, separator, path = str(entry).partition("=")
        if not separator or os.path.isfile(str(entry)):  # a path that holds "=" is a path
            name, path = None, str(entry)
        if name in paths:
            which = "without a name" if name is None else f"for `{name}`"
            raise UserError(f"--input_npy is given twice {which}: pass each input once, as "
                            "--input_npy NAME=PATH.")
        paths[name] = path
    return paths


def _assign_sources(data, kinds, arrays, images_dir, signature, described) -> dict:
    """Which flag feeds each data input: ``"images_dir"`` or a ``.npy`` path.

    Named ``--input_npy`` entries first; ``--images_dir`` then feeds an image input; an unnamed
    ``--input_npy`` feeds the one data input left.
    """
    sources = {name: path for name, path in arrays.items() if name is not None}
    left = [name for name in data if name not in sources]
    images = [name for name in left if kinds[name] == "images"]
    if images_dir is not None:
        if len(images) != 1:
            raise UserError(f"Signature `{signature}` takes {len(images)} image inputs not fed "
                            f"by name ({described}): --images_dir feeds exactly one.")
        sources[images[0]] = "images_dir"
        left.remove(images[0])
    if None in arrays:
        if len(left) != 1:
            raise UserError(f"Signature `{signature}` has {len(left)} data inputs left for an "
                            f"unnamed --input_npy ({described}): name each, --input_npy "
                            "NAME=PATH.")
        sources[left[0]] = arrays[None]
    return sources


def _draw_z(spec, n: int, seed: int) -> np.ndarray:
    import tensorflow as tf

    if spec.shape.rank != 2 or spec.shape[1] is None or not spec.dtype.is_floating:
        raise UserError(f"Input `z` is {_describe_spec(spec)}; tfgan_kit.sample draws z for a "
                        "float [None, D] input with a static D: re-export the model.")
    return tf.random.stateless_normal([n, spec.shape[1]], seed=[seed, 0]).numpy()


def _labels(spec, n: int, label: int | None, labels_cycle: int | None) -> np.ndarray:
    if (label is None) == (labels_cycle is None):
        raise UserError("The signature takes a `label` input: pass --label=K for one class, or "
                        "--labels_cycle=K to cycle through classes 0..K-1 (not both).")
    if (label is not None and label < 0) or (labels_cycle is not None and labels_cycle < 1):
        raise UserError(f"--label must be >= 0 and --labels_cycle >= 1. Received: label={label}, "
                        f"labels_cycle={labels_cycle}")
    labels = np.full([n], label) if label is not None else np.arange(n) % labels_cycle
    return labels.reshape([n] + [1] * (max(spec.shape.rank or 1, 1) - 1))


def _read_images(name: str, spec, num: int, images_dir: str | None) -> np.ndarray:
    """Up to ``num`` files of ``images_dir``: float32 ``[n, H, W, C]`` in [-1, 1] for ``spec``."""
    from PIL import Image

    if images_dir is None:
        raise UserError(f"Input `{name}` ({_describe_spec(spec)}) takes images: pass "
                        "--images_dir=<folder of PNG/JPEG files>.")
    paths = sorted(os.path.join(images_dir, f) for f in os.listdir(images_dir)
                   if f.lower().endswith(_IMAGE_SUFFIXES))[:num]
    if not paths:
        raise FileNotFoundError(f"No .png/.jpg/.jpeg files in --images_dir={images_dir}.")
    height, width, channels = spec.shape[1], spec.shape[2], spec.shape[3]
    if channels not in (None, 1, 3):
        raise UserError(f"Input `{name}` ({_describe_spec(spec)}) takes {channels} channels, "
                        "but --images_dir files give grey (1) or RGB (3): pick another "
                        "--signature.")
    images = []
    for path in paths:
        try:
            with Image.open(path) as image:
                grey = image.mode in _GREY_MODES if channels is None else channels == 1
                image = image.convert("L" if grey else "RGB")
                size = (width or image.width, height or image.height)
                if size != image.size:
                    image = image.resize(size, Image.Resampling.BICUBIC)
                pixels = np.asarray(image, dtype=np.float32)
        except (OSError, SyntaxError) as error:  # PIL raises SyntaxError for some broken PNGs
            raise UserError(f"Cannot read {path} in --images_dir ({first_line(error)}): "
                            "replace or remove the file.") from None
        images.append(pixels[..., None] if pixels.ndim == 2 else pixels)
    shapes = sorted({image.shape for image in images})
    if len(shapes) > 1:
        raise UserError(f"The files in --images_dir={images_dir} differ in (height, width, "
                        f"channels): {shapes}, and input `{name}` ({_describe_spec(spec)}) fixes "
                        "none of them to resize or convert to: use files of one shape.")
    return np.stack(images) / 127.5 - 1.0


def load_npy(path: str) -> np.ndarray:
    """The array of an ``--input_npy`` file: a non-empty, finite number array from a ``.npy``.

    Raises:
        ValueError: naming the file, for an ``.npz`` archive (listing its arrays and how to
            extract one), an unreadable file, a non-number or empty array, or NaN / inf values.
    """
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise UserError(f"Cannot read --input_npy={path} ({first_line(error)}): pass a .npy "
                        "file written by numpy.save.") from None
    if isinstance(array, np.lib.npyio.NpzFile):
        names = list(array.files)
        array.close()
        first = names[0] if names else "NAME"
        raise UserError(
            f"--input_npy={path} is an .npz archive (arrays {names}), not a .npy file: pass a "
            f".npy, or extract the array: python -c \"import numpy as np; np.save('{first}.npy', "
            f"np.load('{path}')['{first}'])\".")
    if not np.issubdtype(array.dtype, np.number) or array.ndim < 1 or len(array) == 0:
        raise UserError(f"--input_npy={path} holds a {array.dtype} array of shape "
                        f"{list(array.shape)}: pass a non-empty number array [n, ...].")
    if np.issubdtype(array.dtype, np.inexact) and not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))
        raise UserError(f"--input_npy={path} holds {len(bad)} NaN or infinite values (the first "
                        f"at index {tuple(int(i) for i in bad[0])}): pass finite numbers.")
    return array


def _check_image_range(name: str, spec, input_npy: str, array: np.ndarray) -> None:
    """Refuses images outside [-1, 1] (e.g. uint8 0-255) for a float image input."""
    low, high = float(array.min()), float(array.max())
    if np.issubdtype(array.dtype, np.integer) or low < -1.0 - _RANGE_SLACK \
            or high > 1.0 + _RANGE_SLACK:
        raise UserError(
            f"--input_npy={input_npy} holds {array.dtype} values in [{low:g}, {high:g}], but "
            f"input `{name}` ({_describe_spec(spec)}) takes float32 images in [-1, 1]: convert "
            "uint8 0-255 images with images.astype('float32') / 127.5 - 1.")


def _read_npy(name: str, spec, num: int, input_npy: str | None, array: np.ndarray | None = None,
              named: bool = False) -> np.ndarray:
    """The first ``num`` rows of the ``input_npy`` array (``array``, if already loaded), checked
    against ``spec``."""
    expected = _describe_spec(spec)
    if input_npy is None:
        if spec.shape.rank == 4 and spec.dtype.is_floating:
            raise UserError(f"Input `{name}` ({expected}) takes images: pass "
                            f"--images_dir=<folder of PNG/JPEG files> or --input_npy=<.npy "
                            f"file of shape {_shape_text(spec.shape)}>.")
        flag = f"--input_npy={name}=" if named else "--input_npy="
        raise UserError(f"Input `{name}` ({expected}) takes an array: pass "
                        f"{flag}<.npy file of shape {_shape_text(spec.shape)}>.")
    if array is None:
        array = load_npy(input_npy)
    array = array[:num]
    if not spec.shape.is_compatible_with(array.shape):
        raise UserError(f"--input_npy={input_npy} has shape {list(array.shape)}, but input "
                        f"`{name}` takes {expected}: pass an array of that shape.")
    if _input_kind(name, spec) == "images":
        _check_image_range(name, spec, input_npy, array)
    if spec.dtype.is_integer:
        if not np.all(np.equal(np.mod(array, 1), 0)):
            raise UserError(f"--input_npy={input_npy} holds fractions, but input `{name}` "
                            f"takes {expected}: pass whole numbers.")
        return array.astype(spec.dtype.as_numpy_dtype)
    return array.astype(np.float32)


def _interleave(inputs: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """``[in_0, out_0, in_1, out_1, ...]`` padded to one size with black, grey tiled to RGB."""
    height = max(inputs.shape[1], outputs.shape[1])
    width = max(inputs.shape[2], outputs.shape[2])
    channels = max(inputs.shape[3], outputs.shape[3])

    def fit(images):
        images = np.repeat(images, channels // images.shape[3], axis=3)
        pad = [(0, 0), (0, height - images.shape[1]), (0, width - images.shape[2]), (0, 0)]
        return np.pad(images, pad, constant_values=-1.0)

    pairs = np.stack([fit(inputs), fit(outputs)], axis=1)
    return pairs.reshape((-1,) + pairs.shape[2:])


def _shape_text(shape) -> str:
    """``[None, 8, 8, 3]`` (``?`` for an unknown rank)."""
    if shape.rank is None:
        return "?"
    return "[" + ", ".join("None" if d is None else str(d) for d in shape.as_list()) + "]"


def _describe_spec(spec) -> str:
    return f"{spec.dtype.name} {_shape_text(spec.shape)}"


def first_line(error: Exception) -> str:
    """The informative first line of an error (TF graph errors start with boilerplate).

    The command lines print it after ``error:``, so a mistake is always one line.
    """
    text = getattr(error, "message", None) or str(error)
    skip = ("Graph execution error", "Detected at node", "<stack traces", "[[")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(skip)]
    return (useful or lines or [type(error).__name__])[0]


def parse_flags(argv: list[str]) -> list[str]:
    """The ``flags_parser`` of ``app.run``: a flag mistake ends in one ``error: ...`` line.

    absl's own parser prints the error between two lines of help, or the whole help text.
    """
    try:
        return flags.FLAGS(argv)
    except flags.Error as error:
        sys.exit(f"error: {first_line(error).rstrip('.')} (see --helpshort).")


def define_flags() -> None:
    """Defines the command-line flags (only when run as a program: `evaluate` shares names)."""
    flags.DEFINE_string("saved_model", None, "SavedModel folder (--export_dir).")
    flags.DEFINE_string("signature", "serving_default", "Serving signature to run.")
    flags.DEFINE_integer("num", 64, "Number of samples (at most, for --images_dir/--input_npy).",
                                lower_bound=1)
    flags.DEFINE_integer("seed", 0, "Seed of z.")
    flags.DEFINE_integer("label", None, "Class of every sample, for a `label` input.",
                                  lower_bound=0)
    flags.DEFINE_integer(
        "labels_cycle", None, "Number of classes K: sample i gets label i % K (for a `label` input).",
        lower_bound=1)
    flags.DEFINE_string("images_dir", None, "PNG/JPEG folder for an image input.")
    flags.DEFINE_multi_string(
        "input_npy", None, ".npy array [n, ...] for a data input: PATH for the one left, or "
        "NAME=PATH per input (repeatable).")
    flags.DEFINE_string("out", None, "PNG to write: image grid, or scatter plot of 2-D points.")
    flags.DEFINE_string("npy", None, "Write the raw output array as .npy.")
    flags.mark_flag_as_required("saved_model")


def main(argv):
    if len(argv) > 1:
        sys.exit(f"error: unexpected arguments {argv[1:]}: pass every option as --name=value.")
    f = flags.FLAGS
    out, npy = f.out, f.npy
    if not out and not npy:
        sys.exit("error: pass --out grid.png and/or --npy samples.npy to say where to write.")
    try:
        for flag, path in (("--out", out), ("--npy", npy)):
            if path:
                check_writable(path, flag)  # before the SavedModel is loaded and run
        if out and not out.lower().endswith(".png"):
            raise UserError(f"--out={out} must be a .png file.")
        result = sample(f.saved_model, f.num, f.seed, signature=f.signature, label=f.label,
                        images_dir=f.images_dir, input_npy=f.input_npy,
                        labels_cycle=f.labels_cycle)
        name = main_output(result["outputs"])
        print(f"signature `{f.signature}` fed " + ", ".join(
            f"{key} {list(value.shape)}" for key, value in sorted(result["inputs"].items())))
        if len(result["outputs"]) > 1:
            print(f"outputs {', '.join(sorted(result['outputs']))}: using `{name}`")
        if out:
            draw(result, out)
        if npy:
            os.makedirs(os.path.dirname(os.path.abspath(npy)), exist_ok=True)
            np.save(npy, result["outputs"][name])
    except (OSError, UserError) as error:  # a mistake the user can fix; anything else is a bug
        sys.exit(f"error: {first_line(error)}")
    print(summarize(name, result["outputs"][name]))
    print("wrote " + " and ".join(path for path in (out, npy) if path))


if __name__ == "__main__":
    define_flags()
    app.run(main, flags_parser=parse_flags)
