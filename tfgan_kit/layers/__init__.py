"""Keras layers usable in any model (NHWC).

Progressive GAN layers (Karras et al. 2018): minibatch standard deviation, pixelwise feature
normalisation, equalized learning-rate dense/conv layers, fade-in and 2x resampling. Image-to-image translation (Zhu et al. 2017): reflection padding, the history pool.
Batch normalisation on TensorFlow's fused kernel (Ioffe & Szegedy 2015), as Keras' layer.
"""

from tfgan_kit.layers.batch_norm import FusedBatchNormalization
from tfgan_kit.layers.equalized import EqualizedConv2D, EqualizedDense
from tfgan_kit.layers.fade_in import FadeIn
from tfgan_kit.layers.pggan import MinibatchStdDev, PixelNorm
from tfgan_kit.layers.resampling import Downsample2D, Upsample2D
from tfgan_kit.layers.padding import ReflectionPadding2D
from tfgan_kit.layers.history_pool import HistoryPool

__all__ = [
    "Downsample2D",
    "EqualizedConv2D",
    "EqualizedDense",
    "FadeIn",
    "FusedBatchNormalization",
    "MinibatchStdDev",
    "PixelNorm",
    "Upsample2D",
    "ReflectionPadding2D",
    "HistoryPool",
]
