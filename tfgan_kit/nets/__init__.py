"""Network builders returning `keras.Model`s.

Reference: Goodfellow et al. 2014 (MLP nets), Radford et al. 2016 (DCGAN nets), Karras et al. 2018
(progressive nets), Isola et al. 2017 (U-Net, PatchGAN), Zhu et al. 2017
(ResNet translator).
"""

from tfgan_kit.nets.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_kit.nets.mlp import mlp_discriminator, mlp_generator
from tfgan_kit.nets.progressive import (
    ProgressiveDiscriminator,
    ProgressiveGenerator,
    feature_maps,
)
from tfgan_kit.nets.zaq import digits_cnn, train_digits_cnn, with_features, zaq_generator
from tfgan_kit.nets.patchgan import patchgan_discriminator, patchgan_receptive_field
from tfgan_kit.nets.resnet_translator import resnet_translator
from tfgan_kit.nets.unet import TestTimeDropout, unet_generator, unet_levels

__all__ = [
    "ProgressiveDiscriminator",
    "ProgressiveGenerator",
    "dcgan_discriminator",
    "dcgan_generator",
    "feature_maps",
    "mlp_discriminator",
    "mlp_generator",
    "digits_cnn",
    "train_digits_cnn",
    "with_features",
    "zaq_generator",
    "patchgan_discriminator",
    "patchgan_receptive_field",
    "resnet_translator",
    "TestTimeDropout",
    "unet_generator",
    "unet_levels",
]
