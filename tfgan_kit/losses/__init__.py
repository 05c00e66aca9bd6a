"""Adversarial losses and penalties as pure functions of discriminator outputs.

Reference: Goodfellow et al. 2014 (minimax / non-saturating), Mao et al. 2017 (least squares),
Arjovsky et al. 2017 and Gulrajani et al. 2017 (Wasserstein, gradient penalty), Karras et al. 2018
(drift); see each function's docstring.
"""

from tfgan_kit.losses.adversarial import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from tfgan_kit.losses.penalties import drift_penalty, gradient_penalty, interpolate
from tfgan_kit.losses.wasserstein import (
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)

__all__ = [
    "drift_penalty",
    "gradient_penalty",
    "interpolate",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
]
