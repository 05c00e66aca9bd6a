"""Callbacks for adversarial training with ``model.fit``.

* :class:`SampleGrid`: the scheme's picture of its samples every N epochs, as a titled PNG in
  ``workdir/samples/`` and as a TensorBoard image summary;
* :class:`ModeCoverageLog`: for 2-D Gaussian mixtures, PacGAN's mode coverage of fixed-seed
  samples added to each epoch's logs (progress line, TensorBoard, history);
* :class:`ProgressFigures`: ``samples/history.json``, ``progress.png`` (curves per epoch) and
  ``progress.gif`` (the epoch pictures animated), kept across resumes;
* :class:`NaNGuard`: stops training when a logged loss is not finite, before any checkpoint of the
  bad state is written, so the last good checkpoint survives;

Order in the ``fit`` callback list: ``NaNGuard``, ``SampleGrid``, ``ModeCoverageLog``,
``ProgressFigures``, ``keras.callbacks.TensorBoard``, ..., the checkpoint. ``ModeCoverageLog``
must come before every callback that reads its keys (``ProgressFigures``, ``TensorBoard``; Keras
appends the ``History`` and the progress bar last) and after ``NaNGuard`` (its ``reverse_kl`` is
NaN while no sample is high quality, which is not a divergence); ``ProgressFigures`` after
``SampleGrid`` (it animates the PNG of the epoch just drawn).
"""

from __future__ import annotations

import glob
import json
import math
import os
import re
import warnings

import keras
import numpy as np
import tensorflow as tf
from matplotlib.ticker import MaxNLocator
from PIL import Image

from tfgan_kit.errors import UserError
from tfgan_kit.figures import join_title, new_figure, render, save_figure, set_title
from tfgan_kit.files import write_atomically
from tfgan_kit.metrics.mode_coverage import PACGAN_NUM_SAMPLES, mode_coverage

#: The keys :class:`ModeCoverageLog` adds to the epoch logs.
COVERAGE_KEYS = ("modes", "high_quality", "reverse_kl")


def _step(model) -> int | None:
    """The scheme's checkpointed step counter, or ``None`` for a model without one."""
    return model.steps_done() if hasattr(model, "steps_done") else None


def _epoch_title(prefix: str | None, epoch: int, step: int | None) -> str:
    return join_title(prefix, f"epoch {epoch}", None if step is None else f"step {step:,}")


class NonFiniteLossError(RuntimeError):
    """Raised by :class:`NaNGuard` when a training log becomes NaN or infinite."""


class SampleGrid(keras.callbacks.Callback):
    """Draws the scheme's picture (:meth:`AdversarialModel.picture`) every ``every_epochs`` epochs.

    The scheme decides what to draw from a fixed seed: a grid of samples, a scatter plot of 2-D
    samples over the data's reference points, a row per class, input | output | target columns.
    Files are ``samples_dir/epoch_XXXX.png`` numbered by the (1-based) epoch just finished, so a
    resumed run continues the numbering; each is written atomically and titled
    ``<title> · epoch E · step S`` (S the scheme's ``step_count``), followed for a 2-D Gaussian
    mixture (``spec.reference_std`` set) by the coverage of the drawn points (PacGAN, Lin et al.
    2018, Sec. 5.1), whose centres get dashed 3-std circles (see
    :func:`tfgan_kit.figures.render`). With ``tensorboard_dir`` pictures of images are
    also written as a ``tf.summary.image`` named ``samples``.

    Args:
        samples_dir: output folder.
        num_samples: samples per picture. Defaults to `64` (2,500 for 2-D data is typical).
        every_epochs: period in epochs. Defaults to `1`.
        seed: seed of the fixed draws. Defaults to `0`.
        spec: the training :class:`tfgan_kit.data.DataSpec` (reference points, preview batch);
            ``None`` when training without one.
        tensorboard_dir: optional TensorBoard log dir for image summaries.
        title: start of every title, e.g. the scheme name (``None``: none).
    """

    def __init__(self, samples_dir: str, num_samples: int = 64, every_epochs: int = 1,
                 seed: int = 0, spec=None, tensorboard_dir: str | None = None,
                 title: str | None = None):
        super().__init__()
        if every_epochs < 1:
            raise UserError(f"`every_epochs` must be >= 1. Received: {every_epochs}")
        self.samples_dir = samples_dir
        self.num_samples = num_samples
        self.every_epochs = every_epochs
        self.seed = seed
        self.spec = spec
        self.tensorboard_dir = tensorboard_dir
        self.title = title
        self._writer = None

    def on_epoch_end(self, epoch: int, logs=None):
        if (epoch + 1) % self.every_epochs:
            return
        picture = self.model.picture(self.spec, self.num_samples, self.seed)
        images = render(picture, os.path.join(self.samples_dir, f"epoch_{epoch + 1:04d}.png"),
                        title=_epoch_title(self.title, epoch + 1, _step(self.model)),
                        reference_std=getattr(self.spec, "reference_std", None))
        if images is not None:
            self._write_summary(images, epoch + 1)

    def _write_summary(self, images: np.ndarray, step: int) -> None:
        if self.tensorboard_dir is None or images.shape[-1] not in (1, 3):
            return
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.tensorboard_dir)
        with self._writer.as_default():
            tf.summary.image("samples", (images + 1.0) / 2.0, step=step,
                             max_outputs=min(16, len(images)))
        self._writer.flush()


