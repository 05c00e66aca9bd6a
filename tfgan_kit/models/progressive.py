"""Progressive GAN (Karras et al. 2018): WGAN-GP + drift, growing 4x4 -> final inside ``fit``.

Each ``train_step`` is one iteration of the paper's training loop at the current phase:

1. read the phase from the images-shown counter: level (resolution ``4 * 2^level``), fading or
   not, and alpha (rising linearly over the fade-in); write alpha into the nets' FadeIn variables;
2. show real images at the current resolution: box-downsampled from the data resolution and,
   during a fade-in, blended with their 2x down-up version by alpha (official ``process_reals``);
3. one critic update on ``E[D(G(z))] - E[D(x)] + lambda * GP + epsilon_drift * E[D(x)^2]``
   (lambda 10, target 1, epsilon_drift 0.001; appendix A.1), or least squares;
4. one generator update on ``-E[D(G(z))]``; then the EMA generator (decay 0.999) is updated and
   the images-shown counter advances by the global batch.

Growth without rebuilding: the nets hold every resolution's layers from the start (the official
code's "recursive" structure); the Python level selects the path, so each (level, fading) pair is
traced once and ``make_train_function`` installs a dispatcher that picks the step function of
the current phase before every call (Keras' ``fit`` reads ``model.train_function`` each step).
The counter, the level and the alpha variables are model weights, so a checkpoint resumed
mid-phase continues at the same resolution, alpha and count. With ``steps_per_execution = k``
the phase is chosen once per execution, so a new resolution can start up to k - 1 steps late
(alpha is clipped to 1 meanwhile).

Reference: Karras et al., "Progressive Growing of GANs for Improved Quality, Stability, and
Variation", ICLR 2018, sections 3-4 and appendix A.1 (https://arxiv.org/abs/1710.10196);
Gulrajani et al. 2017, Algorithm 1 (WGAN-GP).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from tfgan_kit.losses.penalties import drift_penalty, gradient_penalty
from tfgan_kit.losses.wasserstein import wasserstein_discriminator_loss, wasserstein_generator_loss
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.growth import GrowthSchedule
from tfgan_kit.nets.progressive import ProgressiveDiscriminator, ProgressiveGenerator
from tfgan_kit.optimizers import compile_scheme, inner_optimizer
from tfgan_kit.registry import register_scheme
from tfgan_kit.types import Endpoint

LOSSES = ("wgan_gp", "lsgan")


def _upsample(images, factor: int):
    return tf.repeat(tf.repeat(images, factor, axis=1), factor, axis=2) if factor > 1 else images


def _downsample(images, factor: int):
    return tf.nn.avg_pool2d(images, factor, factor, "VALID") if factor > 1 else images


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ProgressiveGAN(AdversarialModel):
    """Karras et al. 2018: progressive growing with fade-in, WGAN-GP + drift, EMA generator.

    Compile with the paper's optimizers: ``keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99,
    epsilon=1e-8)`` for each net. Feed batches of real images at the final resolution in [-1, 1];
    the step shows them at the current resolution. Logs: ``d_loss``, ``g_loss``,
    ``gradient_penalty``, ``drift`` (epoch means) and the instantaneous ``alpha``,
    ``resolution`` and ``images_shown``.

    Args:
        generator: a :class:`ProgressiveGenerator`.
        discriminator: a :class:`ProgressiveDiscriminator` of the same resolution.
        latent_dim: width of z (the generator's).
        schedule: the :class:`GrowthSchedule` (phase lengths in images, batch sizes, resets).
        loss: ``"wgan_gp"`` (paper) or ``"lsgan"`` (Mao et al. 2017). Defaults to `"wgan_gp"`.
        gradient_penalty_weight: lambda. Defaults to `10.0`.
        drift_weight: epsilon_drift on ``E[D(x)^2]`` (WGAN-GP only). Defaults to `0.001`.
        ema_decay: decay of the generator's moving average used by :meth:`generate`.
            Defaults to `0.999`.
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for nets of the wrong type or resolution, an unknown loss, or a decay
            outside [0, 1).
    """

    paper = ('Karras et al. 2018, "Progressive Growing of GANs for Improved Quality, Stability, '
             'and Variation"')
    log_names = ("d_loss", "g_loss", "gradient_penalty", "drift")

    def __init__(
        self,
        generator: ProgressiveGenerator,
        discriminator: ProgressiveDiscriminator,
        latent_dim: int,
        schedule: GrowthSchedule,
        loss: str = "wgan_gp",
        gradient_penalty_weight: float = 10.0,
        drift_weight: float = 1e-3,
        ema_decay: float = 0.999,
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if isinstance(schedule, dict):
            schedule = GrowthSchedule.from_config(schedule)
        self._check_parts(generator, discriminator, latent_dim, schedule, loss, ema_decay)
        self.schedule = schedule
        self.loss = loss
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.drift_weight = float(drift_weight)
        self.ema_decay = float(ema_decay)
        self._critic_loss = (self._least_squares_critic_loss if loss == "lsgan"
                             else self._wasserstein_critic_loss)
        self._generator_loss = (least_squares_generator_loss if loss == "lsgan"
                                else wasserstein_generator_loss)
        self.generator_ema = ProgressiveGenerator.from_config(
            {**generator.get_config(), "name": "generator_ema"}
        )
        self.generator_ema.set_weights(generator.get_weights())
        self._ema_pairs = list(zip(self.generator_ema.trainable_weights,
                                   generator.trainable_weights))
        self.generator_ema.trainable = False
        state = dict(shape=(), trainable=False, aggregation="only_first_replica")
        self.images_shown = self.add_weight(name="images_shown", dtype="int64",
                                            initializer="zeros", **state)
        self.level = self.add_weight(name="level", dtype="int32", initializer="zeros", **state)
        self._phase = (0, False)

    @staticmethod
    def _check_parts(generator, discriminator, latent_dim, schedule, loss, ema_decay):
        if not isinstance(generator, ProgressiveGenerator) or not isinstance(
            discriminator, ProgressiveDiscriminator
        ):
            raise UserError(
                "ProgressiveGAN needs a ProgressiveGenerator and a ProgressiveDiscriminator "
                f"(tfgan_kit.nets.progressive). Received: {type(generator).__name__}, "
                f"{type(discriminator).__name__}"
            )
        sizes = {generator.resolution, discriminator.resolution, schedule.final_resolution}
        if len(sizes) != 1 or generator.latent_dim != latent_dim:
            raise UserError(
                f"Generator, discriminator and schedule must share one final resolution and the "
                f"generator must take latent_dim={latent_dim}. Received: resolutions "
                f"{generator.resolution}, {discriminator.resolution}, "
                f"{schedule.final_resolution}; generator latent_dim={generator.latent_dim}"
            )
        if loss not in LOSSES:
            raise UserError(f"`loss` must be one of {LOSSES}. Received: loss={loss!r}")
        if not 0.0 <= ema_decay < 1.0:
            raise UserError(f"`ema_decay` must be in [0, 1). Received: ema_decay={ema_decay}")

    # ---------------------------------------------------------------- growth dispatch
    def make_train_function(self, force: bool = False):
        """Installs a dispatcher running the step function traced for the current phase."""
        if self.train_function is not None and not force:
            return self.train_function
        step_functions = {}

        def train_function(iterator):
            key = self._enter_phase()
            if key not in step_functions:
                keras.Model.make_train_function(self, force=True)
                step_functions[key] = self.train_function
                self.train_function = train_function
            return step_functions[key](iterator)

        self.train_function = train_function
        return train_function

    def _enter_phase(self) -> tuple[int, bool]:
        """Reads the phase from ``images_shown``; resets the optimizers at a new resolution.

        The level of the last step trained is the checkpointed ``level`` variable, so a run
        resumed exactly at a level boundary resets the optimizers as the straight run does.
        """
        shown = int(self.images_shown.numpy())
        phase = self.schedule.phase(shown)
        if shown > 0 and phase.level != int(self.level.numpy()) and self.schedule.reset_optimizers:
            for optimizer in self.optimizers.values():
                reset_optimizer_state(optimizer)
        self.level.assign(phase.level)
        self._phase = (phase.level, phase.fading)
        return self._phase

    # ------------------------------------------------------------------- train step
    def train_step(self, data):
        """One critic and one generator update at the current (level, fading) phase."""
        level, fading = self._phase
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        alpha = self.schedule.alpha(self.images_shown, level) if fading else tf.constant(1.0)
        for net in (self.generator, self.discriminator, self.generator_ema):
            net.alpha.assign(alpha)
        reals = self._reals(self.real_images(data), level, fading, alpha, replicas)
        batch = reals.shape[0]
        z_d = self.noise(batch, stream=0)
        mix = self.draw(1, batch, distribution="uniform")  # WGAN-GP's epsilon ~ U[0, 1]

        def generate(z):
            return self.generator(z, level=level, fade_in=fading, training=True)

        def critic(images):
            return self.discriminator(images, fade_in=fading, training=True)

        d_loss, penalty, drift = self.optimize(
            "d", lambda: self._critic_loss(critic, reals, generate(z_d), mix),
            self.discriminator.active_variables(level, fading))
        z_g = self.noise(batch, stream=2)
        g_loss = self.optimize("g", lambda: self._generator_loss(critic(generate(z_g))),
                               self.generator.active_variables(level, fading))
        for ema, weight in self._ema_pairs:
            ema.assign(weight + self.ema_decay * (ema - weight))
        self.images_shown.assign_add(tf.constant(batch * replicas, tf.int64))
        logs = self.record(d_loss=d_loss, g_loss=g_loss, gradient_penalty=penalty, drift=drift)
        shape = logs["d_loss"].shape
        state = {"alpha": alpha, "resolution": tf.constant(4.0 * 2**level),
                 "images_shown": tf.cast(self.images_shown, tf.float32)}
        return {**logs, **{k: tf.reshape(tf.cast(v, tf.float32), shape) for k, v in state.items()}}

    def _wasserstein_critic_loss(self, critic, reals, fakes, mix):
        """WGAN-GP critic loss + drift (appendix A.1); returns (loss, penalty, drift)."""
        real_scores, fake_scores = critic(reals), critic(fakes)
        penalty = gradient_penalty(critic, reals, fakes, mix)
        drift = drift_penalty(real_scores)
        loss = (wasserstein_discriminator_loss(real_scores, fake_scores)
                + self.gradient_penalty_weight * penalty + self.drift_weight * drift)
        return loss, penalty, drift

    @staticmethod
    def _least_squares_critic_loss(critic, reals, fakes, mix):
        """LSGAN discriminator loss (Mao et al. 2017); no penalty or drift terms."""
        del mix
        zero = tf.constant(0.0)
        return least_squares_discriminator_loss(critic(reals), critic(fakes)), zero, zero

    def _reals(self, images, level: int, fading: bool, alpha, replicas: int):
        """Real images at the current resolution, blended with their down-up version by alpha."""
        final = self.schedule.final_resolution
        if images.shape[1] != final or images.shape[2] != final:
            raise UserError(
                f"ProgressiveGAN takes real images at the final resolution {final}x{final}. "
                f"Received: batch of shape {tuple(images.shape)}"
            )
        available = images.shape[0]
        if available is None:
            raise UserError(
                "ProgressiveGAN needs batches of a fixed size (minibatch stddev groups and the "
                "batch-size schedule): batch the dataset with drop_remainder=True."
            )
        batch = self.schedule.batch_size(level, available * replicas) // replicas
        if batch > available or batch < 1:
            raise UserError(
                f"The batch size schedule asks for {batch} images per replica at "
                f"{4 * 2**level}x{4 * 2**level}, but the data batch holds {available}: use a "
                "fixed data batch at least as large as every scheduled batch size."
            )
        reals = _downsample(tf.cast(images[:batch], tf.float32), final // (4 * 2**level))
        if fading and level > 0:
            coarse = _upsample(_downsample(reals, 2), 2)
            reals = coarse + (reals - coarse) * alpha
        return reals

    # -------------------------------------------------------------------- sampling
    def generate(self, z, labels=None, training: bool = False, resolution: int | None = None):
        """EMA generator samples in [-1, 1] at ``resolution`` (``None`` = final), alpha = 1.

        Args:
            z: float32 ``[batch, latent_dim]``.
            labels: must be ``None`` (unconditional scheme).
            training: unused by the EMA generator (no batch statistics); kept for the API.
            resolution: 4, 8, ..., final; ``None`` for the final resolution.

        Raises:
            ValueError: for labels or a resolution that is not one of the grown sizes.
        """
        del training
        if labels is not None:
            raise UserError("ProgressiveGAN is unconditional: call generate(z) without `labels`.")
        level = None
        if resolution is not None:
            sizes = [4 * 2**k for k in range(self.schedule.num_levels)]
            if resolution not in sizes:
                raise UserError(
                    f"`resolution` must be one of {sizes}. Received: resolution={resolution}"
                )
            level = sizes.index(resolution)
        return tf.clip_by_value(self.generator_ema(z, level=level), -1.0, 1.0)

    def serving_endpoints(self, resolution: int | None = None) -> dict[str, Endpoint]:
        """``serving_default(z) -> {"images"}`` of the EMA generator at ``resolution``.

        Args:
            resolution: 4, 8, ..., final; ``None`` exports the final resolution (alpha = 1).
        """
        self.generate(tf.zeros((1, self.latent_dim)), resolution=resolution)  # checks it
        spec = tf.TensorSpec((None, self.latent_dim), tf.float32, name="z")
        return {"serving_default": Endpoint(
            fn=lambda z: {"images": self.generate(z, resolution=resolution)}, inputs={"z": spec})}

    @property
    def phase(self):
        """The :class:`GrowthPhase` after the images shown so far."""
        return self.schedule.phase(int(self.images_shown.numpy()))

    def epoch_logs(self) -> dict[str, float]:
        """``resolution`` and ``fade_in`` (1 while the newest level fades in, else 0) at the
        epoch's end: where the growth schedule stands."""
        phase = self.phase
        return {"resolution": float(phase.resolution), "fade_in": float(phase.fading)}

    def get_config(self) -> dict:
        """Adds the schedule and the loss settings to the base config."""
        return {
            **super().get_config(),
            "schedule": self.schedule.get_config(),
            "loss": self.loss,
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "drift_weight": self.drift_weight,
            "ema_decay": self.ema_decay,
        }


def reset_optimizer_state(optimizer: keras.optimizers.Optimizer) -> None:
    """Zeros an optimizer's moments and step count (keeps its learning rate).

    The step count is reset too, so Adam's bias correction starts afresh, as the official code's
    ``reset_optimizer_state`` does. Under loss scaling the inner optimizer is reset.

    Reference: Karras et al. 2018, official ``train.py`` (``reset_opt_for_new_lod``).
    """
    for variable in inner_optimizer(optimizer).variables:
        if variable.name != "learning_rate":
            variable.assign(tf.zeros_like(variable))


@register_scheme("pggan")
def build_pggan(config, spec):
    """Builds and compiles :class:`tfgan_kit.models.progressive.ProgressiveGAN` from a config.

    Reads ``config.model`` (nets: ``latent_dim``, ``fmap_base``, ``fmap_max``,
    ``mbstd_group_size``; scheme: ``loss``, ``gradient_penalty_weight``, ``drift_weight``,
    ``ema_decay``; schedule: ``stabilize_images``, ``fade_images``, ``batch_sizes``,
    ``reset_optimizers``), the data ``spec`` (square images: resolution and channels) and the
    optimizers of ``config.train``.
    """
    m = config.model
    if len(spec.sample_shape) != 3 or spec.sample_shape[0] != spec.sample_shape[1]:
        raise UserError(
            f"ProgressiveGAN trains on square images; the data holds samples of shape "
            f"{spec.sample_shape}: choose an image data set."
        )
    resolution, channels = spec.sample_shape[0], spec.sample_shape[-1]
    largest = max([int(v) for v in dict(m.batch_sizes or {}).values()], default=0)
    if largest > config.train.batch_size:
        raise UserError(
            f"config.model.batch_sizes asks for minibatches of {largest}, more than "
            f"config.train.batch_size={config.train.batch_size}: the data batch must hold the "
            "largest scheduled minibatch."
        )
    nets_args = dict(resolution=resolution, channels=channels, fmap_base=m.fmap_base,
                     fmap_max=m.fmap_max)
    generator = ProgressiveGenerator(latent_dim=m.latent_dim, **nets_args)
    discriminator = ProgressiveDiscriminator(mbstd_group_size=m.mbstd_group_size, **nets_args)
    schedule = GrowthSchedule(
        final_resolution=resolution,
        stabilize_images=m.stabilize_images,
        fade_images=m.fade_images,
        batch_sizes={int(k): int(v) for k, v in dict(m.batch_sizes).items()} if m.batch_sizes else None,
        reset_optimizers=m.reset_optimizers,
    )
    model = ProgressiveGAN(
        generator, discriminator, latent_dim=m.latent_dim, schedule=schedule, loss=m.loss,
        gradient_penalty_weight=m.gradient_penalty_weight, drift_weight=m.drift_weight,
        ema_decay=m.ema_decay, seed=config.seed,
    )
    return compile_scheme(model, config)
