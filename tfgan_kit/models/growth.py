"""Progressive growing schedule (Karras et al. 2018, section 3): phases, alpha, batch sizes.

Training is measured in real images shown to the discriminator. At 4x4 the nets train for
``stabilize_images``; then each new resolution first fades in over ``fade_images`` (alpha rises
linearly 0 -> 1) and is then stabilised for ``stabilize_images``; the final resolution trains
on for as long as ``fit`` runs. This is the official code's ``lod_training_kimg`` /
``lod_transition_kimg`` schedule (paper: 800k images each).

Reference: Karras et al. 2018, "Progressive Growing of GANs", section 3 and appendix A.1;
official ``train.py`` (``TrainingSchedule``). https://arxiv.org/abs/1710.10196
"""

from __future__ import annotations

import dataclasses
import math
from typing import Mapping

import tensorflow as tf

from tfgan_kit.errors import UserError


@dataclasses.dataclass(frozen=True)
class GrowthPhase:
    """Where a run stands: ``level`` (side ``4 * 2^level``), fading in or not, and alpha."""

    level: int
    fading: bool
    alpha: float

    @property
    def resolution(self) -> int:
        return 4 * 2**self.level


@dataclasses.dataclass(frozen=True)
class GrowthSchedule:
    """Fade-in / stabilisation phases in images shown, plus per-resolution batch sizes.

    Args:
        final_resolution: last resolution grown to (power of two >= 4).
        stabilize_images: images shown per stabilisation phase (and at 4x4). Paper: 800_000.
        fade_images: images shown while a new resolution fades in. Paper: 800_000.
        batch_sizes: optional ``{resolution: global batch size}``; resolutions not listed use the
            incoming data batch. Each must not exceed the data batch (the step uses the first
            ``batch_size`` images of each incoming batch).
        reset_optimizers: zero both optimizers' state (moments and step count) when a new
            resolution starts fading in, as the official code's ``reset_opt_for_new_lod``.

    Raises:
        ValueError: for a bad resolution, a non-positive phase length or batch size.
    """

    final_resolution: int
    stabilize_images: int = 800_000
    fade_images: int = 800_000
    batch_sizes: Mapping[int, int] | None = None
    reset_optimizers: bool = False

    def __post_init__(self):
        res = self.final_resolution
        if res < 4 or res & (res - 1):
            raise UserError(
                f"`final_resolution` must be a power of two >= 4. Received: final_resolution={res}"
            )
        for name in ("stabilize_images", "fade_images"):
            if getattr(self, name) < 1:
                raise UserError(
                    f"`{name}` must be a positive number of images. Received: "
                    f"{name}={getattr(self, name)}"
                )
        for key, value in dict(self.batch_sizes or {}).items():
            if int(key) not in {4 * 2**k for k in range(self.num_levels)} or int(value) < 1:
                raise UserError(
                    f"`batch_sizes` maps resolutions 4..{res} to positive batch sizes. "
                    f"Received: {key}: {value}"
                )

    @property
    def num_levels(self) -> int:
        return int(math.log2(self.final_resolution)) - 1

    def fade_start(self, level: int) -> int:
        """Images shown when ``level`` (>= 1) starts fading in."""
        return self.stabilize_images + (level - 1) * (self.stabilize_images + self.fade_images)

    def phase(self, images_shown: int) -> GrowthPhase:
        """The phase after ``images_shown`` real images (a pure function of the count)."""
        period = self.stabilize_images + self.fade_images
        index, within = divmod(int(images_shown), period)
        level, fading, alpha = index, False, 1.0
        if within >= self.stabilize_images:
            level, fading = index + 1, True
            alpha = (within - self.stabilize_images) / self.fade_images
        if level > self.num_levels - 1:  # grown to the final resolution: train on there
            return GrowthPhase(self.num_levels - 1, False, 1.0)
        return GrowthPhase(level, fading, alpha)

    def alpha(self, images_shown, level: int) -> tf.Tensor:
        """In-graph alpha of the fade-in of ``level``: ``clip((n - start) / fade_images, 0, 1)``."""
        progress = tf.cast(images_shown, tf.float64) - float(self.fade_start(level))
        return tf.cast(tf.clip_by_value(progress / self.fade_images, 0.0, 1.0), tf.float32)

    def steps_to_show(self, total_images: int, data_batch: int) -> int:
        """Train steps needed to show ``total_images`` with this schedule's batch sizes."""
        period = self.stabilize_images + self.fade_images
        shown = steps = 0
        while shown < total_images:
            index, within = divmod(shown, period)
            boundary = index * period + (
                self.stabilize_images if within < self.stabilize_images else period)
            if self.phase(shown).level == self.num_levels - 1 and not self.phase(shown).fading:
                boundary = total_images
            batch = self.batch_size(self.phase(shown).level, data_batch)
            count = -(-(min(boundary, total_images) - shown) // batch)
            steps, shown = steps + count, shown + count * batch
        return steps

    def batch_size(self, level: int, default: int) -> int:
        """Global batch size at ``level``: ``batch_sizes[resolution]`` or ``default``."""
        sizes = {int(k): int(v) for k, v in dict(self.batch_sizes or {}).items()}
        return sizes.get(4 * 2**level, int(default))

    def get_config(self) -> dict:
        """Plain-python fields, for ``get_config`` of the scheme."""
        config = dataclasses.asdict(self)
        config["batch_sizes"] = (
            None if self.batch_sizes is None else {str(k): int(v) for k, v in self.batch_sizes.items()}
        )
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> "GrowthSchedule":
        config = dict(config)
        if config.get("batch_sizes") is not None:
            config["batch_sizes"] = {int(k): int(v) for k, v in config["batch_sizes"].items()}
        return cls(**config)