class ModeCoverageLog(keras.callbacks.Callback):
    """Adds PacGAN's mode coverage of the scheme's fixed-seed samples to every epoch's logs.

    At each epoch end it draws ``model.picture(spec, num_samples, seed)`` and, when the data is a
    2-D Gaussian mixture (``spec.reference_points`` and ``spec.reference_std`` set) and the
    picture holds points, adds to the epoch ``logs``: ``modes`` (modes covered by a high-quality
    sample), ``high_quality`` (fraction of samples within 3 std of their nearest centre) and
    ``reverse_kl`` (KL of the high-quality samples' mode histogram to uniform; NaN while no
    sample is high quality). The protocol of Lin et al., "PacGAN", NeurIPS 2018, Sec. 5.1 (after
    VEEGAN), computed by :func:`tfgan_kit.metrics.mode_coverage.mode_coverage`. For other data it
    does nothing.

    Keras hands every callback the same epoch ``logs`` dict in list order, so put this callback
    BEFORE ``keras.callbacks.TensorBoard`` and :class:`ProgressFigures` (Keras' ``History`` and
    progress line come last by themselves) and AFTER :class:`NaNGuard`.

    Args:
        spec: the training :class:`tfgan_kit.data.DataSpec` (``None``: no-op).
        num_samples: samples drawn per evaluation. Defaults to `2500` (PacGAN's protocol).
        seed: seed of the fixed draw. Defaults to `0`.
    """

    def __init__(self, spec, num_samples: int = PACGAN_NUM_SAMPLES, seed: int = 0):
        super().__init__()
        if num_samples < 1:
            raise UserError(f"`num_samples` must be >= 1. Received: {num_samples}")
        self.spec = spec
        self.num_samples = num_samples
        self.seed = seed

    @property
    def active(self) -> bool:
        """Whether the data is a 2-D mixture with known centres and component std."""
        return (self.spec is not None and getattr(self.spec, "reference_points", None) is not None
                and getattr(self.spec, "reference_std", None) is not None)

    def coverage(self) -> dict | None:
        """``{"modes", "high_quality", "reverse_kl"}`` of the fixed-seed samples, or ``None``."""
        if not self.active:
            return None
        picture = self.model.picture(self.spec, self.num_samples, self.seed)
        if picture.points is None:
            return None
        result = mode_coverage(picture.points, self.spec.reference_points,
                               self.spec.reference_std)
        return dict(zip(COVERAGE_KEYS, (result.modes, result.high_quality_fraction,
                                        result.reverse_kl)))

    def on_epoch_end(self, epoch: int, logs=None):
        if logs is None:
            return
        values = self.coverage()
        if values is not None:
            logs.update(values)


def _scalar(value):
    """A JSON-ready number for a log value (``None`` if not finite), or ``...`` if not a scalar."""
    if isinstance(value, (bool, str)) or value is None:
        return ...
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return ...
    if array.size != 1:
        return ...
    number = float(array.ravel()[0])
    if not math.isfinite(number):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    return number


_FRAME = re.compile(r"epoch_(\d+)\.png$")


