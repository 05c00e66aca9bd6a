"""Adversarial training schemes, each a `keras.Model` with its own `train_step`.

Reference: see each scheme's module (Goodfellow et al. 2014 for `GAN`).
"""

from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.gan import GAN

__all__ = ["AdversarialModel", "GAN"]
