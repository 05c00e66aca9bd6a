"""WGAN-GP (Gulrajani et al. 2017, Algorithm 1): Eq. 3 with eps ~ U[0, 1] per example, no critic
BatchNorm, one-sided variant, and 1 vs 2 replicas drawing the same eps."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import wgan_gp_digits, wgan_gp_grid, wgan_gp_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import (
    gradient_penalty,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from tfgan_kit.models.wgan_gp import WGANGP
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator, mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme


def make_wgan_gp(d_steps=2, one_sided=False, lr=0.05, initial=None, weight=10.0):
    keras.utils.set_random_seed(0)
    model = WGANGP(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                   mlp_discriminator(2, hidden=(16, 16)), latent_dim=4, d_steps=d_steps,
                   gradient_penalty_weight=weight, one_sided=one_sided, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr):
    with tf.GradientTape() as tape:
        loss, penalty = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return float(loss), float(penalty)


def written_out_penalty(d, x_hat, one_sided):
    """(||grad_x_hat D(x_hat)||_2 - 1)^2 per example (Eq. 3), or max(0, . - 1)^2, averaged."""
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = d(x_hat)
    norms = tf.norm(tape.gradient(scores, x_hat), axis=1)
    excess = tf.nn.relu(norms - 1.0) if one_sided else norms - 1.0
    return tf.reduce_mean(excess**2)


@pytest.mark.parametrize("one_sided", [False, True])
def test_train_step_is_algorithm_1(one_sided):
    """n_critic=2 SGD critic steps on Eq. 3 with x_hat = eps x + (1 - eps) G(z), eps ~ U[0, 1]
    from the scheme's own stream, then one generator step on -E[D(G(z))]."""
    lr = 0.05
    model = make_wgan_gp(d_steps=2, one_sided=one_sided, lr=lr)
    # Steeper than the initial critic, so that some gradient norms exceed 1 (one-sided penalty).
    model.discriminator.set_weights([2 * w for w in model.discriminator.get_weights()])
    real = tf.constant(np.random.default_rng(0).normal(size=(16, 2)), tf.float32)
    z_d = [model.noise(8, stream=k) for k in range(2)]
    eps = [model.draw(model.extra_stream(k), 8, distribution="uniform") for k in range(2)]
    z_g = model.noise(8, stream=2)
    assert not np.allclose(eps[0], eps[1]) and 0 <= np.min(eps) and np.max(eps) < 1

    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    results = []
    for k in range(2):
        def loss(k=k):
            x, fake = real[k::2], g_ref(z_d[k])
            e = eps[k][:, None]
            penalty = written_out_penalty(d_ref, e * x + (1 - e) * fake, one_sided)
            return tf.reduce_mean(d_ref(fake)) - tf.reduce_mean(d_ref(x)) + 10 * penalty, penalty
        results.append(sgd_step(d_ref, loss, lr))
    g_loss, _ = sgd_step(g_ref, lambda: (-tf.reduce_mean(d_ref(g_ref(z_g))), 0.0), lr)

    logs = model.train_step(real)
    d_losses, penalties = zip(*results)
    assert min(penalties) > 1e-3  # the penalty is exercised
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-4)
    np.testing.assert_allclose(float(logs["gradient_penalty"]), np.mean(penalties), rtol=1e-4)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-4)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-5)


def test_loss_is_the_library_functions_and_one_sided_ignores_small_gradients():
    model = make_wgan_gp(weight=7.0)
    real = tf.constant(np.random.default_rng(1).normal(size=(8, 2)), tf.float32)
    z = model.noise(8, stream=0)
    fake = model.generator(z)
    eps = model.interpolation_weights(8, 0)
    expected_penalty = gradient_penalty(model.discriminator, real, fake, 1.0 - eps)
    loss, logs = model.discriminator_loss(real, z, 0)
    np.testing.assert_allclose(float(logs["gradient_penalty"]), float(expected_penalty), rtol=1e-6)
    expected = wasserstein_discriminator_loss(model.discriminator(real), model.discriminator(fake))
    np.testing.assert_allclose(float(loss), float(expected + 7.0 * expected_penalty), rtol=1e-5)
    np.testing.assert_allclose(float(model.generator_objective(z)),
                               float(wasserstein_generator_loss(model.discriminator(fake))),
                               rtol=1e-6)
    # A critic whose gradients are far below norm 1: the one-sided penalty is 0, Eq. 3's is ~1.
    one_sided = make_wgan_gp(one_sided=True)
    for m in (model, one_sided):
        m.discriminator.set_weights([w * 0.1 for w in m.discriminator.get_weights()])
    assert float(one_sided.discriminator_loss(real, z, 0)[1]["gradient_penalty"]) == 0.0
    assert float(model.discriminator_loss(real, z, 0)[1]["gradient_penalty"]) > 0.9


