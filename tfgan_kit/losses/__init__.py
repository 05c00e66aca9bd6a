"""Adversarial losses and penalties as pure functions of discriminator outputs.

Reference: Goodfellow et al. 2014 (minimax / non-saturating); see each function's docstring.
"""

from tfgan_kit.losses.adversarial import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)

__all__ = [
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
]
