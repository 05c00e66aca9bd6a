"""Keras' config convention for every scheme: ``from_config(get_config())`` rebuilds an equal
scheme (same config, same weight shapes), the base class included, and a constructor
refuses an argument it would not use."""

import importlib

import pytest

from tfgan_kit.models import WGAN, WGANGP, AdversarialModel, FGAN, LSGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme, registered_schemes

#: One small config per scheme (the registry's names), shrunk below.
CONFIGS = {
    "acgan": "acgan_digits", "began": "began_ring", "catgan": "catgan_digits",
    "cgan": "cgan_digits", "cyclegan": "cyclegan_shapes", "dragan": "dragan_ring",
    "ebgan": "ebgan_ring", "fgan": "fgan_ring", "gan": "gan_ring", "infogan": "infogan_digits",
    "lsgan": "lsgan_ring", "pggan": "pggan_digits", "pix2pix": "pix2pix_shapes",
    "ssgan": "ssgan_digits", "wgan": "wgan_ring", "wgan_gp": "wgan_gp_ring", "zaq": "zaq_digits",
}


def small(config):
    model = config.model
    for key, value in (("teacher_epochs", 1), ("base_filters", 8), ("filters", 8),
                       ("width", 4)):
        if key in model and isinstance(model[key], int):
            model[key] = value
    return config


def test_every_built_in_scheme_has_a_config_here():
    built_in = [name for name in registered_schemes()
                if get_scheme(name).__module__.startswith("tfgan_kit.models.")]
    assert sorted(CONFIGS) == built_in


@pytest.mark.parametrize("scheme", sorted(CONFIGS))
def test_from_config_of_get_config_rebuilds_the_scheme(scheme):
    config = small(importlib.import_module(f"configs.{CONFIGS[scheme]}").get_config())
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    model = get_scheme(config.scheme)(config, spec)
    rebuilt = type(model).from_config(model.get_config())
    assert type(rebuilt) is type(model)
    assert rebuilt.get_config() == model.get_config()
    assert [v.shape for v in rebuilt.weights] == [v.shape for v in model.weights]


def test_the_base_class_round_trips():
    nets = {"generator": mlp_generator(4, 2, hidden=(8,)),
            "discriminator": mlp_discriminator(2, hidden=(8,))}
    model = AdversarialModel(nets, latent_dim=4, seed=3, name="plain")
    config = model.get_config()
    assert {"name", "trainable", "dtype"} <= set(config)  # Keras' base config comes first
    rebuilt = AdversarialModel.from_config(config)
    assert rebuilt.get_config() == config
    assert rebuilt.name == "plain" and rebuilt.seed == 3 and rebuilt.latent_dim == 4


@pytest.mark.parametrize("scheme", [WGAN, WGANGP, LSGAN, FGAN])
def test_loss_family_refuses_the_gan_generator_loss_it_would_ignore(scheme):
    with pytest.raises(ValueError, match="generator_loss"):
        scheme(mlp_generator(4, 2, hidden=(8,)), mlp_discriminator(2, hidden=(8,)), latent_dim=4,
               generator_loss="minimax")