def test_critic_with_batch_norm_is_refused_naming_the_fix():
    generator = dcgan_generator(8, 16, 1, base_filters=4)
    fix = r"normalization='layer'.*d_normalization = 'layer' \(or 'none'\)"
    with pytest.raises(ValueError, match=r"must not use batch normalization .*down_1_bn.*" + fix):
        WGANGP(generator, dcgan_discriminator(16, 1, base_filters=4), latent_dim=8)
    nested = keras.Sequential([keras.Input((16, 16, 1)),
                               dcgan_discriminator(16, 1, base_filters=4, name="inner")])
    with pytest.raises(ValueError, match=r"inner/down_1_bn"):
        WGANGP(generator, nested, latent_dim=8)
    for normalization in ("layer", "none"):
        critic = dcgan_discriminator(16, 1, base_filters=4, normalization=normalization)
        WGANGP(generator, critic, latent_dim=8)  # accepted


@pytest.mark.parametrize("kwargs, message", [
    (dict(gradient_penalty_weight=0.0), "`gradient_penalty_weight` must be a positive number"),
    (dict(gradient_penalty_weight="10"), "`gradient_penalty_weight` must be a positive number"),
    (dict(one_sided="yes"), "`one_sided` must be True or False"),
    (dict(d_steps=0), "`d_steps` must be an integer >= 1"),
])
def test_bad_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        WGANGP(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4, **kwargs)


def test_one_and_two_replicas_draw_the_same_eps_and_take_the_same_steps(mirrored_strategy):
    """Same initial weights and global batch: the same eps per example and the same updates."""
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(16, 2)).astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices(batch).batch(16).repeat(2)
    single = make_wgan_gp(d_steps=2, lr=0.05)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_wgan_gp(d_steps=2, lr=0.05, initial=initial)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2

    # eps of critic step 1 for a global minibatch of 8: each replica draws its half.
    single_eps = single.interpolation_weights(8, 1).numpy()
    halves = mirrored_strategy.run(tf.function(lambda: mirrored.interpolation_weights(4, 1)))
    halves = [t.numpy() for t in mirrored_strategy.experimental_local_results(halves)]
    np.testing.assert_array_equal(np.concatenate(halves), single_eps)

    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net, start in (("generator", initial[0]), ("discriminator", initial[1])):
        after = [w.numpy() for w in getattr(single, net).weights]
        assert any(not np.allclose(a, w0) for a, w0 in zip(after, start)), f"{net} did not train"
        for a, b in zip(after, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a, b.numpy(), atol=1e-5, err_msg=b.path)
    for key in ("d_loss", "g_loss", "gradient_penalty"):
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4, err_msg=key)


def test_config_round_trip_keras_file_and_export(tmp_path):
    keras.utils.set_random_seed(0)
    model = WGANGP(dcgan_generator(8, 8, 1, base_filters=4),
                   dcgan_discriminator(8, 1, base_filters=4, normalization="layer"),
                   latent_dim=8, d_steps=2, gradient_penalty_weight=5.0, one_sided=True)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
                  d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9))
    history = model.fit(np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype(np.float32),
                        batch_size=8, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "gradient_penalty"}
    restored = WGANGP.from_config(model.get_config())
    assert (restored.d_steps, restored.gradient_penalty_weight, restored.one_sided) == (2, 5.0, True)
    path = str(tmp_path / "wgan_gp.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, WGANGP) and loaded.get_config()["one_sided"] is True
    assert int(loaded.d_optimizer.iterations) == 4
    z = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    export_model(model, str(tmp_path / "export"))
    signature = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    np.testing.assert_allclose(signature(z=tf.constant(z))["images"], model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module, weight, betas", [
    (wgan_gp_ring, 0.1, (0.5, 0.9)),  # the authors' toy-data script (gan_toy.py)
    (wgan_gp_grid, 0.1, (0.5, 0.9)),
    (wgan_gp_digits, 10.0, (0.0, 0.9)),  # the paper's Algorithm 1 defaults
])
def test_configs_have_the_authors_settings_and_build_through_the_registry(module, weight, betas):
    config = module.get_config()
    assert config.scheme == "wgan_gp"
    assert (config.model.d_steps, config.model.gradient_penalty_weight) == (5, weight)
    assert config.model.one_sided is False
    for key in ("g_optimizer", "d_optimizer"):
        assert config.train[key]["name"] == "adam"
        assert (config.train[key]["beta_1"], config.train[key]["beta_2"]) == betas
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4).items() if k in config.model})
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 10)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, WGANGP) and model.d_steps == 5
    logs = model.train_step(next(iter(spec.dataset)))
    assert set(logs) == {"d_loss", "g_loss", "gradient_penalty"}
    assert all(np.isfinite(float(v)) for v in logs.values())
