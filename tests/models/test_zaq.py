"""ZAQ (Liu et al. 2021): the step wiring, the frozen P, frozen statistics of Q, 1 vs 2 replicas,
the step decay, export of Q, configs, bad arguments."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import zaq_digits, zaq_digits_w6a8
from tfgan_kit.losses import layer_weight_update, output_discrepancy, relation_discrepancies
from tfgan_kit.models.zaq import ZAQ, step_decay_factor
from tfgan_kit.training.schedules import learning_rate_decay
from tfgan_kit.nets.zaq import DIGITS_CNN_FEATURES, digits_cnn, with_features, zaq_generator
from tfgan_kit.quantize import ActivationQuantizer, calibrate_activation_ranges, quantize_model
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

LATENT = 8


def make_zaq(q_steps=2, alpha=1.0, beta=0.1, momentum=0.9, seed=0, frozen=False, initial=None,
             **options):
    """A tiny ZAQ, compiled; ``initial``: the weights of another one's nets to start from;
    ``options``: more ZAQ arguments."""
    keras.utils.set_random_seed(seed)
    classifier = digits_cnn(8, width=4, seed=seed)
    teacher = with_features(classifier, DIGITS_CNN_FEATURES, name="teacher")
    quantized = quantize_model(teacher, 4, 4, name="quantized")
    if frozen:
        noise = np.random.default_rng(seed).normal(size=(32, 8, 8, 1)).astype(np.float32)
        calibrate_activation_ranges(quantized, noise)
    model = ZAQ(zaq_generator(LATENT, (8, 8, 1), base_filters=4), teacher, quantized,
                latent_dim=LATENT, q_steps=q_steps, alpha=alpha, beta=beta,
                weight_momentum=momentum, frozen_statistics=frozen, seed=seed, **options)
    for name, weights in (initial or {}).items():
        getattr(model, name).set_weights(weights)
    model.compile(q_optimizer=keras.optimizers.SGD(0.05),
                  g_optimizer=keras.optimizers.SGD(0.05))
    return model


def statistics(net):
    """Every BatchNorm moving statistic and activation range of ``net``."""
    return [v.numpy() for layer in net._flatten_layers()
            if isinstance(layer, (keras.layers.BatchNormalization, ActivationQuantizer))
            for v in layer.non_trainable_weights]


def clone(net):
    copy = keras.models.clone_model(net)
    for target, source in zip(copy.weights, net.weights, strict=True):
        target.assign(source)
    return copy


def sgd(net, loss_fn, lr=0.05):
    with tf.GradientTape() as tape:
        outputs = loss_fn()
    grads = tape.gradient(outputs[0], net.trainable_variables)
    for variable, grad in zip(net.trainable_variables, grads):
        variable.assign_sub(lr * grad)
    return outputs


def test_train_step_is_q_steps_of_q_then_one_generator_step():
    """Q descends D_o + alpha D_f on G(z_k), k < q_steps; G ascends D_o + alpha D_f + beta
    E|P's last map| on G(z_q); the layer weights move towards softmax(d) of G's step; P frozen."""
    alpha, beta, momentum = 0.7, 0.3, 0.8
    model = make_zaq(q_steps=2, alpha=alpha, beta=beta, momentum=momentum)
    z = [model.noise(4, stream=k) for k in range(3)]
    g_ref, q_ref, p = clone(model.generator), clone(model.quantized), model.teacher
    p_before = [w.numpy() for w in p.weights]
    weights = np.full(4, 0.25, np.float32)

    def terms(images):
        *pf, pl = p(images, training=False)
        *qf, ql = q_ref(images, training=True)
        d = relation_discrepancies(pf, qf)
        return output_discrepancy(pl, ql), d, pf[-1]

    for k in range(2):
        images = tf.stop_gradient(g_ref(z[k], training=True))

        def q_loss():
            d_o, d, _ = terms(images)
            return (d_o + alpha * tf.reduce_sum(weights * d),)

        q_value = float(sgd(q_ref, q_loss)[0])

    def g_loss():
        d_o, d, last = terms(g_ref(z[2], training=True))
        activation = tf.reduce_mean(tf.abs(last))
        return (-(d_o + alpha * tf.reduce_sum(weights * d)) - beta * activation, d_o, d,
                activation)

    g_value, d_o, d, activation = sgd(g_ref, g_loss)
    logs = model.train_step(tf.zeros([4]))
    np.testing.assert_allclose(float(logs["q_loss"]), q_value, rtol=1e-4)
    np.testing.assert_allclose(float(logs["g_loss"]), float(g_value), rtol=1e-4)
    np.testing.assert_allclose(float(logs["output_discrepancy"]), float(d_o), rtol=1e-4)
    np.testing.assert_allclose(float(logs["relation_discrepancy"]),
                               float(np.sum(weights * d.numpy())), rtol=1e-4)
    np.testing.assert_allclose(float(logs["activation"]), float(activation), rtol=1e-4)
    np.testing.assert_allclose(model.layer_weights.numpy(),
                               layer_weight_update(weights, d, momentum).numpy(), rtol=1e-4)
    for net, ref in ((model.quantized, q_ref), (model.generator, g_ref)):
        for w, r in zip(net.weights, ref.weights, strict=True):
            np.testing.assert_allclose(w.numpy(), r.numpy(), atol=1e-5, err_msg=w.path)
    for w, before in zip(p.weights, p_before):
        np.testing.assert_array_equal(w.numpy(), before)
    assert int(model.step_count) == 1 and not model.teacher.trainable


def test_frozen_statistics_run_q_in_inference_mode_and_train_its_weights():
    """frozen_statistics: Q's steps use its moving BatchNorm statistics and calibrated ranges
    (neither changes) while its kernels, scales and offsets follow the same gradients as a
    reference Q run with training=False; the authors' mode moves both."""
    model = make_zaq(q_steps=1, frozen=True)
    q_ref, p = clone(model.quantized), model.teacher
    before, start = statistics(model.quantized), model.quantized.get_weights()
    images = tf.stop_gradient(clone(model.generator)(model.noise(4, stream=0), training=True))

    def q_loss():
        *pf, pl = p(images, training=False)
        *qf, ql = q_ref(images, training=False)
        d = relation_discrepancies(pf, qf)
        return (output_discrepancy(pl, ql) + tf.reduce_sum(0.25 * d),)

    q_value = float(sgd(q_ref, q_loss)[0])
    logs = model.train_step(tf.zeros([4]))
    np.testing.assert_allclose(float(logs["q_loss"]), q_value, rtol=1e-4)
    for a, b in zip(statistics(model.quantized), before, strict=True):
        np.testing.assert_array_equal(a, b)
    for w, r in zip(model.quantized.trainable_weights, q_ref.trainable_weights, strict=True):
        np.testing.assert_allclose(w.numpy(), r.numpy(), atol=1e-5, err_msg=w.path)
    assert any(not np.allclose(a, b) for a, b in zip(model.quantized.get_weights(), start))
    authors = make_zaq(q_steps=1, frozen=True)
    authors.frozen_statistics = False
    before = statistics(authors.quantized)
    authors.train_step(tf.zeros([4]))
    assert any(not np.array_equal(a, b) for a, b in zip(statistics(authors.quantized), before))