class ProgressFigures(keras.callbacks.Callback):
    """Per-epoch curves and an animation of the samples, kept across resumes.

    At each epoch end it writes, all atomically (temp file + ``os.replace``: a kill never leaves a
    half-written file), in ``samples_dir``:

    * ``history.json``: ``{"epochs": [{"epoch": E, "step": S, <log>: value, ...}, ...]}``, the
      epoch logs (non-finite values as ``null``). It is read back at train begin, so a resumed run
      continues the curves; records of epochs >= the first epoch of this run (left by a run killed
      after its last checkpoint) are replaced as those epochs are trained again;
    * ``progress.png``: the losses (logs whose name contains ``loss``; all logs if none does) per
      epoch and, when :class:`ModeCoverageLog` logged them, a second panel with the modes covered
      and the percentage of high-quality samples per epoch;
    * ``progress.gif``: the ``epoch_*.png`` pictures of :class:`SampleGrid` up to this epoch,
      read from disk (so a resumed run keeps the earlier frames), in epoch order, resized to the
      newest frame's size; at most ``max_frames`` evenly spaced ones (first and last kept).
      Pillow merges consecutive identical frames.

    Put it after :class:`SampleGrid` and :class:`ModeCoverageLog` in the callback list, and
    before the checkpoint.

    Args:
        samples_dir: the folder of the ``epoch_*.png`` pictures (and of these files).
        title: start of the figure title, e.g. the scheme name (``None``: none).
        max_frames: most frames in the GIF. Defaults to `100`.
        frame_ms: display time of a frame in ms (the last one shows 4x longer). Defaults to
            `300`.
    """

    HISTORY = "history.json"
    FIGURE = "progress.png"
    ANIMATION = "progress.gif"

    def __init__(self, samples_dir: str, title: str | None = None, max_frames: int = 100,
                 frame_ms: int = 300):
        super().__init__()
        if max_frames < 2:
            raise UserError(f"`max_frames` must be >= 2. Received: {max_frames}")
        self.samples_dir = samples_dir
        self.title = title
        self.max_frames = max_frames
        self.frame_ms = frame_ms
        self.records: list[dict] = []
        self._frames: dict[str, tuple] = {}  # path -> (mtime_ns, file size, RGB image)

    def path(self, name: str) -> str:
        """``samples_dir/name``."""
        return os.path.join(self.samples_dir, name)

    @staticmethod
    def read_history(path: str) -> list[dict]:
        """The epoch records of a ``history.json``, by epoch (``[]`` if missing or unreadable)."""
        try:
            with open(path) as f:
                data = json.load(f)
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            warnings.warn(f"Ignoring unreadable {path} ({error}); the curves restart here.")
            return []
        records = data.get("epochs", []) if isinstance(data, dict) else data
        if not isinstance(records, list):
            return []
        good = [r for r in records if isinstance(r, dict) and isinstance(r.get("epoch"), int)]
        return sorted(good, key=lambda r: r["epoch"])

    def on_train_begin(self, logs=None):
        self.records = self.read_history(self.path(self.HISTORY))

    def on_epoch_end(self, epoch: int, logs=None):
        number = epoch + 1
        record = {"epoch": number}
        step = _step(self.model)
        if step is not None:
            record["step"] = step
        for key, value in sorted((logs or {}).items()):
            value = _scalar(value)
            if value is not ... and key not in record:
                record[key] = value
        self.records = [r for r in self.records if r["epoch"] < number] + [record]
        self.write_history()
        self.write_figure()
        self.write_animation(number)

    def write_history(self) -> str:
        """Writes ``history.json`` from :attr:`records`; returns its path."""
        text = json.dumps({"epochs": self.records}, indent=1, allow_nan=False)

        def write(temporary):
            with open(temporary, "w") as f:
                f.write(text + "\n")

        return write_atomically(self.path(self.HISTORY), write)

    def figure(self):
        """The :class:`matplotlib.figure.Figure` of ``progress.png`` for :attr:`records`."""
        epochs = np.array([r["epoch"] for r in self.records])

        def series(key):
            return np.array([np.nan if r.get(key) is None else r[key] for r in self.records],
                            dtype=np.float64)

        keys = sorted({k for r in self.records for k in r} - {"epoch", "step", *COVERAGE_KEYS})
        losses = [k for k in keys if "loss" in k] or keys
        coverage = any(r.get("modes") is not None for r in self.records)
        panels = 2 if coverage else 1
        last = self.records[-1] if self.records else {}
        title = join_title(self.title, "training progress",
                           f"epoch {last['epoch']}" if last else None,
                           f"step {last['step']:,}" if "step" in last else None)
        figure = new_figure(800, 70 + 330 * panels, layout="constrained")
        axes = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
        marker = "o" if len(epochs) <= 60 else None
        for key in losses:
            axes[0].plot(epochs, series(key), marker=marker, markersize=3, label=key)
        axes[0].set_ylabel("loss" if any("loss" in k for k in keys) else "value")
        axes[0].set_title("losses per epoch" if losses else "no losses logged", fontsize=9)
        if losses:
            axes[0].legend(fontsize=8, loc="best")
        if coverage:
            modes_axes = axes[1]
            modes = series("modes")
            modes_axes.plot(epochs, modes, marker=marker, markersize=3,
                            color="tab:green", label="modes covered")
            modes_axes.set_ylabel("modes covered", color="tab:green")
            modes_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            modes_axes.set_ylim(0, (np.nanmax(modes) if np.isfinite(modes).any() else 0) + 1)
            quality = modes_axes.twinx()
            quality.plot(epochs, 100 * series("high_quality"), marker=marker, markersize=3,
                         color="tab:purple", label="high-quality samples (%)")
            quality.set_ylabel("high quality (%)", color="tab:purple")
            quality.set_ylim(0, 100)
            handles = modes_axes.get_legend_handles_labels()
            extra = quality.get_legend_handles_labels()
            quality.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=8, loc="best")
            modes_axes.set_title("mode coverage per epoch (PacGAN: within 3 std of a centre)",
                                 fontsize=9)
        for ax in axes:
            ax.grid(True, linewidth=0.3, alpha=0.5)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[-1].set_xlabel("epoch")
        set_title(figure, title, 800)
        return figure

    def write_figure(self) -> str:
        """Writes ``progress.png``; returns its path."""
        return save_figure(self.figure(), self.path(self.FIGURE))

    def frame_paths(self, up_to_epoch: int) -> list[str]:
        """The ``epoch_*.png`` files of epochs ``<= up_to_epoch``, in epoch order, thinned to
        ``max_frames``."""
        numbered = []
        for path in glob.glob(os.path.join(glob.escape(self.samples_dir), "epoch_*.png")):
            match = _FRAME.search(os.path.basename(path))
            if match and int(match.group(1)) <= up_to_epoch:
                numbered.append((int(match.group(1)), path))
        paths = [p for _, p in sorted(numbered)]
        if len(paths) > self.max_frames:
            keep = np.round(np.linspace(0, len(paths) - 1, self.max_frames)).astype(int)
            paths = [paths[i] for i in np.unique(keep)]
        return paths

    def _frame(self, path: str) -> Image.Image | None:
        try:
            stat = os.stat(path)
            key = (stat.st_mtime_ns, stat.st_size)
            cached = self._frames.get(path)
            if cached is None or cached[0] != key:
                with Image.open(path) as image:
                    cached = (key, image.convert("RGB"))
                self._frames[path] = cached
            return cached[1]
        except (OSError, ValueError) as error:
            warnings.warn(f"Skipping unreadable frame {path} in {self.ANIMATION}: {error}")
            return None

    def write_animation(self, up_to_epoch: int) -> str | None:
        """Writes ``progress.gif`` of the pictures up to ``up_to_epoch``; returns its path, or
        ``None`` when there is no picture yet."""
        paths = self.frame_paths(up_to_epoch)
        self._frames = {p: v for p, v in self._frames.items() if p in set(paths)}
        frames = [f for f in map(self._frame, paths) if f is not None]
        if not frames:
            return None
        size = frames[-1].size
        frames = [f if f.size == size else f.resize(
            size, Image.Resampling.NEAREST if f.size[0] < size[0] else Image.Resampling.LANCZOS)
            for f in frames]
        durations = [self.frame_ms] * (len(frames) - 1) + [4 * self.frame_ms]

        def write(temporary):
            frames[0].save(temporary, format="GIF", save_all=True, append_images=frames[1:],
                           duration=durations, loop=0)

        return write_atomically(self.path(self.ANIMATION), write)


