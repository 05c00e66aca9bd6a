"""ZAQ (Liu et al. 2021): the step wiring, the frozen P, export of Q, configs, bad arguments."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import zaq_digits, zaq_digits_w6a8
from tfgan_kit.losses import layer_weight_update, output_discrepancy, relation_discrepancies
from tfgan_kit.models.zaq import ZAQ
from tfgan_kit.nets.zaq import DIGITS_CNN_FEATURES, digits_cnn, with_features, zaq_generator
from tfgan_kit.quantize import quantize_model
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

LATENT = 8


def make_zaq(q_steps=2, alpha=1.0, beta=0.1, momentum=0.9, seed=0):
    keras.utils.set_random_seed(seed)
    classifier = digits_cnn(8, width=4, seed=seed)
    teacher = with_features(classifier, DIGITS_CNN_FEATURES, name="teacher")
    model = ZAQ(zaq_generator(LATENT, (8, 8, 1), base_filters=4), teacher,
                quantize_model(teacher, 4, 4, name="quantized"), latent_dim=LATENT,
                q_steps=q_steps, alpha=alpha, beta=beta, weight_momentum=momentum, seed=seed)
    model.compile(q_optimizer=keras.optimizers.SGD(0.05),
                  g_optimizer=keras.optimizers.SGD(0.05))
    return model


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
    assert dict(config.train.q_optimizer) == {"name": "sgd", "learning_rate": 0.1,
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
