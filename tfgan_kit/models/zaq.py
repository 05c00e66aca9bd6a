"""ZAQ (Liu et al., CVPR 2021): a generator and a quantized model play an adversarial game.

A frozen full-precision model P, its fake-quantized copy Q (:func:`tfgan_kit.quantize.
quantize_model`) and a generator G(z); no real data. Each iteration:

1. ``q_steps`` (5) updates of Q descending ``L_Q = D_o + alpha D_f`` on fresh ``x = G(z)``
   (knowledge transfer: Q imitates P where they disagree);
2. one update of G ascending ``D_o + alpha D_f + beta E|P's last feature map|`` (discrepancy
   estimation: G looks for inputs where P and Q disagree, and that activate P strongly, so
   the samples are informative and diverse);

with ``D_o`` the mean L1 distance of the logits and ``D_f`` the weighted L1 distance of the
channel relation maps (:mod:`tfgan_kit.losses.quantization`); the layer weights are a moving
average of the softmax of the layer discrepancies of G's step. P is run in inference mode, G in
training mode. Q's BatchNorm statistics and activation ranges either stay as calibrated before
training (``frozen_statistics=True``: Q runs in inference mode, all its weights still train, as
a deployed integer model whose BatchNorm is folded into the convolutions) or, as in the
authors' code, follow the generated data (Q in training mode). The export is Q:
``serving_default(images) -> {"probabilities"}``.

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3 (two-level
    discrepancy modeling, the adversarial game and its alternating optimisation)
    (https://arxiv.org/abs/2103.15263).
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.data import batch_size, digits_train_test
from tfgan_kit.distribute import replica_mean
from tfgan_kit.errors import UserError
from tfgan_kit.files import load_keras_file
from tfgan_kit.losses import channel_relation_discrepancy, layer_weight_update, output_discrepancy
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.nets.zaq import digits_cnn, with_features, zaq_generator
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.quantize import calibrate_activation_ranges, quantize_model
from tfgan_kit.registry import register_scheme
from tfgan_kit.types import Endpoint

__all__ = ["ZAQ", "build_zaq", "check_milestones", "step_decay_factor", "train_digits_cnn"]


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ZAQ(AdversarialModel):
    """Zero-shot adversarial quantization (Liu et al. 2021, Section 3).

    Args:
        generator: ``z [batch, latent_dim] -> images``.
        teacher: the frozen full-precision model P, ``images -> [feature maps ..., logits]``
            (see :func:`tfgan_kit.nets.zaq.with_features`).
        quantized: Q, the trained quantized copy of P with the same outputs.
        latent_dim: width of z.
        q_steps: Q updates per G update. Defaults to `5`.
        alpha: weight of D_f. Defaults to `1.0`.
        beta: weight of the activation term of G's objective. Defaults to `0.1`.
        weight_momentum: momentum of the moving average of the layer weights. Defaults to `0.9`.
        frozen_statistics: run Q in inference mode in both steps: its BatchNorm keeps P's
            moving statistics (the only record of the real data's) and its activation ranges
            stay as calibrated (:func:`tfgan_kit.quantize.calibrate_activation_ranges`), while
            its kernels, biases and BatchNorm scales and offsets are trained. `False` is the
            authors' code: Q in training mode, BatchNorm on the batch statistics of G's samples
            (its moving statistics drift to theirs) and ranges updated from them. Defaults to
            `False`.
        lr_milestones: 0-based epochs from which both learning rates are multiplied by
            ``lr_gamma`` once more (the authors' MultiStepLR; read by the trainer through
            :meth:`learning_rate_factor`). Defaults to `()` (constant rates).
        lr_gamma: the factor, in (0, 1]. Defaults to `0.1`.
        seed: seed of every draw. Defaults to `0`.
        **kwargs: passed to ``keras.Model``.

    Raises:
        ValueError: for bad ``q_steps``, ``alpha``, ``beta``, ``weight_momentum``,
            ``lr_milestones``, ``lr_gamma``, or P and Q
            whose outputs are not ``[feature maps ..., logits]`` alike.
    """

    paper = 'Liu et al. 2021, "Zero-shot Adversarial Quantization", Section 3'
    optimizer_nets = {"q": ("quantized",), "g": ("generator",)}
    frozen_nets = ("teacher",)
    log_names = ("q_loss", "g_loss", "output_discrepancy", "relation_discrepancy", "activation")
    batch_kinds = ("none",)

    def __init__(self, generator: keras.Model, teacher: keras.Model, quantized: keras.Model,
                 latent_dim: int, q_steps: int = 5, alpha: float = 1.0, beta: float = 0.1,
                 weight_momentum: float = 0.9, frozen_statistics: bool = False,
                 lr_milestones: Sequence[int] = (), lr_gamma: float = 0.1, seed: int = 0,
                 **kwargs: Any):
        super().__init__({"generator": generator, "teacher": teacher, "quantized": quantized},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if isinstance(q_steps, bool) or not isinstance(q_steps, int) or q_steps < 1:
            raise UserError(f"`q_steps` must be a positive integer. Received: q_steps={q_steps!r}")
        for key, value in (("alpha", alpha), ("beta", beta)):
            if not float(value) >= 0:
                raise UserError(f"`{key}` must be >= 0. Received: {key}={value!r}")
        if not 0 <= float(weight_momentum) < 1:
            raise UserError("`weight_momentum` must be in [0, 1). Received: "
                            f"weight_momentum={weight_momentum!r}")
        shapes = [[tuple(o.shape[1:]) for o in net.outputs] for net in (teacher, quantized)]
        if len(shapes[0]) < 2 or shapes[0] != shapes[1]:
            raise UserError(
                "ZAQ's teacher and quantized nets must both output [feature maps ..., logits] "
                "(tfgan_kit.nets.zaq.with_features, then tfgan_kit.quantize.quantize_model). "
                f"Received outputs {shapes[0]} and {shapes[1]}."
            )
        self.q_steps, self.alpha, self.beta = q_steps, float(alpha), float(beta)
        self.weight_momentum = float(weight_momentum)
        self.frozen_statistics = bool(frozen_statistics)
        self.lr_milestones, self.lr_gamma = check_milestones(lr_milestones, lr_gamma)
        layers = len(shapes[0]) - 1
        self.layer_weights = self.add_weight(
            name="layer_weights", shape=(layers,), trainable=False,
            initializer=keras.initializers.Constant(1.0 / layers),
            aggregation="only_first_replica")
        self.evaluation_data = None  # (images, labels) for epoch_logs' accuracy, set by builders

    def discrepancy(self, images):
        """``(D_o + alpha D_f, D_o, D_f, d, P's last feature map)`` on ``images``: P in inference
        mode, Q in training mode unless ``frozen_statistics`` (Liu et al. 2021, Section 3.2)."""
        *p_features, p_logits = self.teacher(images, training=False)
        *q_features, q_logits = self.quantized(images, training=not self.frozen_statistics)
        d_o = output_discrepancy(p_logits, q_logits)
        d_f, per_layer = channel_relation_discrepancy(p_features, q_features, self.layer_weights)
        return d_o + self.alpha * d_f, d_o, d_f, per_layer, p_features[-1]

    def quantized_step(self, images):
        """One update of Q down ``L_Q = D_o + alpha D_f`` on ``images``; returns the 3 values."""
        images = tf.stop_gradient(images)
        return self.optimize("q", lambda: self.discrepancy(images)[:3])

    def train_step(self, data):
        """One iteration of the game (Liu et al. 2021, Section 3.3): ``q_steps`` Q updates on
        fresh ``G(z)``, one G update, then the moving average of the layer weights from the
        layer discrepancies of G's step (averaged over replicas). ``data``: placeholders."""
        batch = batch_size(data)
        for k in range(self.q_steps):
            q_loss, _, _ = self.quantized_step(self.generator(self.noise(batch, k), training=True))
        z = self.noise(batch, stream=self.q_steps)

        def generator_loss():
            total, d_o, d_f, per_layer, last = self.discrepancy(self.generator(z, training=True))
            activation = tf.reduce_mean(tf.abs(tf.cast(last, tf.float32)))  # any policy
            return -total - self.beta * activation, d_o, d_f, per_layer, activation

        g_loss, d_o, d_f, per_layer, activation = self.optimize("g", generator_loss)
        self.layer_weights.assign(layer_weight_update(
            self.layer_weights, replica_mean(per_layer), self.weight_momentum))
        return self.record(q_loss=q_loss, g_loss=g_loss, output_discrepancy=d_o,
                           relation_discrepancy=d_f, activation=activation)

    def classify(self, images, training: bool = False):
        """Q's class probabilities ``[batch, K]``."""
        return tf.nn.softmax(self.quantized(images, training=training)[-1], axis=-1)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(images) -> {"probabilities"}``: the quantized classifier Q."""
        shape = tuple(self.teacher.inputs[0].shape[1:])
        return {"serving_default": Endpoint(
            fn=lambda images: {"probabilities": self.classify(images)},
            inputs={"images": tf.TensorSpec((None, *shape), tf.float32, name="images")})}

    def learning_rate_factor(self, epoch: int) -> float:
        """The authors' step decay of both rates: ``lr_gamma`` once more from each of
        ``lr_milestones`` (0-based epochs) on."""
        return step_decay_factor(epoch, self.lr_milestones, self.lr_gamma)

    def epoch_logs(self) -> dict[str, float]:
        """``accuracy``: Q's accuracy on ``evaluation_data`` (held-out real images), when set.

        Only this evaluation touches real data; training stays data-free (Liu et al. 2021,
        Sec. 4)."""
        if self.evaluation_data is None:
            return {}
        images, labels = (np.asarray(a) for a in self.evaluation_data)
        predicted = np.concatenate([
            np.argmax(self.classify(images[i:i + 512]).numpy(), axis=-1)
            for i in range(0, len(images), 512)])
        return {"accuracy": float(np.mean(predicted == labels))}

    def get_config(self) -> dict:
        return {**super().get_config(), "q_steps": self.q_steps, "alpha": self.alpha,
                "beta": self.beta, "weight_momentum": self.weight_momentum,
                "frozen_statistics": self.frozen_statistics,
                "lr_milestones": list(self.lr_milestones), "lr_gamma": self.lr_gamma}


def check_milestones(milestones, gamma) -> tuple[tuple[int, ...], float]:
    """``(milestones, gamma)`` of a step decay, checked: increasing positive epochs, gamma in
    (0, 1].

    Raises:
        UserError: naming ``lr_milestones`` or ``lr_gamma``.
    """
    milestones = tuple(milestones)
    if (not all(isinstance(m, int) and not isinstance(m, bool) and m > 0 for m in milestones)
            or list(milestones) != sorted(set(milestones))):
        raise UserError("`lr_milestones` must be increasing positive epochs, e.g. (100, 200). "
                        f"Received: lr_milestones={milestones!r}")
    if not isinstance(gamma, (int, float)) or isinstance(gamma, bool) or not 0 < gamma <= 1:
        raise UserError(f"`lr_gamma` must be in (0, 1]. Received: lr_gamma={gamma!r}")
    return milestones, float(gamma)


def step_decay_factor(epoch: int, milestones: Sequence[int], gamma: float) -> float:
    """``gamma ** (number of milestones <= epoch)``: the multiplier of the base rate in 0-based
    ``epoch`` (PyTorch's ``MultiStepLR`` stepped after every epoch, as the authors' code).

    Reference:
        Liu et al. 2021, Section 4 and the authors' ``main.py`` (both rates x0.1 after epochs
        100 and 200 of 300).
    """
    return float(gamma) ** sum(epoch >= m for m in milestones)


def train_digits_cnn(image_size: int = 8, epochs: int = 30, seed: int = 0,
                     path: str | None = None, width: int = 32) -> keras.Model:
    """The full-precision model P: :func:`tfgan_kit.nets.zaq.digits_cnn` trained on the train split of
    :func:`tfgan_kit.data.digits_train_test`, or loaded.

    Adam 1e-3, batch 64, cross-entropy, a seeded order; a few seconds on a CPU.

    Args:
        image_size: 8, 16 or 32. Defaults to `8`.
        epochs: training epochs. Defaults to `30`.
        seed: seed of the split, initialisers and order. Defaults to `0`.
        path: optional ``.keras`` file: loaded if it exists, written after training if not.
        width: filters of the first stage of :func:`digits_cnn`. Defaults to `32`.

    Returns:
        The trained classifier (``images -> logits``).

    Raises:
        ValueError: when ``path`` is not a readable ``.keras`` archive (truncated or corrupt)
            or holds a model of another input shape.
    """
    if path and os.path.isfile(path):
        model = load_keras_file(path, "config.model.teacher_path", "delete it (the classifier "
                                "is then trained and saved there again) or pass another path")
        shape = tuple(model.inputs[0].shape[1:])
        if shape != (image_size, image_size, 1):
            raise UserError(f"{path} holds a classifier of images {shape}, not "
                            f"{(image_size, image_size, 1)}: delete it or pass another path.")
        return model
    (images, labels), _ = digits_train_test(image_size, seed)
    model = digits_cnn(image_size, width=width, seed=seed)
    model.compile(keras.optimizers.Adam(1e-3),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(seed + 1)
    order = np.concatenate([rng.permutation(len(images)) for _ in range(epochs)])
    model.fit(images[order], labels[order], batch_size=64, epochs=1, shuffle=False, verbose=0)
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        model.save(path)
    return model


@register_scheme("zaq")
def build_zaq(config, spec) -> ZAQ:
    """ZAQ on the embedded digits: P = :func:`train_digits_cnn` (trained here,
    or loaded from ``config.model.teacher_path``), Q = P quantized to ``config.model.weight_bits``
    / ``activation_bits`` with its activation ranges calibrated data-free on
    ``config.model.calibration_images`` Gaussian-noise images N(0, 1) (seeded), G =
    :func:`tfgan_kit.nets.zaq.zaq_generator`; the held-out digits give the per-epoch accuracy."""
    del spec  # no data
    m = config.model
    classifier = train_digits_cnn(m.image_size, epochs=m.teacher_epochs, seed=config.seed,
                                  path=m.get("teacher_path"), width=m.width)
    teacher = with_features(classifier, tuple(m.feature_layers), name="teacher")
    quantized = quantize_model(teacher, m.weight_bits, m.activation_bits, name="quantized",
                               range_momentum=m.range_momentum)
    calibrate_activation_ranges(quantized, np.random.default_rng(config.seed).normal(
        size=(m.get("calibration_images", 2048), m.image_size, m.image_size, 1)).astype(np.float32))
    generator = zaq_generator(m.latent_dim, (m.image_size, m.image_size, 1), m.base_filters,
                              normalize_output=m.normalize_output)
    model = ZAQ(generator, teacher, quantized, latent_dim=m.latent_dim, q_steps=m.q_steps,
                alpha=m.alpha, beta=m.beta, weight_momentum=m.weight_momentum,
                frozen_statistics=m.get("frozen_statistics", False),
                lr_milestones=tuple(m.get("lr_milestones") or ()), lr_gamma=m.get("lr_gamma", 0.1),
                seed=config.seed)
    model.evaluation_data = digits_train_test(m.image_size, config.seed)[1]
    return compile_scheme(model, config)
