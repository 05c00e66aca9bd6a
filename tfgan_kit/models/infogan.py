"""InfoGAN (Chen et al. 2016): a GAN whose latent codes a Q head can read back from the samples.

G's input is incompressible noise ``z ~ N(0, I)`` and codes ``c``: categorical codes, uniform over
their K values (one-hot in G's input), and continuous codes ``~ U[-1, 1]``. Q shares D's body and
outputs a categorical distribution per categorical code and a factored Gaussian over the
continuous codes. With the GAN value ``V(D, G)`` and the variational bound
``L_I(G, Q) = E[log Q(c | G(z, c))] + H(c)`` (Eq. 5; :func:`tfgan_kit.losses.
infogan_mutual_information`), the objective is ``min_{G, Q} max_D V(D, G) - lambda L_I(G, Q)``
(Eq. 6), lambda 1 for categorical codes and 0.1 for continuous ones. As in the authors' code,
one optimizer trains D and Q (they share the body) down ``-V - lambda L_I`` on each step's
generated samples, the other trains G down the non-saturating ``-log D(G(z, c)) - lambda L_I``.

Reference:
    Chen, Duan, Houthooft, Schulman, Sutskever, Abbeel, "InfoGAN: Interpretable Representation
    Learning by Information Maximizing Generative Adversarial Nets", NeurIPS 2016, Eq. 1, 5, 6 and
    Section 7 (https://arxiv.org/abs/1606.03657).
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses import (
    infogan_mutual_information,
    minimax_discriminator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.nets.infogan import check_codes
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme
from tfgan_kit.types import Endpoint, Picture

__all__ = ["InfoGAN"]


@keras.saving.register_keras_serializable(package="tfgan_kit")
class InfoGAN(AdversarialModel):
    """InfoGAN (Chen et al. 2016, Eq. 6): ``min_{G,Q} max_D V(D, G) - lambda L_I(G, Q)``.

    Each step: one D+Q update descending ``-V - lambda L_I`` (the real minibatch against
    ``G(z, c)`` with fresh ``z`` and codes), then one G update descending
    ``-log D(G(z, c)) - lambda L_I`` on fresh draws, with ``lambda L_I = lambda_categorical *
    L_I(categorical) + lambda_continuous * L_I(continuous)``. Logs ``d_loss`` and ``g_loss`` (the
    GAN terms) and ``mi_categorical`` / ``mi_continuous`` (the two parts of L_I on the G step's
    samples; the categorical part reaches ``sum_i log K_i`` when Q reads the codes exactly).

    Args:
        generator: ``[batch, latent_dim + sum K_i + C] -> samples`` (noise, one-hot categorical
            codes, continuous codes, concatenated in that order).
        discriminator: ``samples -> {"source", "categorical", "continuous"(,
            "continuous_log_std")}`` (see :mod:`tfgan_kit.nets.infogan`).
        latent_dim: width of the noise ``z``. Chen et al. use 62 on MNIST.
        categorical_codes: cardinality of each categorical code. Defaults to `(10,)`.
        continuous_codes: number of continuous codes ``~ U[-1, 1]``. Defaults to `2`.
        lambda_categorical: weight of the categorical part of L_I. Defaults to `1.0`.
        lambda_continuous: weight of the continuous part. Defaults to `0.1`.
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for bad codes, negative weights, or nets whose widths do not match the codes.
    """

    paper = ('Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by Information '
             'Maximizing Generative Adversarial Nets", Eq. 6')
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "mi_categorical", "mi_continuous")
    #: Draw streams: the D step's draws start at 0, the G step's at 512; within a step, z uses
    #: the first stream, categorical code i the next ones, the continuous codes the last.
    G_STREAMS = 512

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int,
                 categorical_codes: Sequence[int] = (10,), continuous_codes: int = 2,
                 lambda_categorical: float = 1.0, lambda_continuous: float = 0.1,
                 seed: int = 0, **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        self.categorical_codes = check_codes(categorical_codes, continuous_codes)
        self.continuous_codes = int(continuous_codes)
        for name, value in (("lambda_categorical", lambda_categorical),
                            ("lambda_continuous", lambda_continuous)):
            if not value >= 0:
                raise UserError(f"`{name}` must be >= 0. Received: {name}={value!r}")
        self.lambda_categorical = float(lambda_categorical)
        self.lambda_continuous = float(lambda_continuous)
        self._check_widths()

    def _check_widths(self) -> None:
        width = self.latent_dim + sum(self.categorical_codes) + self.continuous_codes
        g_width = self.generator.inputs[0].shape[-1]
        if g_width != width:
            raise UserError(
                f"The generator takes inputs of width {g_width}, but z ({self.latent_dim}) plus "
                f"the one-hot categorical codes {self.categorical_codes} and "
                f"{self.continuous_codes} continuous codes make {width}: build it for {width}."
            )
        expected = {"source": 1}
        if self.categorical_codes:
            expected["categorical"] = sum(self.categorical_codes)
        if self.continuous_codes:
            expected["continuous"] = self.continuous_codes
        outputs = self.discriminator.output
        shapes = ({k: v.shape[-1] for k, v in outputs.items()} if isinstance(outputs, dict)
                  else None)
        if shapes is None or any(shapes.get(k) != w for k, w in expected.items()):
            raise UserError(
                f"The InfoGAN discriminator must output a dict with widths {expected} (plus an "
                f"optional 'continuous_log_std'), e.g. tfgan_kit.nets.infogan."
                f"infogan_discriminator. Received: {shapes}"
            )

    # ----------------------------------------------------------------------------- codes
    def draw_codes(self, batch_size, first_stream: int):
        """Fresh ``(z, categorical int32 [batch, n_cat], continuous float32 [batch, C])``."""
        z = self.noise(batch_size, stream=first_stream)
        categorical = [self.draw(first_stream + 1 + i, batch_size, distribution="categorical",
                                 num_classes=k) for i, k in enumerate(self.categorical_codes)]
        categorical = (tf.stack(categorical, axis=1) if categorical
                       else tf.zeros([batch_size, 0], tf.int32))
        continuous = self.draw(first_stream + 1 + len(self.categorical_codes), batch_size,
                               (self.continuous_codes,), distribution="uniform", minval=-1.0,
                               maxval=1.0)
        return z, categorical, continuous

    def latent(self, z, categorical, continuous) -> tf.Tensor:
        """G's input ``[z, one_hot(c_1), ..., one_hot(c_n), continuous]``."""
        parts = [tf.cast(z, tf.float32)]
        categorical = tf.cast(categorical, tf.int32)
        for i, k in enumerate(self.categorical_codes):
            parts.append(tf.one_hot(categorical[:, i], k, dtype=tf.float32))
        parts.append(tf.reshape(tf.cast(continuous, tf.float32), [-1, self.continuous_codes]))
        return tf.concat(parts, axis=1)

    def mutual_information(self, outputs, categorical, continuous):
        """:func:`tfgan_kit.losses.infogan_mutual_information` of D's Q outputs and the codes."""
        logits, codes = None, None
        if self.categorical_codes:
            logits = tf.split(outputs["categorical"], list(self.categorical_codes), axis=-1)
            codes = [categorical[:, i] for i in range(len(self.categorical_codes))]
        mean = outputs.get("continuous") if self.continuous_codes else None
        return infogan_mutual_information(
            categorical_logits=logits, categorical_codes=codes, continuous_mean=mean,
            continuous_log_std=outputs.get("continuous_log_std"),
            continuous_codes=continuous if self.continuous_codes else None)

    def weighted_information(self, information) -> tf.Tensor:
        """``lambda L_I`` with the categorical and continuous weights."""
        return (self.lambda_categorical * information.categorical
                + self.lambda_continuous * information.continuous)

    # -------------------------------------------------------------------------- training
    def train_step(self, data):
        """Eq. 6: a D+Q update down ``-V - lambda L_I``, then a G update down
        ``-log D(G(z, c)) - lambda L_I``."""
        real = self.real_images(data)
        batch = tf.shape(real)[0]
        d_codes = self.draw_codes(batch, 0)
        g_codes = self.draw_codes(batch, self.G_STREAMS)

        def d_objective():
            fake = self.generator(self.latent(*d_codes), training=True)
            real_out = self.discriminator(real, training=True)
            fake_out = self.discriminator(fake, training=True)
            value = minimax_discriminator_loss(real_out["source"], fake_out["source"])
            information = self.mutual_information(fake_out, d_codes[1], d_codes[2])
            return value - self.weighted_information(information), value

        def g_objective():
            fake_out = self.discriminator(self.generator(self.latent(*g_codes), training=True),
                                          training=True)
            value = non_saturating_generator_loss(fake_out["source"])
            information = self.mutual_information(fake_out, g_codes[1], g_codes[2])
            return value - self.weighted_information(information), value, information

        _, d_value = self.optimize("d", d_objective)
        _, g_value, information = self.optimize("g", g_objective)
        return self.record(d_loss=d_value, g_loss=g_value,
                           mi_categorical=information.categorical,
                           mi_continuous=information.continuous)

    # -------------------------------------------------------------------------- sampling
    def generate(self, z, labels=None, training: bool = False, categorical=None,
                 continuous=None) -> tf.Tensor:
        """``G(z, c)`` from noise ``z [n, latent_dim]``, ``categorical`` int ``[n, n_cat]`` and
        ``continuous`` float ``[n, C]``.

        Raises:
            ValueError: for ``labels`` (InfoGAN's codes are not class labels) or missing codes.
        """
        if labels is not None:
            raise UserError("InfoGAN takes codes, not labels: call generate(z, categorical=..., "
                            "continuous=...).")
        z = tf.cast(z, tf.float32)
        n = tf.shape(z)[0]
        if categorical is None and self.categorical_codes:
            raise UserError(f"Pass `categorical`: int codes [batch, {len(self.categorical_codes)}]"
                            f" with values below {self.categorical_codes}.")
        if continuous is None and self.continuous_codes:
            raise UserError(f"Pass `continuous`: float codes [batch, {self.continuous_codes}] in "
                            "[-1, 1].")
        categorical = (tf.zeros([n, 0], tf.int32) if categorical is None
                       else tf.reshape(tf.cast(categorical, tf.int32),
                                       [-1, len(self.categorical_codes)]))
        continuous = tf.zeros([n, 0]) if continuous is None else continuous
        return self.generator(self.latent(z, categorical, continuous), training=training)

    def call(self, z, training: bool = False) -> tf.Tensor:
        """Not defined for InfoGAN: its generator needs codes (use :meth:`generate`)."""
        raise UserError("InfoGAN needs codes: call model.generate(z, categorical=..., "
                        "continuous=...).")

    def _checked_categorical(self, z, categorical):
        checks = [tf.debugging.assert_equal(tf.shape(categorical)[0], tf.shape(z)[0],
                                            message="`z` and the codes must have the same batch "
                                                    "size")]
        for i, k in enumerate(self.categorical_codes):
            message = f"`categorical[:, {i}]` must be in [0, {k})"
            checks += [tf.debugging.assert_non_negative(categorical[:, i], message=message),
                       tf.debugging.assert_less(categorical[:, i], k, message=message)]
        with tf.control_dependencies(checks):
            return tf.identity(categorical)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(z, categorical int32 [None, n_cat], continuous float32 [None, C])
        -> {"images"}`` (inputs of absent codes left out) and ``encode(images) ->
        {"categorical_probabilities" (softmax per code, concatenated), "continuous_mean"}``."""
        inputs = {"z": tf.TensorSpec((None, self.latent_dim), tf.float32, name="z")}
        if self.categorical_codes:
            inputs["categorical"] = tf.TensorSpec((None, len(self.categorical_codes)), tf.int32,
                                                  name="categorical")
        if self.continuous_codes:
            inputs["continuous"] = tf.TensorSpec((None, self.continuous_codes), tf.float32,
                                                 name="continuous")

        def serve(z, categorical=None, continuous=None):
            if categorical is not None:
                categorical = self._checked_categorical(z, categorical)
            return {"images": self.generate(z, categorical=categorical, continuous=continuous)}

        def encode(images):
            outputs = self.discriminator(images, training=False)
            result = {}
            if self.categorical_codes:
                parts = tf.split(outputs["categorical"], list(self.categorical_codes), axis=-1)
                result["categorical_probabilities"] = tf.concat(
                    [tf.nn.softmax(p, axis=-1) for p in parts], axis=-1)
            if self.continuous_codes:
                result["continuous_mean"] = outputs["continuous"]
            return result

        shape = tuple(self.discriminator.inputs[0].shape[1:])
        return {"serving_default": Endpoint(fn=serve, inputs=inputs),
                "encode": Endpoint(fn=encode, inputs={"images": tf.TensorSpec(
                    (None, *shape), tf.float32, name="images")})}

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        """One row per value of the first categorical code; column j keeps the same ``z_j``, other
        categorical codes and continuous codes (seed ``seed``) in every row."""
        del spec
        rows = self.categorical_codes[0] if self.categorical_codes else 1
        columns = max(1, num_samples // rows)
        z = tf.random.stateless_normal([columns, self.latent_dim], seed=[seed, 0])
        categorical = np.stack(
            [np.random.default_rng([seed, i]).integers(0, k, columns)
             for i, k in enumerate(self.categorical_codes)], axis=1
        ) if self.categorical_codes else np.zeros([columns, 0], np.int32)
        continuous = tf.random.stateless_uniform([columns, self.continuous_codes], seed=[seed, 1],
                                                 minval=-1.0, maxval=1.0)
        categorical = np.tile(categorical, (rows, 1))
        if self.categorical_codes:
            categorical[:, 0] = np.repeat(np.arange(rows), columns)
        images = self.generate(tf.tile(z, [rows, 1]), categorical=categorical,
                               continuous=tf.tile(continuous, [rows, 1]))
        return Picture(images=np.asarray(images), columns=columns)

    def get_config(self) -> dict:
        """Adds the codes and their weights to the base config."""
        return {**super().get_config(), "categorical_codes": list(self.categorical_codes),
                "continuous_codes": self.continuous_codes,
                "lambda_categorical": self.lambda_categorical,
                "lambda_continuous": self.lambda_continuous}


@register_scheme("infogan")
def build_infogan(config, spec) -> InfoGAN:
    """Chen et al. 2016: nets of family ``config.model.nets`` (``"infogan"``), the codes and
    their weights from ``config.model``; optimizers from ``config.train``."""
    m = config.model
    model = InfoGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        categorical_codes=tuple(m.categorical_codes),
        continuous_codes=int(m.continuous_codes),
        lambda_categorical=m.get("lambda_categorical", 1.0),
        lambda_continuous=m.get("lambda_continuous", 0.1),
        seed=config.seed,
    )
    return compile_scheme(model, config)
