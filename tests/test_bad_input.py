"""Bad input from a hostile user ends in ONE clear error, before the expensive work, with nothing
already written lost.

One table, one row per bad input: image folders (corrupt, truncated, empty files), VQA json (a
question without ``image_id``, malformed json), a tfds split that does not exist, optimizer
learning rates, ``python -m tfgan_kit.evaluate`` (``--batch_size``, an ``--out`` that cannot be
written, a weights file that is not one, too few samples for PRDC, a truncated classifier cache),
``python -m tfgan_kit.sample`` (an ``.npz``, NaN / inf, uint8 images) and ``.keras`` loading
(``python -m tfgan_kit.explain`` on a cgan ``model.keras`` and on a truncated one).

A row runs the real command line in a subprocess or, for data and library errors that have no
command line of their own, calls the library directly here, reporting a ValueError or
FileNotFoundError as the command lines do (``error: <message>``, exit 1); any other exception
fails the row. Every row asserts a non-zero exit, exactly one ``error:`` line on stderr and that
it is the last line (the message is one line), the expected words (the file / flag / value and
the fix), no traceback, and that the files that existed before (the SavedModel, the cgan
``model.keras``, an earlier ``--out`` file) are unchanged, byte for byte and time stamp.

The expensive inputs are made once per module: a cgan trained for 2 steps on digits by
``train_and_evaluate`` (its ``model.keras`` and exported SavedModel) and a one-convolution image
SavedModel. The command lines run two at a time (this machine has 2 cores). A last test loads the
cgan ``model.keras`` in a fresh process that imports only ``tfgan_kit.models``.
"""

import concurrent.futures
import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
import traceback
from typing import Callable, Union

import keras
import ml_collections
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 300

# A read-only file system cannot be made here (we run as root: chmod does not stop writes), so
# this makes every new-file creation of the process fail as on one (EROFS), then runs the CLI.
READ_ONLY_EVALUATE = """\
import errno, runpy, sys, tempfile
def read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")
tempfile.mkstemp = read_only
sys.argv = ["evaluate"] + sys.argv[1:]
runpy.run_module("tfgan_kit.evaluate", run_name="__main__", alter_sys=True)
"""


@dataclasses.dataclass(frozen=True)
class Row:
    """One bad input: how to run it, what the error line says, which files must survive."""

    id: str
    run: Union[tuple, Callable]  # a command line: ("-m", module, args...) / ("-c", code, args...),
    #                              "{name}" standing for path `name` of `paths`; or a direct
    #                              library call `run(paths)`
    match: str  # regular expression searched in the error line
    keep: tuple = ("saved_model", "model_keras")  # fixture paths that must be unchanged


def _paired_folder(paths):
    """The data set train.py builds for pix2pix on an A|B folder, up to its first batch."""
    _first_batch("paired_folder", path=paths["paired"])


def _paired_dirs(paths):
    _first_batch("paired_folder", source_dir=paths["sources"], target_dir=paths["targets"])


def _unpaired_folder(paths):
    _first_batch("unpaired_folder", path=paths["unpaired"])


def _first_batch(name, **data):
    """Builds data set ``name`` with the builder train.py gets from the registry and reads its
    first batch (where TensorFlow's decode error without a file name came before)."""
    from tfgan_kit.registry import get_dataset

    config = ml_collections.ConfigDict({"seed": 0, "data": {"name": name, "image_size": 8, **data}})
    next(iter(get_dataset(name)(config, 2).dataset))


def _question_without_image_id(paths):
    from tfgan_kit.vqa import read_vqa_v2

    read_vqa_v2(paths["no_image_id"], None, paths["features"])


def _malformed_json(paths):
    from tfgan_kit.vqa import read_vqa_v2

    read_vqa_v2(paths["cut_json"], None, paths["features"])


def _tfds_split(paths):
    import tensorflow_datasets as tfds

    from tfgan_kit.data import tfds_images

    with tfds.testing.mock_data(num_examples=8, data_dir=paths["tfds_meta"]):
        next(iter(tfds_images("mnist", split="validation", batch_size=4)))


def _negative_learning_rate(paths):
    from tfgan_kit.optimizers import compile_scheme

    config = _load_config("dcgan_digits")
    config.train.d_optimizer.learning_rate = -2e-4
    compile_scheme(_tiny_gan(), config)