def test_one_and_two_replicas_take_the_same_steps(mirrored_strategy):
    """Same initial nets, same global batch: the same Q, G and layer weights and logs."""
    single = make_zaq(q_steps=2, frozen=True)
    initial = {name: getattr(single, name).get_weights()
               for name in ("generator", "quantized", "teacher")}
    with mirrored_strategy.scope():
        mirrored = make_zaq(q_steps=2, frozen=True, initial=initial)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2
    data = tf.data.Dataset.from_tensors(tf.zeros([8])).repeat(2)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "quantized"):
        after = getattr(single, net).get_weights()
        assert any(not np.allclose(a, b) for a, b in zip(after, initial[net])), net
        for a, b in zip(after, getattr(mirrored, net).get_weights(), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5, err_msg=net)
    np.testing.assert_allclose(mirrored.layer_weights.numpy(), single.layer_weights.numpy(),
                               rtol=1e-5)
    for key in ZAQ.log_names:
        np.testing.assert_allclose(mirrored_logs[key], single_logs[key], rtol=1e-4, err_msg=key)


def test_step_decay_multiplies_the_rates_by_gamma_at_each_milestone():
    """The authors' MultiStepLR (x0.1 after epochs 100 and 200, 0-based epochs 100 and 200 on),
    declared by the scheme and applied by the trainer's learning-rate callback."""
    expected = {0: 1.0, 99: 1.0, 100: 0.1, 199: 0.1, 200: 0.01, 299: 0.01}
    for epoch, factor in expected.items():
        assert step_decay_factor(epoch, (100, 200), 0.1) == pytest.approx(factor)
    model = make_zaq(lr_milestones=(1, 3), lr_gamma=0.5)
    assert [model.learning_rate_factor(e) for e in range(4)] == [1.0, 0.5, 0.5, 0.25]
    config = zaq_digits.get_config()
    config.train.q_optimizer.learning_rate, config.train.g_optimizer.learning_rate = 0.2, 1e-3
    callback, = learning_rate_decay(config, model)
    callback.set_model(model)
    for epoch, factor in ((0, 1.0), (1, 0.5), (2, 0.5), (3, 0.25)):
        callback.on_epoch_begin(epoch)
        np.testing.assert_allclose(float(model.q_optimizer.learning_rate), 0.2 * factor)
        np.testing.assert_allclose(float(model.g_optimizer.learning_rate), 1e-3 * factor)
    assert make_zaq().learning_rate_factor(500) == 1.0  # no milestones: constant rates
    with pytest.raises(ValueError, match=r"`lr_milestones` must be increasing positive epochs"):
        make_zaq(lr_milestones=(3, 2))
    with pytest.raises(ValueError, match=r"`lr_gamma` must be in \(0, 1\]. Received: lr_gamma=0"):
        make_zaq(lr_milestones=(1,), lr_gamma=0)


