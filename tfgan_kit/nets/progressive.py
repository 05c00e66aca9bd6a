"""Progressive GAN generator and discriminator (Karras et al. 2018, table 2), built whole up front.

Every block, toRGB and fromRGB layer of every resolution exists from construction, so the set of
weights (and the optimizers' slots, and checkpoints) never changes while the nets grow. Which
blocks run is chosen per call by a Python ``level`` (0 = 4x4, k = 4 * 2^k pixels) and a
``fade_in`` flag; the fade-in weight alpha lives in each net's :class:`FadeIn` variable. A
training scheme traces one step function per (level, fade_in) and switches between them as the
images-shown counter crosses phase boundaries (see ``tfgan_kit.models.progressive``).

Reference: Karras et al. 2018, "Progressive Growing of GANs for Improved Quality, Stability, and
Variation", section 3, figure 2 and table 2 (appendix A). https://arxiv.org/abs/1710.10196
"""

from __future__ import annotations

import math

import keras
from keras import ops

from tfgan_kit.errors import UserError
from tfgan_kit.layers import (
    Downsample2D,
    EqualizedConv2D,
    EqualizedDense,
    FadeIn,
    MinibatchStdDev,
    PixelNorm,
    Upsample2D,
)

_LEAK = 0.2


def feature_maps(stage: int, fmap_base: int = 8192, fmap_max: int = 512) -> int:
    """Feature maps of a stage, ``nf(stage) = min(fmap_base / 2^stage, fmap_max)``.

    The block at resolution 4 * 2^k uses ``nf(k + 1)`` (official code: ``nf(log2(res) - 1)``).

    Reference:
        Karras et al. 2018, table 2; official code ``networks.py`` (``fmap_decay = 1``).
    """
    return min(int(fmap_base / (2.0**stage)), fmap_max)


def num_levels(resolution: int) -> int:
    """Number of resolutions 4, 8, ..., ``resolution``; raises for a non power of two >= 4."""
    if resolution < 4 or resolution & (resolution - 1):
        raise UserError(
            f"`resolution` must be a power of two >= 4 (4, 8, ..., 1024). "
            f"Received: resolution={resolution}"
        )
    return int(math.log2(resolution)) - 1


def _check_sizes(fmap_base: int, fmap_max: int, channels: int, levels: int) -> None:
    for name, value in (("fmap_base", fmap_base), ("fmap_max", fmap_max), ("channels", channels)):
        if value < 1:
            raise UserError(f"`{name}` must be a positive integer. Received: {name}={value}")
    if feature_maps(levels, fmap_base, fmap_max) < 1:
        raise UserError(
            f"`fmap_base` is too small: the last block would have no feature maps. Use "
            f"fmap_base >= {2**levels} for {levels} resolutions. Received: fmap_base={fmap_base}"
        )


