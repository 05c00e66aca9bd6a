"""Builders of the registered schemes and data sets, from a config (see ``configs/``).

Config layout shared by every experiment:
``scheme`` (str), ``seed`` (int), ``data`` (``name`` plus loader arguments), ``model`` (nets and
scheme arguments), ``train`` (``batch_size``, ``epochs``, ``steps_per_epoch``, ``g_optimizer``,
``d_optimizer``, ``jit_compile``, ``sample_every_epochs``, ...).
"""

from __future__ import annotations

import keras

from tfgan_kit import data, nets
from tfgan_kit.models import GAN
from tfgan_kit.training.registry import register_dataset, register_scheme

# ------------------------------------------------------------------------------- optimizers


def build_optimizer(settings) -> keras.optimizers.Optimizer:
    """Builds a Keras optimizer from ``{name, learning_rate, ...}`` (e.g. Adam, beta_1 0.5).

    Raises:
        ValueError: for an unknown optimizer name.
    """
    settings = dict(settings)
    name = settings.pop("name", "adam")
    try:
        return keras.optimizers.get({"class_name": name, "config": settings})
    except ValueError:
        raise ValueError(
            f"Unknown optimizer {name!r}: use a keras.optimizers name such as 'adam', "
            "'rmsprop' or 'sgd'."
        ) from None


def compile_scheme(model, config):
    """Compiles ``model`` with the config's two optimizers and ``train.jit_compile``."""
    model.compile(
        g_optimizer=build_optimizer(config.train.g_optimizer),
        d_optimizer=build_optimizer(config.train.d_optimizer),
        jit_compile=bool(config.train.jit_compile),
        steps_per_execution=int(config.train.get("steps_per_execution", 1)),
    )
    return model


# ---------------------------------------------------------------------------------- nets

NETS = {
    "mlp": (nets.mlp_generator, nets.mlp_discriminator),
    "dcgan": (nets.dcgan_generator, nets.dcgan_discriminator),
}


def build_nets(model_config, sample_shape: tuple[int, ...]):
    """Builds (generator, discriminator) of family ``model.nets`` for samples of ``sample_shape``.

    Raises:
        ValueError: for an unknown net family.
    """
    family = model_config.nets
    if family not in NETS:
        raise ValueError(
            f"Unknown net family {family!r} in `config.model.nets`: valid values are "
            f"{sorted(NETS)}."
        )
    latent_dim = model_config.latent_dim
    if family == "mlp":
        shape = sample_shape[0] if len(sample_shape) == 1 else sample_shape
        generator = nets.mlp_generator(latent_dim, shape, hidden=tuple(model_config.g_hidden),
                                       output_activation=model_config.output_activation)
        discriminator = nets.mlp_discriminator(shape, hidden=tuple(model_config.d_hidden),
                                               dropout=model_config.dropout)
        return generator, discriminator
    size, channels = sample_shape[0], sample_shape[-1]
    generator = nets.dcgan_generator(latent_dim, size, channels,
                                     base_filters=model_config.g_base_filters)
    discriminator = nets.dcgan_discriminator(size, channels,
                                             base_filters=model_config.d_base_filters)
    return generator, discriminator


# ------------------------------------------------------------------------------- schemes


@register_scheme("gan")
def build_gan(config) -> GAN:
    """Goodfellow et al. 2014 GAN with the config's nets, k (``d_steps``) and generator loss."""
    generator, discriminator = build_nets(config.model, sample_shape(config))
    model = GAN(
        generator,
        discriminator,
        latent_dim=config.model.latent_dim,
        d_steps=config.model.d_steps,
        generator_loss=config.model.generator_loss,
        seed=config.seed,
    )
    return compile_scheme(model, config)


# ------------------------------------------------------------------------------ data sets


def sample_shape(config) -> tuple[int, ...]:
    """Shape of one training sample, from the data config."""
    d = config.data
    if d.name in ("gaussian_ring", "gaussian_grid"):
        return (2,)
    if d.name == "digits":
        return (d.image_size, d.image_size, 1)
    return (d.image_size, d.image_size, d.channels)


@register_dataset("digits")
def build_digits(config, batch_size: int, **stream):
    """The embedded scikit-learn digits at ``data.image_size``."""
    return data.digits(batch_size, image_size=config.data.image_size, seed=config.seed, **stream)


@register_dataset("gaussian_ring")
def build_ring(config, batch_size: int, **stream):
    """PacGAN's ring of Gaussians."""
    d = config.data
    return data.gaussian_ring(batch_size, n_modes=d.n_modes, radius=d.radius, std=d.std,
                              num_examples=d.num_examples, seed=config.seed, **stream)


@register_dataset("gaussian_grid")
def build_grid(config, batch_size: int, **stream):
    """PacGAN's grid of Gaussians."""
    d = config.data
    return data.gaussian_grid(batch_size, side=d.side, spacing=d.spacing, std=d.std,
                              num_examples=d.num_examples, seed=config.seed, **stream)


@register_dataset("tfds")
def build_tfds(config, batch_size: int, **stream):
    """A prepared tensorflow-datasets image set (``data.tfds_name``, ``data.split``)."""
    d = config.data
    return data.tfds_images(d.tfds_name, split=d.split, image_size=d.image_size,
                            batch_size=batch_size, data_dir=d.data_dir, seed=config.seed,
                            **stream)