def tiny(config):
    config.model.update(teacher_epochs=1, base_filters=4, latent_dim=LATENT, width=4, q_steps=1)
    config.train.update(batch_size=8, epochs=1, steps_per_epoch=2, sample_every_epochs=1,
                        num_samples=4, verbose="0")
    return config


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The default config, shrunk, trained and exported by train_and_evaluate (train.py's path)."""
    root = tmp_path_factory.mktemp("zaq")
    config = tiny(zaq_digits.get_config())
    config.model.teacher_path = str(root / "teacher.keras")
    model = train_and_evaluate(config, str(root / "run"), export_dir=str(root / "export"))
    return model, config, root


def test_configs_have_the_paper_settings():
    w6a8 = zaq_digits_w6a8.get_config()
    assert (w6a8.model.weight_bits, w6a8.model.activation_bits) == (6, 8)
    config = zaq_digits.get_config()
    assert (config.scheme, config.data.name) == ("zaq", "none")
    assert (config.model.weight_bits, config.model.activation_bits) == (4, 4)
    assert (config.model.q_steps, config.model.alpha, config.model.beta) == (5, 1.0, 0.1)
    assert (config.model.latent_dim, config.model.base_filters) == (256, 64)
    assert config.model.frozen_statistics and config.model.range_momentum is None
    assert (tuple(config.model.lr_milestones), config.model.lr_gamma) == ((1, 2), 0.1)
    assert config.train.epochs == 3  # the milestones after 1/3 and 2/3, as the authors'
    assert dict(config.train.q_optimizer) == {"name": "sgd", "learning_rate": 0.001,
                                              "momentum": 0.9, "weight_decay": 5e-4}
    assert dict(config.train.g_optimizer) == {"name": "adam", "learning_rate": 1e-3}


def test_train_and_evaluate_exports_the_quantized_classifier(trained):
    model, _, root = trained
    assert isinstance(model, ZAQ) and int(model.step_count) == 2
    loaded = tf.saved_model.load(str(root / "export"))
    assert set(loaded.signatures) == {"serving_default"}
    serve = loaded.signatures["serving_default"]
    assert set(serve.structured_input_signature[1]) == {"images"}
    x = model.evaluation_data[0][:5]
    probabilities = serve(images=tf.constant(x))["probabilities"].numpy()
    np.testing.assert_allclose(probabilities, model.classify(x).numpy(), atol=1e-5)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`images` of serving_default "
                                                             r"must have shape \[batch, 8, 8, 1\]"):
        serve(images=tf.zeros([2, 9, 9, 1]))


def test_keras_file_round_trip_and_the_teacher_is_loaded_not_retrained(trained):
    model, config, root = trained
    restored = keras.models.load_model(str(root / "run" / "model.keras"), safe_mode=True)
    assert isinstance(restored, ZAQ) and restored.q_steps == 1 and not restored.teacher.trainable
    x = model.evaluation_data[0][:5]
    np.testing.assert_allclose(restored.classify(x), model.classify(x), atol=1e-6)
    np.testing.assert_allclose(restored.layer_weights.numpy(), model.layer_weights.numpy())
    assert (root / "teacher.keras").exists()  # P was written once, then is loaded
    again = get_scheme("zaq")(config, get_dataset("none")(config, 8))
    for a, b in zip(again.teacher.weights, model.teacher.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_bad_arguments_are_refused():
    model = make_zaq()
    with pytest.raises(ValueError, match="`q_steps` must be a positive integer. Received: "
                                         "q_steps=0"):
        ZAQ(model.generator, model.teacher, model.quantized, latent_dim=LATENT, q_steps=0)
    with pytest.raises(ValueError, match=r"`weight_momentum` must be in \[0, 1\)"):
        ZAQ(model.generator, model.teacher, model.quantized, latent_dim=LATENT,
            weight_momentum=1.0)
    plain = quantize_model(digits_cnn(8, width=4), 4, 4)
    with pytest.raises(ValueError, match=r"must both output \[feature maps \.\.\., logits\]"):
        ZAQ(model.generator, model.teacher, plain, latent_dim=LATENT)
    with pytest.raises(ValueError, match="`feature_layers` must name layers of digits_cnn"):
        with_features(digits_cnn(8, width=4), ("relu_9",))