def _zero_learning_rate(paths):
    from tfgan_kit.optimizers import build_optimizer

    build_optimizer({"name": "sgd", "learning_rate": 0}, key="config.train.g_optimizer")


def _tiny_gan():
    from tfgan_kit.models import GAN
    from tfgan_kit.nets import mlp_discriminator, mlp_generator

    return GAN(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4)


EVALUATE = ("-m", "tfgan_kit.evaluate", "--saved_model={saved_model}", "--labels_cycle=10",
            "--dataset=digits", "--metrics=fid,prdc", "--num_samples=20")
SAMPLE = ("-m", "tfgan_kit.sample", "--saved_model={image_model}", "--npy={earlier_npy}")
EXPLAIN = ("-m", "tfgan_kit.explain", "--concepts={broden}", "--out={report}")

ROWS = [
    # 1. Image folders: checked when the data set is built; TF's decode error at the first
    #    batch named no file.
    Row("paired folder, corrupt png", _paired_folder,
        r"paired/b\.png is not a readable image \(not a PNG/JPEG image\): remove or replace "
        r"the file\.$"),
    Row("paired source/target, truncated jpg", _paired_dirs,
        r"targets/a\.jpg is not a readable image \(truncated or corrupt: image file is "
        r"truncated .*\): remove or replace the file\.$"),
    Row("unpaired folder, empty png", _unpaired_folder,
        r"trainB/b\.png is not a readable image \(an empty file\): remove or replace the file"),
    # 2. VQA json: a KeyError / JSONDecodeError without the file before.
    Row("vqa question without image_id", _question_without_image_id,
        r"no_image_id\.json: question 1 has no 'image_id' field \(every question needs "
        r"\['image_id', 'question', 'question_id'\]\): fix or remove it\.$"),
    Row("vqa malformed questions json", _malformed_json,
        r"cut\.json is not valid json \(.* at line 1, column \d+\): pass the official VQA "
        r"questions json \(download it again if it was cut short\)\.$"),
    # 3. A tfds split that does not exist: accepted under mock_data (any split) before, and
    #    blamed on preparation when not prepared. The metadata dir holds mnist's split names.
    Row("tfds split under mock_data", _tfds_split,
        r"Data set 'mnist' has no split 'validation': its splits are \['train', 'test'\]"),
    Row("evaluate --split", ("-m", "tfgan_kit.evaluate", "--saved_model={saved_model}",
                             "--labels_cycle=10", "--dataset=mnist", "--data_dir={tfds_meta}",
                             "--split=validation", "--metrics=swd", "--out={earlier_out}"),
        r"--split=validation: Data set 'mnist' has no split 'validation': its splits are "
        r"\['train', 'test'\]", keep=("saved_model", "earlier_out")),
    # 4. Learning rates: Keras took 0 and -2e-4 silently (a negative rate climbs the loss).
    Row("negative learning rate", _negative_learning_rate,
        r"config\.train\.d_optimizer\.learning_rate must be a positive, finite number "
        r"\(e\.g\. 2e-4\)\. Received: learning_rate=-0\.0002$"),
    Row("zero learning rate", _zero_learning_rate,
        r"config\.train\.g_optimizer\.learning_rate must be a positive, finite number "
        r".*Received: learning_rate=0$"),
    # 5. evaluate: every check before the images are generated; the earlier --out stays.
    Row("evaluate --batch_size=0", EVALUATE + ("--batch_size=0", "--out={earlier_out}"),
        r"--batch_size must be >= 1 \(images generated per call\)\. Received: 0$",
        keep=("saved_model", "earlier_out")),
    Row("evaluate --batch_size=-5", EVALUATE + ("--batch_size=-5", "--out={earlier_out}"),
        r"--batch_size must be >= 1 .*Received: -5$", keep=("saved_model", "earlier_out")),
    # A location that cannot be written, made with a path under a regular file.
    Row("evaluate --out under a file", EVALUATE + ("--out={earlier_out}/metrics.json",),
        r"--out=.*earlier\.json/metrics\.json cannot be written: .*earlier\.json is a file, not "
        r"a folder; pass a path in a writable folder\.$", keep=("saved_model", "earlier_out")),
    # A read-only file system, monkeypatched (see READ_ONLY_EVALUATE): the real CLI after it.
    Row("evaluate --out on a read-only file system",
        ("-c", READ_ONLY_EVALUATE) + EVALUATE[2:] + ("--out={fresh}/metrics.json",),
        r"--out=.*/metrics\.json cannot be written \(Read-only file system\): pass a path in a "
        r"writable folder\.$"),
    Row("evaluate --inception_weights not a weights file",
        EVALUATE + ("--inception_weights={text_h5}", "--out={earlier_out}"),
        r"--inception_weights=.*notes\.h5 is not a weights file \(not an HDF5 file\): pass "
        r"InceptionV3's weights", keep=("saved_model", "earlier_out")),
    Row("evaluate --num_samples too small for prdc",
        EVALUATE[:-2] + ("--metrics=prdc", "--num_samples=3", "--out={earlier_out}"),
        r"--num_samples=3 is too few images for prdc: it needs at least 4 generated and 6 real "
        r"images \(its k = 3 and k = 5 nearest neighbours\): pass --num_samples=6 or more, or "
        r"drop prdc from --metrics\.$", keep=("saved_model", "earlier_out")),
    Row("evaluate --classifier_path truncated .keras",
        EVALUATE + ("--classifier_path={truncated_keras}", "--out={earlier_out}"),
        r"--classifier_path=.*truncated\.keras is not a readable \.keras archive \(truncated or "
        r"corrupt: .*\): delete it .* or pass another --classifier_path\.$",
        keep=("saved_model", "earlier_out", "truncated_keras")),
    # 6. sample: the file checks come before the SavedModel loads; the earlier --npy stays.
    Row("sample --input_npy .npz", SAMPLE + ("--input_npy={images_npz}",),
        r"--input_npy=.*images\.npz is an \.npz archive \(arrays \['images'\]\), not a \.npy "
        r"file: pass a \.npy, or extract the array: python -c .*np\.save\('images\.npy'",
        keep=("image_model", "earlier_npy")),
    Row("sample --input_npy with NaN", SAMPLE + ("--input_npy={nan_npy}",),
        r"--input_npy=.*nan\.npy holds 1 NaN or infinite values \(the first at index "
        r"\(1, 2, 3, 0\)\): pass finite numbers\.$", keep=("image_model", "earlier_npy")),
    Row("sample --input_npy with inf", SAMPLE + ("--input_npy={inf_npy}",),
        r"--input_npy=.*inf\.npy holds 2 NaN or infinite values .*: pass finite numbers\.$",
        keep=("image_model", "earlier_npy")),
    Row("sample uint8 images", SAMPLE + ("--input_npy={uint8_npy}",),
        r"--input_npy=.*uint8\.npy holds uint8 values in \[0, 255\], but input `images` "
        r"\(float32 \[None, 8, 8, 3\]\) takes float32 images in \[-1, 1\]: convert uint8 0-255 "
        r"images with images\.astype\('float32'\) / 127\.5 - 1\.$",
        keep=("image_model", "earlier_npy")),
    # 7. .keras loading: the cgan file loads (the error is about the layer asked for, not
    #    "Could not locate class 'OneHot'"); a truncated file is not "File not found".
    Row("explain accepts a cgan model.keras", EXPLAIN + ("--keras_model={model_keras}",
                                                         "--layer=nope"),
        r"No layer named 'nope' in the nets of the ConditionalGAN model: pass --layer=<a layer "
        r"of generator .*; discriminator .*>\.$"),
    Row("explain truncated .keras", EXPLAIN + ("--keras_model={truncated_keras}",
                                               "--layer=nope"),
        r"--keras_model=.*truncated\.keras is not a readable \.keras archive \(truncated or "
        r"corrupt: no zip directory in its [\d,]+ bytes\): pass a \.keras file written by "
        r"model\.save\(\)", keep=("model_keras", "truncated_keras")),
]


