"""Two test-only schemes of the awkward shapes, written on the scheme contract alone.

* :class:`TwoWayTranslator`: four nets (two translators, two discriminators), two optimizers that
  each own two nets, unpaired two-domain 2-D data, two serving endpoints (``a_to_b``,
  ``b_to_a``) and a picture drawn from a preview of the data: CycleGAN's shape (Zhu et al. 2017,
  Eq. 1-3: adversarial terms in both directions plus the L1 cycle-consistency loss).
* :class:`TeacherMatch`: a generator against a frozen net, with no discriminator and no data
  (ZAQ's shape): G minimises ``E[(T(G(z)) - target)^2]`` for a frozen linear teacher T.

Their builders and data set are registered by test_contract for its duration (REGISTRATIONS);
nothing in the package names them.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.data import DataSpec, batch_examples, batch_size, pair, ring_centers
from tfgan_kit.losses import minimax_discriminator_loss, non_saturating_generator_loss
from tfgan_kit.models import AdversarialModel
from tfgan_kit.types import Endpoint, Picture
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit import registry

B_SHIFT = np.array([4.0, 0.0], np.float32)  # domain b is domain a moved 4 to the right


@keras.saving.register_keras_serializable(package="tfgan_kit_tests")
class TwoWayTranslator(AdversarialModel):
    """Unpaired translation a <-> b of 2-D points, CycleGAN's objective (Zhu et al. 2017, Eq. 3)."""

    optimizer_nets = {"g": ("g_ab", "g_ba"), "d": ("d_a", "d_b")}
    log_names = ("d_loss", "g_loss", "cycle_loss")
    batch_kinds = ("unpaired",)

    def __init__(self, g_ab, g_ba, d_a, d_b, cycle_weight: float = 10.0, seed: int = 0,
                 **kwargs):
        super().__init__({"g_ab": g_ab, "g_ba": g_ba, "d_a": d_a, "d_b": d_b}, seed=seed,
                         **kwargs)
        self.cycle_weight = float(cycle_weight)

    def train_step(self, data):
        a, b = pair(data)

        def d_loss():
            fake_b, fake_a = self.g_ab(a, training=True), self.g_ba(b, training=True)
            return (minimax_discriminator_loss(self.d_b(b, training=True),
                                               self.d_b(fake_b, training=True))
                    + minimax_discriminator_loss(self.d_a(a, training=True),
                                                 self.d_a(fake_a, training=True)))

        def g_loss():
            fake_b, fake_a = self.g_ab(a, training=True), self.g_ba(b, training=True)
            adversarial = (non_saturating_generator_loss(self.d_b(fake_b, training=True))
                           + non_saturating_generator_loss(self.d_a(fake_a, training=True)))
            cycle = (tf.reduce_mean(tf.abs(self.g_ba(fake_b, training=True) - a))
                     + tf.reduce_mean(tf.abs(self.g_ab(fake_a, training=True) - b)))
            return adversarial + self.cycle_weight * cycle, cycle

        d = self.optimize("d", d_loss)
        g, cycle = self.optimize("g", g_loss)
        return self.record(d_loss=d, g_loss=g, cycle_loss=cycle)

    def call(self, points, training: bool = False):
        return self.g_ab(points, training=training)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        spec = tf.TensorSpec((None, 2), tf.float32, name="points")
        return {
            "a_to_b": Endpoint(lambda points: {"points": self.g_ab(points, training=False)},
                               {"points": spec}),
            "b_to_a": Endpoint(lambda points: {"points": self.g_ba(points, training=False)},
                               {"points": spec}),
        }

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        del seed  # the preview is fixed
        a, b = pair(spec.preview(num_samples))
        return Picture(points=np.asarray(self.g_ab(a, training=False)), reference=np.asarray(b))

    def get_config(self) -> dict:
        return {**super().get_config(), "cycle_weight": self.cycle_weight}


@keras.saving.register_keras_serializable(package="tfgan_kit_tests")
class TeacherMatch(AdversarialModel):
    """A generator trained against a frozen teacher, no data: min E[(T(G(z)) - target)^2]."""

    optimizer_nets = {"g": ("generator",)}
    frozen_nets = ("teacher",)
    log_names = ("g_loss",)
    batch_kinds = ("none",)

    def __init__(self, generator, teacher, latent_dim: int, target: float = 3.0, seed: int = 0,
                 **kwargs):
        super().__init__({"generator": generator, "teacher": teacher}, latent_dim=latent_dim,
                         seed=seed, **kwargs)
        self.target = float(target)

    def train_step(self, data):
        z = self.noise(batch_size(data), stream=0)
        g_loss = self.optimize("g", lambda: tf.reduce_mean(tf.square(
            self.teacher(self.generator(z, training=True)) - self.target)))
        return self.record(g_loss=g_loss)

    def get_config(self) -> dict:
        return {**super().get_config(), "target": self.target}


def linear_teacher() -> keras.Model:
    """T(x) = x_0 + 2 x_1: a fixed linear scorer of 2-D points."""
    x = keras.Input((2,), name="x")
    layer = keras.layers.Dense(1, name="score")
    teacher = keras.Model(x, layer(x), name="teacher")
    layer.set_weights([np.array([[1.0], [2.0]], np.float32), np.zeros(1, np.float32)])
    return teacher


def unpaired_rings(config, batch_size: int, **stream) -> DataSpec:
    """Unpaired domains: a = ring of 4 Gaussians at the origin, b = the same ring moved by 4."""
    count = config.data.num_examples
    rng = np.random.default_rng(config.seed)
    centers = ring_centers(4)
    a = centers[rng.integers(0, 4, count)] + 0.05 * rng.standard_normal((count, 2))
    b = centers[rng.integers(0, 4, count)] + 0.05 * rng.standard_normal((count, 2)) + B_SHIFT
    examples = tf.data.Dataset.from_tensor_slices((a.astype(np.float32), b.astype(np.float32)))
    return DataSpec(batch_examples(examples, batch_size, seed=config.seed, **stream), "unpaired",
                    (2,), target_shape=(2,), num_examples=count,
                    reference_points=centers + B_SHIFT, examples=examples)


def build_two_way(config, spec) -> TwoWayTranslator:
    hidden = tuple(config.model.hidden)
    nets = {f"g_{d}": mlp_generator(2, spec.sample_shape, hidden, "linear", name=f"g_{d}")
            for d in ("ab", "ba")}
    nets.update({f"d_{d}": mlp_discriminator(spec.sample_shape, hidden, name=f"d_{d}")
                 for d in ("a", "b")})
    model = TwoWayTranslator(**nets, cycle_weight=config.model.cycle_weight, seed=config.seed)
    return compile_scheme(model, config)


def build_teacher_match(config, spec) -> TeacherMatch:
    del spec  # no data
    m = config.model
    generator = mlp_generator(m.latent_dim, 2, tuple(m.hidden), "linear", name="generator")
    model = TeacherMatch(generator, linear_teacher(), latent_dim=m.latent_dim, target=m.target,
                         seed=config.seed)
    return compile_scheme(model, config)


#: What test_contract registers for its duration (and removes after): table, name, builder.
REGISTRATIONS = (
    (registry.DATASETS, "test_unpaired_rings", unpaired_rings),
    (registry.SCHEMES, "test_two_way", build_two_way),
    (registry.SCHEMES, "test_teacher_match", build_teacher_match),
)
