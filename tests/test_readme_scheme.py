"""The README's "Writing a scheme" example runs as written: RSGAN through the trainer."""

import os
import re

import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_blocks() -> list[str]:
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    section = text[text.index("## Writing a scheme"):text.index("## Export and sampling")]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_scheme_example_is_the_rsgan_formula_and_trains(tmp_path):
    scheme_code, config_code = readme_blocks()
    scheme, config_module = {}, {}
    exec(compile(scheme_code, "README:scheme", "exec"), scheme)
    exec(compile(config_code, "README:config", "exec"), config_module)
    config = config_module["get_config"]()
    assert config.scheme == "rsgan" and "d_steps" not in config.model
    config.train.update(epochs=2, steps_per_epoch=5, batch_size=64, jit_compile=False,
                        num_samples=100, verbose="0")

    from tfgan_kit.registry import get_dataset, get_scheme
    from tfgan_kit.training import train_and_evaluate

    spec = get_dataset(config.data.name)(config, 64)
    model = get_scheme("rsgan")(config, spec)
    assert isinstance(model, scheme["RelativisticGAN"])
    real = next(iter(spec.dataset))
    z_d = model.noise(64, stream=0)
    gap = (model.discriminator(real, training=True).numpy()
           - model.discriminator(model.generator(z_d, training=True), training=True).numpy())
    expected = np.mean(np.log1p(np.exp(-gap)))  # -log sigmoid(C(x_r) - C(x_f))
    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), expected, rtol=1e-5)

    trained = train_and_evaluate(config, str(tmp_path / "run"), export_dir=str(tmp_path / "export"))
    assert int(trained.step_count) == 10
    serve = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    assert serve(z=tf.zeros((3, 16)))["images"].shape == (3, 2)