class EpochLogs(keras.callbacks.Callback):
    """Adds the scheme's :meth:`~tfgan_kit.models.AdversarialModel.epoch_logs` (e.g. ZAQ's held-out
    accuracy, PGGAN's resolution) to each epoch's logs, for the callbacks after it."""

    def on_epoch_end(self, epoch: int, logs=None):
        if logs is not None:
            logs.update(self.model.epoch_logs())


class NaNGuard(keras.callbacks.Callback):
    """Stops training as soon as a logged value is NaN or infinite, keeping saved work intact.

    It raises :class:`NonFiniteLossError` from the batch (every ``check_every`` batches) or epoch
    end where the bad value appears. Because it raises before any later callback's
    ``on_epoch_end`` runs, no checkpoint, sample or final model of the diverged state is written:
    the checkpoint of the last good epoch is what a restart resumes from. (Logs are running means,
    so a NaN at any step of the epoch is still visible at the epoch's end.) Put it first in the
    callback list.

    Args:
        check_every: batches between checks (each check syncs with the device). Defaults to `50`.
    """

    def __init__(self, check_every: int = 50):
        super().__init__()
        self.check_every = check_every

    @staticmethod
    def _check(logs, where: str) -> None:
        for name, value in (logs or {}).items():
            array = np.asarray(value, dtype=np.float64)
            if array.size and not np.all(np.isfinite(array)):
                raise NonFiniteLossError(
                    f"Training stopped: `{name}` became {float(array.ravel()[0])} at {where}; "
                    "the last good checkpoint is kept. Lower the learning rate (or enable loss "
                    "scaling) and rerun with the same --workdir to resume from it."
                )

    def on_train_batch_end(self, batch: int, logs=None):
        if (batch + 1) % self.check_every == 0:
            self._check(logs, f"batch {batch + 1}")

    def on_epoch_end(self, epoch: int, logs=None):
        self._check(logs, f"the end of epoch {epoch + 1}")


__all__ = [
    "EpochLogs",
    "COVERAGE_KEYS",
    "ModeCoverageLog",
    "NaNGuard",
    "NonFiniteLossError",
    "ProgressFigures",
    "SampleGrid",
]