def _load_config(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "configs", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


def _write_image(path, height=8, width=8, seed=0, **save):
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, **save)


def _image_folders(root):
    """Folders of the data rows, each with one bad file among good ones."""
    paired = root / "paired"
    paired.mkdir()
    _write_image(paired / "a.png", 8, 16)
    (paired / "b.png").write_bytes(np.random.default_rng(1).bytes(300))  # corrupt
    for folder in ("sources", "targets"):
        (root / folder).mkdir()
        for name in ("a.jpg", "b.jpg"):
            _write_image(root / folder / name, 64, 64, quality=95)
    whole = (root / "targets" / "a.jpg").read_bytes()
    (root / "targets" / "a.jpg").write_bytes(whole[: len(whole) // 2])  # truncated
    for domain in ("trainA", "trainB"):
        (root / "unpaired" / domain).mkdir(parents=True)
        _write_image(root / "unpaired" / domain / "a.png")
    (root / "unpaired" / "trainB" / "b.png").write_bytes(b"")  # empty


def _vqa_files(root):
    questions = [{"image_id": 3, "question": "Is it red?", "question_id": 30},
                 {"question": "How many?", "question_id": 31}]  # no image_id
    (root / "no_image_id.json").write_text(json.dumps({"questions": questions}))
    (root / "cut.json").write_text(json.dumps({"questions": questions[:1]})[:40])
    np.savez(root / "features.npz", image_ids=np.array([3]), features=np.zeros((1, 4)))


def _tfds_metadata(root):
    """mnist's dataset_info.json (splits train and test) with no data: what a prepared set's
    metadata says, for `mock_data(data_dir=...)` and for evaluate's early split check."""
    import tensorflow_datasets as tfds

    builder = tfds.builder("mnist", data_dir=str(root))
    builder.info.set_splits(tfds.core.SplitDict([
        tfds.core.SplitInfo(name=name, shard_lengths=[count], num_bytes=0)
        for name, count in (("train", 8), ("test", 8))]))
    os.makedirs(builder.data_dir)
    builder.info.write_to_directory(builder.data_dir)


def _image_model(folder):
    """A SavedModel whose serving_default takes float32 images [None, 8, 8, 3] in [-1, 1]."""
    net = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(3, 1, activation="tanh")])
    archive = keras.export.ExportArchive()
    archive.track(net)
    archive.add_endpoint(name="serving_default", fn=lambda images: {"images": net(images)},
                         input_signature=[tf.TensorSpec((None, 8, 8, 3), tf.float32,
                                                        name="images")])
    archive.write_out(str(folder), verbose=False)


