"""MetricsCallback inside fit: metrics in the history, TensorBoard scalars, the suite's values."""

import glob

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.data import digits, digits_arrays
from tfgan_kit.metrics import ClassifierFeatures, frechet_distance, ms_ssim_diversity
from tfgan_kit.metrics.callback import MetricsCallback
from tfgan_kit.metrics.suite import compute_metrics, parse_metric_names
from tfgan_kit.models import GAN
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator


def _gan():
    model = GAN(dcgan_generator(8, image_size=8, channels=1),
                dcgan_discriminator(image_size=8, channels=1), latent_dim=8)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    return model


def test_metrics_every_second_epoch_in_history_and_tensorboard(digits_classifier, tmp_path):
    model = _gan()
    real = digits_arrays(8)[:300]
    extractor = ClassifierFeatures(digits_classifier[0], "features")
    callback = MetricsCallback(real, metrics="fid,kid,ms_ssim", extractor=extractor,
                               every_epochs=2, num_samples=200, tensorboard_dir=str(tmp_path))
    history = model.fit(digits(batch_size=32, image_size=8), epochs=4, steps_per_epoch=2,
                        callbacks=[callback], verbose=0)
    assert callback.evaluated_epochs == [2, 4]
    assert len(history.history["fid"]) == 2 and len(history.history["d_loss"]) == 4
    assert {"kid", "kid_std", "ms_ssim"} <= set(history.history)
    # Independent recomputation of the last epoch's values from the same fixed z.
    fake = callback.generate()
    expected_fid = frechet_distance(extractor(real).features, extractor(fake).features)
    assert history.history["fid"][-1] == pytest.approx(expected_fid, rel=1e-9)
    assert history.history["ms_ssim"][-1] == pytest.approx(ms_ssim_diversity(fake), rel=1e-9)
    # TensorBoard scalars at steps 2 and 4.
    steps = []
    for event_file in glob.glob(str(tmp_path / "events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(event_file):
            steps += [event.step for value in event.summary.value if value.tag == "metrics/fid"]
    assert sorted(steps) == [2, 4]


def test_suite_keys_and_errors():
    rng = np.random.default_rng(0)
    real, fake = rng.uniform(-1, 1, (40, 16, 16, 1)), rng.uniform(-1, 1, (30, 16, 16, 1))
    results = compute_metrics("swd,ms_ssim,parzen", real, fake)
    assert set(results) == {"swd_x1e3_16", "swd_x1e3_avg", "ms_ssim", "parzen_log_likelihood",
                            "parzen_standard_error", "parzen_sigma"}
    assert parse_metric_names(["fid", "kid", "fid"]) == ("fid", "kid")
    with pytest.raises(ValueError, match="Unknown or empty metric names \\['fdi'\\]"):
        parse_metric_names("fid,fdi")
    with pytest.raises(ValueError, match="need a feature extractor"):
        compute_metrics("fid", real, fake)
    with pytest.raises(ValueError, match="need `extractor`"):
        MetricsCallback(real, metrics="prdc")
