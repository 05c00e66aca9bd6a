"""Adversarial training schemes, each a `keras.Model` with its own `train_step`.

Importing this package registers every scheme's builder (``tfgan_kit.registry``) and every Keras
class a scheme's ``.keras`` file may hold (schemes, nets, layers, quantized layers), so that
``keras.models.load_model("WORKDIR/model.keras")`` works after ``import tfgan_kit.models``.

Reference: see each scheme's module (Goodfellow et al. 2014 for `GAN`, Karras et al. 2018 for
`ProgressiveGAN`).
"""

import tfgan_kit.layers  # noqa: F401  (registers the layer classes for load_model)
import tfgan_kit.nets  # noqa: F401  (registers the net classes, e.g. OneHot, for load_model)
import tfgan_kit.quantize  # noqa: F401  (registers the quantized layers ZAQ's model holds)
from tfgan_kit.models.acgan import ACGAN
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.began import BEGAN
from tfgan_kit.models.catgan import CatGAN
from tfgan_kit.models.cgan import ConditionalGAN
from tfgan_kit.models.dragan import DRAGAN
from tfgan_kit.models.ebgan import EBGAN
from tfgan_kit.models.fgan import FGAN
from tfgan_kit.models.gan import GAN
from tfgan_kit.models.growth import GrowthPhase, GrowthSchedule
from tfgan_kit.models.infogan import InfoGAN
from tfgan_kit.models.lsgan import LSGAN
from tfgan_kit.models.progressive import ProgressiveGAN
from tfgan_kit.models.ssgan import SemiSupervisedGAN
from tfgan_kit.models.wgan import WGAN
from tfgan_kit.models.wgan_gp import WGANGP
from tfgan_kit.models.zaq import ZAQ
from tfgan_kit.models.pix2pix import Pix2Pix
from tfgan_kit.models.cyclegan import CycleGAN

__all__ = [
    "ACGAN",
    "AdversarialModel",
    "BEGAN",
    "ConditionalGAN",
    "DRAGAN",
    "EBGAN",
    "FGAN",
    "GAN",
    "GrowthPhase",
    "GrowthSchedule",
    "LSGAN",
    "ProgressiveGAN",
    "WGAN",
    "WGANGP",
    "ZAQ",
    "Pix2Pix",
    "CycleGAN",
    "InfoGAN",
    "SemiSupervisedGAN",
    "CatGAN",
]
