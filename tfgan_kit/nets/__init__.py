"""Network builders returning `keras.Model`s.

Reference: Goodfellow et al. 2014 (MLP nets), Radford et al. 2016 (DCGAN nets), Karras et al. 2018
(progressive nets), Isola et al. 2017 (U-Net, PatchGAN), Zhu et al. 2017
(ResNet translator), Mirza & Osindero 2014 (conditional nets), Zhao et al. 2017 and
Berthelot et al. 2017 (autoencoders), Chen et al. 2016 (InfoGAN nets), Salimans et al. 2016
(semi-supervised classifier).

Importing this package imports every net module, so that each registers its builders
(:mod:`tfgan_kit.registry`) and its Keras classes (``OneHot``, ``TestTimeDropout``, ...) for
``keras.models.load_model``.
"""

from tfgan_kit.nets.autoencoder import (
    began_autoencoder,
    began_decoder,
    ebgan_conv_autoencoder,
    mlp_autoencoder,
)
from tfgan_kit.nets.classifier import bn_mlp_generator, noisy_mlp_classifier
from tfgan_kit.nets.conditional import (
    OneHot,
    acgan_dcgan_discriminator,
    acgan_mlp_discriminator,
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
    encode_labels,
    label_input,
)
from tfgan_kit.nets.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_kit.nets.infogan import code_width, infogan_discriminator, infogan_generator
from tfgan_kit.nets.mlp import mlp_discriminator, mlp_generator
from tfgan_kit.nets.progressive import (
    ProgressiveDiscriminator,
    ProgressiveGenerator,
    feature_maps,
)
from tfgan_kit.nets.zaq import digits_cnn, with_features, zaq_generator
from tfgan_kit.nets.patchgan import patchgan_discriminator, patchgan_receptive_field
from tfgan_kit.nets.resnet_translator import resnet_translator
from tfgan_kit.nets.unet import TestTimeDropout, unet_generator, unet_levels

__all__ = [
    "OneHot",
    "acgan_dcgan_discriminator",
    "acgan_mlp_discriminator",
    "began_autoencoder",
    "began_decoder",
    "bn_mlp_generator",
    "code_width",
    "conditional_dcgan_discriminator",
    "conditional_dcgan_generator",
    "conditional_mlp_discriminator",
    "conditional_mlp_generator",
    "ebgan_conv_autoencoder",
    "encode_labels",
    "infogan_discriminator",
    "infogan_generator",
    "label_input",
    "mlp_autoencoder",
    "noisy_mlp_classifier",
    "ProgressiveDiscriminator",
    "ProgressiveGenerator",
    "dcgan_discriminator",
    "dcgan_generator",
    "feature_maps",
    "mlp_discriminator",
    "mlp_generator",
    "digits_cnn",
    "with_features",
    "zaq_generator",
    "patchgan_discriminator",
    "patchgan_receptive_field",
    "resnet_translator",
    "TestTimeDropout",
    "unet_generator",
    "unet_levels",
]