def _sample_arrays(root):
    images = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3)).astype(np.float32)
    np.savez(root / "images.npz", images=images)
    with_nan, with_inf = images.copy(), images.copy()
    with_nan[1, 2, 3, 0] = np.nan
    with_inf[2, 0, 0, :2] = [np.inf, -np.inf]
    np.save(root / "nan.npy", with_nan)
    np.save(root / "inf.npy", with_inf)
    np.save(root / "uint8.npy", np.round((images + 1) * 127.5).astype(np.uint8))
    np.save(root / "earlier.npy", np.arange(3))


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    """Every input of the table, by name: one tiny cgan run (2 steps) and its export, a
    one-convolution image SavedModel, and the bad files."""
    from tfgan_kit.training import train_and_evaluate

    root = tmp_path_factory.mktemp("bad_input")
    config = _load_config("cgan_digits")
    config.train.update(epochs=1, steps_per_epoch=2, batch_size=16, num_samples=16,
                        jit_compile=False)
    config.model.update(g_hidden=(16,), d_hidden=(16,))
    train_and_evaluate(config, str(root / "cgan"), export_dir=str(root / "cgan_export"))
    _image_model(root / "image_model")
    _image_folders(root)
    _vqa_files(root)
    _tfds_metadata(root / "tfds")
    _sample_arrays(root)
    model_keras = root / "cgan" / "model.keras"
    whole = model_keras.read_bytes()
    (root / "truncated.keras").write_bytes(whole[: len(whole) // 2])
    (root / "notes.h5").write_text("these are not weights\n")
    (root / "earlier.json").write_text('{"metrics": {"fid": 1.0}}\n')
    (root / "fresh").mkdir()
    broden = root / "broden"  # what explain checks before loading the model
    (broden / "images").mkdir(parents=True)
    (broden / "index.csv").write_text("image,split\n")
    (broden / "label.csv").write_text("number,name\n")
    named = {"saved_model": "cgan_export", "model_keras": "cgan/model.keras",
             "image_model": "image_model", "paired": "paired", "sources": "sources",
             "targets": "targets", "unpaired": "unpaired", "no_image_id": "no_image_id.json",
             "cut_json": "cut.json", "features": "features.npz", "tfds_meta": "tfds",
             "earlier_out": "earlier.json", "fresh": "fresh", "text_h5": "notes.h5",
             "truncated_keras": "truncated.keras", "images_npz": "images.npz",
             "nan_npy": "nan.npy", "inf_npy": "inf.npy", "uint8_npy": "uint8.npy",
             "earlier_npy": "earlier.npy", "broden": "broden", "report": "report"}
    return {name: str(root / relative) for name, relative in named.items()}


def _snapshot(path):
    """Content hash and time stamps of a file, or of every file under a folder."""
    files = [path] if os.path.isfile(path) else sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(path) for name in names)
    state = {}
    for name in files:
        with open(name, "rb") as f:
            state[os.path.relpath(name, path)] = (hashlib.sha256(f.read()).hexdigest(),
                                                  os.stat(name).st_mtime_ns)
    return state


def _run(row, paths):
    """A command line in a subprocess."""
    args = [re.sub(r"\{(\w+)\}", lambda m: paths.get(m.group(1), m.group(0)), arg)
            for arg in row.run]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)