def _lrelu(name: str) -> keras.layers.Layer:
    return keras.layers.LeakyReLU(negative_slope=_LEAK, name=name)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ProgressiveGenerator(keras.Model):
    """PGGAN generator: latent -> 4x4 block -> (upsample + 2 conv 3x3) per doubling -> toRGB.

    Each convolution is equalized-LR, followed by leaky ReLU 0.2 and PixelNorm; the latent is
    PixelNorm-ed first (optionally after concatenating one-hot labels). Images are linear (no
    tanh), as in the paper; the training range is [-1, 1].

    ``call(z, level=None, fade_in=False)`` returns images of side ``4 * 2^level`` (``None`` = the
    final resolution). With ``fade_in=True`` the output is
    ``lerp(upsample(toRGB_{level-1}(h_{level-1})), toRGB_level(h_level), alpha)`` with alpha read
    from :attr:`alpha`.

    Args:
        latent_dim: width of z. Defaults to `512`.
        resolution: final resolution (power of two >= 4). Defaults to `1024`.
        channels: image channels. Defaults to `3`.
        fmap_base: feature-map multiplier. Defaults to `8192`.
        fmap_max: feature-map cap. Defaults to `512`.
        num_classes: one-hot label width concatenated to z (0 = unconditional). Defaults to `0`.

    Reference:
        Karras et al. 2018, table 2 (generator) and section 4.2 (pixelwise normalisation).
    """

    def __init__(
        self,
        latent_dim: int = 512,
        resolution: int = 1024,
        channels: int = 3,
        fmap_base: int = 8192,
        fmap_max: int = 512,
        num_classes: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.levels = num_levels(resolution)
        _check_sizes(fmap_base, fmap_max, channels, self.levels)
        if latent_dim < 1 or num_classes < 0:
            raise UserError(
                f"`latent_dim` must be positive and `num_classes` non-negative. "
                f"Received: latent_dim={latent_dim}, num_classes={num_classes}"
            )
        self.latent_dim, self.resolution, self.channels = latent_dim, resolution, channels
        self.fmap_base, self.fmap_max, self.num_classes = fmap_base, fmap_max, num_classes
        self.blocks = [self._block(level) for level in range(self.levels)]
        self.to_rgb = [
            EqualizedConv2D(channels, 1, gain=1.0, dtype="float32", name=f"to_rgb_{4 * 2**level}")
            for level in range(self.levels)
        ]
        # float32 from the RGB outputs on (mixed precision): the images are the net's output.
        self.upsample = Upsample2D(2, dtype="float32", name="upsample")
        self.fade = FadeIn(dtype="float32", name="fade_in")
        self.build((None, latent_dim))

    def _block(self, level: int) -> keras.Sequential:
        res = 4 * 2**level
        nf = feature_maps(level + 1, self.fmap_base, self.fmap_max)
        if level == 0:
            layers = [
                PixelNorm(name="latent_norm"),
                EqualizedDense(nf * 16, gain=math.sqrt(2.0) / 4, name="dense"),
                keras.layers.Reshape((4, 4, nf)),
            ]
        else:
            layers = [Upsample2D(2), EqualizedConv2D(nf, 3, name="conv0")]
        layers += [_lrelu("act0"), PixelNorm(name="norm0"), EqualizedConv2D(nf, 3, name="conv1"),
                   _lrelu("act1"), PixelNorm(name="norm1")]
        return keras.Sequential(layers, name=f"block_{res}x{res}")

    def build(self, input_shape):
        h = keras.KerasTensor((None, self.latent_dim + self.num_classes))
        for block, to_rgb in zip(self.blocks, self.to_rgb):
            h = block(h)
            to_rgb(h)
        images = self.upsample(keras.KerasTensor((None, 4, 4, self.channels)))
        self.fade([images, images])
        self.built = True  # every sub-layer too (fit's symbolic build under tf.distribute)

    @property
    def alpha(self):
        """The fade-in weight variable of the newest block."""
        return self.fade.alpha

    def active_variables(self, level: int, fade_in: bool) -> list:
        """Trainable variables that ``call(z, level=level, fade_in=fade_in)`` uses."""
        layers = self.blocks[: level + 1] + [self.to_rgb[level]]
        if fade_in and level > 0:
            layers.append(self.to_rgb[level - 1])
        return [v for layer in layers for v in layer.trainable_variables]

    def call(self, z, labels=None, level: int | None = None, fade_in: bool = False):
        level = self.levels - 1 if level is None else level
        if not 0 <= level < self.levels:
            raise UserError(
                f"`level` must be in [0, {self.levels - 1}] for resolution {self.resolution}. "
                f"Received: level={level}"
            )
        if (labels is None) != (self.num_classes == 0):
            raise UserError(
                f"Pass `labels` exactly when num_classes > 0 (num_classes={self.num_classes})."
            )
        h = z
        if labels is not None:
            h = ops.concatenate([z, ops.one_hot(labels, self.num_classes, dtype=z.dtype)], -1)
        previous = None
        for block in self.blocks[: level + 1]:
            previous, h = h, block(h)
        images = self.to_rgb[level](h)
        if fade_in and level > 0:
            images = self.fade([self.upsample(self.to_rgb[level - 1](previous)), images])
        return images

    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "resolution": self.resolution,
            "channels": self.channels,
            "fmap_base": self.fmap_base,
            "fmap_max": self.fmap_max,
            "num_classes": self.num_classes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ProgressiveDiscriminator(keras.Model):
    """PGGAN discriminator: fromRGB -> (2 conv 3x3 + downsample) per halving -> 4x4 block.

    The 4x4 block is MinibatchStdDev, conv 3x3, dense, dense -> 1 (+ ``num_classes`` label
    logits). All layers are equalized-LR with leaky ReLU 0.2 and no normalisation.

    ``call(images, fade_in=False)`` takes images of side ``4 * 2^level`` (the level is read from
    the static shape). With ``fade_in=True`` the input of the level-1 blocks is
    ``lerp(fromRGB_{level-1}(downsample(images)), block_level(fromRGB_level(images)), alpha)``.

    Args:
        resolution: final resolution (power of two >= 4). Defaults to `1024`.
        channels: image channels. Defaults to `3`.
        fmap_base: feature-map multiplier. Defaults to `8192`.
        fmap_max: feature-map cap. Defaults to `512`.
        mbstd_group_size: MinibatchStdDev group (0 or 1 disables it). Defaults to `4`.
        num_classes: extra label logits (AC-GAN style), 0 = none. Defaults to `0`.

    Reference:
        Karras et al. 2018, table 2 (discriminator) and section 3 (minibatch standard deviation).
    """

    def __init__(
        self,
        resolution: int = 1024,
        channels: int = 3,
        fmap_base: int = 8192,
        fmap_max: int = 512,
        mbstd_group_size: int = 4,
        num_classes: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.levels = num_levels(resolution)
        _check_sizes(fmap_base, fmap_max, channels, self.levels)
        if mbstd_group_size < 0 or num_classes < 0:
            raise UserError(
                f"`mbstd_group_size` and `num_classes` must be non-negative. Received: "
                f"mbstd_group_size={mbstd_group_size}, num_classes={num_classes}"
            )
        self.resolution, self.channels = resolution, channels
        self.fmap_base, self.fmap_max = fmap_base, fmap_max
        self.mbstd_group_size, self.num_classes = mbstd_group_size, num_classes
        nf = lambda stage: feature_maps(stage, fmap_base, fmap_max)  # noqa: E731
        self.from_rgb = [
            keras.Sequential(
                [EqualizedConv2D(nf(level + 1), 1, name="conv"), _lrelu("act")],
                name=f"from_rgb_{4 * 2**level}",
            )
            for level in range(self.levels)
        ]
        self.blocks = [self._block(level, nf) for level in range(self.levels)]
        self.downsample = Downsample2D(2, name="downsample")
        self.fade = FadeIn(name="fade_in")
        self.build((None, resolution, resolution, channels))

    def _block(self, level: int, nf) -> keras.Sequential:
        res = 4 * 2**level
        if level == 0:
            layers = [MinibatchStdDev(self.mbstd_group_size)] if self.mbstd_group_size > 1 else []
            layers += [
                EqualizedConv2D(nf(1), 3, name="conv"), _lrelu("act0"), keras.layers.Flatten(),
                EqualizedDense(nf(0), name="dense0"), _lrelu("act1"),
                EqualizedDense(1 + self.num_classes, gain=1.0, dtype="float32", name="dense1"),
            ]
        else:
            layers = [
                EqualizedConv2D(nf(level + 1), 3, name="conv0"), _lrelu("act0"),
                EqualizedConv2D(nf(level), 3, name="conv1"), _lrelu("act1"),
                Downsample2D(2),
            ]
        return keras.Sequential(layers, name=f"block_{res}x{res}")

    def build(self, input_shape):
        for level in range(self.levels):
            res = 4 * 2**level
            h = self.from_rgb[level](keras.KerasTensor((None, res, res, self.channels)))
            self.blocks[level](h)
        self.downsample(keras.KerasTensor((None, 8, 8, self.channels)))
        features = keras.KerasTensor((None, 4, 4, feature_maps(1, self.fmap_base, self.fmap_max)))
        self.fade([features, features])
        self.built = True  # every sub-layer too (fit's symbolic build under tf.distribute)

    @property
    def alpha(self):
        """The fade-in weight variable of the newest block."""
        return self.fade.alpha

    def active_variables(self, level: int, fade_in: bool) -> list:
        """Trainable variables that ``call`` uses on images of side ``4 * 2^level``."""
        layers = self.blocks[: level + 1] + [self.from_rgb[level]]
        if fade_in and level > 0:
            layers.append(self.from_rgb[level - 1])
        return [v for layer in layers for v in layer.trainable_variables]

    def level_of(self, images) -> int:
        """The level whose resolution matches the images' static side; raises otherwise."""
        side = images.shape[1]
        if side is None or side != images.shape[2] or side not in {4 * 2**k for k in range(self.levels)}:
            raise UserError(
                f"ProgressiveDiscriminator takes square images of side 4, 8, ..., "
                f"{self.resolution}. Received: images of shape {tuple(images.shape)}"
            )
        return int(math.log2(side)) - 2

    def call(self, images, fade_in: bool = False):
        level = self.level_of(images)
        h = self.from_rgb[level](images)
        if level > 0:
            h = self.blocks[level](h)
            if fade_in:
                old = self.from_rgb[level - 1](self.downsample(images))
                h = self.fade([old, h])
        for block in reversed(self.blocks[1:level]):
            h = block(h)
        return self.blocks[0](h)

    def get_config(self):
        return {
            **super().get_config(),
            "resolution": self.resolution,
            "channels": self.channels,
            "fmap_base": self.fmap_base,
            "fmap_max": self.fmap_max,
            "mbstd_group_size": self.mbstd_group_size,
            "num_classes": self.num_classes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
