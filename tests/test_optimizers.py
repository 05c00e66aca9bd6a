"""Optimizers from config entries: clear errors, switching optimizers from the command line."""

import keras
import ml_collections
import pytest

from tfgan_kit.optimizers import build_optimizer, compile_scheme


def test_builds_the_named_optimizer_with_its_arguments():
    adam = build_optimizer({"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5})
    assert isinstance(adam, keras.optimizers.Adam)
    assert adam.beta_1 == 0.5 and float(adam.learning_rate) == pytest.approx(2e-4)


def test_switching_to_sgd_or_rmsprop_drops_adams_arguments_with_a_warning():
    for name, cls in (("sgd", keras.optimizers.SGD), ("rmsprop", keras.optimizers.RMSprop)):
        with pytest.warns(UserWarning, match=f"config.train.g_optimizer: {cls.__name__} takes no "
                                             "`beta_1`; ignoring it"):
            optimizer = build_optimizer({"name": name, "learning_rate": 0.1, "beta_1": 0.5},
                                        key="config.train.g_optimizer")
        assert isinstance(optimizer, cls) and float(optimizer.learning_rate) == pytest.approx(0.1)


def test_misspelled_argument_and_unknown_name_are_named():
    with pytest.raises(ValueError, match=r"Unknown argument `beta1` in config.train.d_optimizer "
                                         r"for Adam: valid arguments are \[.*'beta_1'"):
        build_optimizer({"name": "adam", "beta1": 0.5}, key="config.train.d_optimizer")
    with pytest.raises(ValueError, match=r"Unknown optimizer 'adamm': valid names are \["):
        build_optimizer({"name": "adamm"})


def test_compile_scheme_asks_for_each_optimizer_of_the_scheme():
    from tfgan_kit.models import GAN
    from tfgan_kit.nets import mlp_discriminator, mlp_generator

    config = ml_collections.ConfigDict(dict(train=dict(
        g_optimizer={"name": "adam"}, jit_compile=False, steps_per_execution=2)))
    model = GAN(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4)
    with pytest.raises(ValueError, match="trains with the optimizers .* add "
                                         "config.train.d_optimizer"):
        compile_scheme(model, config)
    config.train.d_optimizer = {"name": "sgd", "learning_rate": 0.1}
    compile_scheme(model, config)
    assert isinstance(model.d_optimizer, keras.optimizers.SGD)
    assert model.get_compile_config()["steps_per_execution"] == 2