def _call(row, paths):
    """A direct library call, reported as a command line reports it: a ValueError or
    FileNotFoundError is one ``error:`` line, any other exception its traceback (the row fails)."""
    try:
        row.run(paths)
    except (ValueError, FileNotFoundError) as error:
        return subprocess.CompletedProcess(row.id, 1, "", f"error: {error}\n")
    except Exception:  # noqa: BLE001  (reported in the row, so that the other rows still run)
        return subprocess.CompletedProcess(row.id, 1, "", traceback.format_exc())
    return subprocess.CompletedProcess(row.id, 0, "", "")


@pytest.fixture(scope="module")
def outcomes(paths, request):
    """``{row id: (CompletedProcess, files before, files after)}`` of the rows selected in this
    session: the command lines two at a time in subprocesses, the library calls meanwhile here."""
    selected = {item.callspec.params["row"].id for item in request.session.items
                if hasattr(item, "callspec") and isinstance(item.callspec.params.get("row"), Row)}
    rows = [row for row in ROWS if row.id in selected]
    before = {row.id: {key: _snapshot(paths[key]) for key in row.keep} for row in rows}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        running = {row.id: pool.submit(_run, row, paths) for row in rows if not callable(row.run)}
        results = {row.id: _call(row, paths) for row in rows if callable(row.run)}
        results.update({key: future.result() for key, future in running.items()})
    return {row.id: (results[row.id], before[row.id],
                     {key: _snapshot(paths[key]) for key in row.keep}) for row in rows}


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input_is_one_error_line_and_loses_nothing(outcomes, row):
    result, before, after = outcomes[row.id]
    stderr = result.stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert result.returncode != 0, f"exit 0:\n{result.stdout[-2000:]}\n{stderr[-2000:]}"
    assert "Traceback" not in stderr, stderr[-3000:]
    assert len(errors) == 1 and errors[0] == lines[-1], stderr[-3000:]
    assert re.search(row.match, errors[0]), errors[0]
    assert after == before, f"changed: {[key for key in before if after[key] != before[key]]}"


def test_a_cgan_model_keras_loads_in_a_process_that_imports_only_tfgan_kit_models(paths):
    """Every Keras class of the package is registered by `import tfgan_kit.models` (before:
    "Could not locate class 'OneHot'" for a cgan model.keras written by train.py)."""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        import keras
        import tfgan_kit.models
        model = keras.models.load_model(sys.argv[1], safe_mode=True)
        print(type(model).__name__, sorted(model.nets))
        ours = lambda: {k for k in keras.saving.get_custom_objects() if k.startswith("tfgan_kit>")}
        registered = ours()
        import tfgan_kit
        for info in pkgutil.walk_packages(tfgan_kit.__path__, "tfgan_kit."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
        print("registered only later:", sorted(ours() - registered))
        """)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run([sys.executable, "-c", code, paths["model_keras"]], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ConditionalGAN ['discriminator', 'generator']" in result.stdout, result.stdout
    assert "registered only later: []" in result.stdout, result.stdout
