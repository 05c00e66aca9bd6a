"""Network builders returning `keras.Model`s.

Reference: Goodfellow et al. 2014 (MLP nets), Radford et al. 2016 (DCGAN nets).
"""

from tfgan_kit.nets.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_kit.nets.mlp import mlp_discriminator, mlp_generator

__all__ = ["dcgan_discriminator", "dcgan_generator", "mlp_discriminator", "mlp_generator"]
