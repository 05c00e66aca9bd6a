"""Adversarial losses and penalties as pure functions of discriminator outputs.

Reference: Goodfellow et al. 2014 (minimax / non-saturating), Mao et al. 2017 (least squares),
Arjovsky et al. 2017 and Gulrajani et al. 2017 (Wasserstein, gradient penalty), Petzka et al. 2018
(one-sided penalty), Kodali et al. 2017 (DRAGAN), Karras et al. 2018 (drift), Zhao et al. 2017
(EBGAN), Berthelot et al. 2017 (BEGAN), Nowozin et al. 2016 (f-GAN), Liu et al. 2021 (ZAQ's
discrepancies), Isola et al. 2017 (Pix2Pix), Zhu et al. 2017 (CycleGAN), Salimans et al.
2016 (semi-supervised GAN, feature matching); see each function's
docstring.
"""

from tfgan_kit.losses.adversarial import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.losses.conditional import (
    MutualInformation,
    acgan_discriminator_loss,
    acgan_generator_loss,
    catgan_discriminator_loss,
    catgan_generator_loss,
    class_cross_entropy,
    conditional_entropy,
    infogan_mutual_information,
    marginal_entropy,
)
from tfgan_kit.losses.energy import (
    autoencoder_energy,
    began_autoencoder_loss,
    began_convergence,
    began_discriminator_loss,
    began_generator_loss,
    began_k_update,
    ebgan_discriminator_loss,
    ebgan_generator_loss,
    pulling_away_term,
)
from tfgan_kit.losses.fdivergence import (
    DIVERGENCES,
    FDivergence,
    fgan_discriminator_loss,
    fgan_generator_loss,
    get_divergence,
)
from tfgan_kit.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from tfgan_kit.losses.penalties import (
    dragan_penalty,
    dragan_perturbation_normal,
    dragan_perturbation_uniform,
    drift_penalty,
    gradient_penalty,
    interpolate,
)
from tfgan_kit.losses.quantization import (
    channel_relation_discrepancy,
    channel_relation_map,
    layer_weight_update,
    output_discrepancy,
    relation_discrepancies,
)
from tfgan_kit.losses.translation import (
    cycle_consistency_loss,
    cyclegan_discriminator_loss,
    cyclegan_generator_loss,
    identity_loss,
    l1_distance,
    pix2pix_discriminator_loss,
    pix2pix_generator_loss,
)
from tfgan_kit.losses.semi_supervised import (
    feature_matching_loss,
    real_logit,
    ssgan_generator_loss,
    ssgan_supervised_loss,
    ssgan_unsupervised_loss,
)
from tfgan_kit.losses.wasserstein import (
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)

__all__ = [
    "drift_penalty",
    "gradient_penalty",
    "interpolate",
    "dragan_penalty",
    "dragan_perturbation_normal",
    "dragan_perturbation_uniform",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
    "autoencoder_energy",
    "ebgan_discriminator_loss",
    "ebgan_generator_loss",
    "pulling_away_term",
    "began_autoencoder_loss",
    "began_convergence",
    "began_discriminator_loss",
    "began_generator_loss",
    "began_k_update",
    "DIVERGENCES",
    "FDivergence",
    "fgan_discriminator_loss",
    "fgan_generator_loss",
    "get_divergence",
    "MutualInformation",
    "acgan_discriminator_loss",
    "acgan_generator_loss",
    "catgan_discriminator_loss",
    "catgan_generator_loss",
    "class_cross_entropy",
    "conditional_entropy",
    "infogan_mutual_information",
    "marginal_entropy",
    "channel_relation_discrepancy",
    "channel_relation_map",
    "layer_weight_update",
    "output_discrepancy",
    "relation_discrepancies",
    "cycle_consistency_loss",
    "cyclegan_discriminator_loss",
    "cyclegan_generator_loss",
    "identity_loss",
    "l1_distance",
    "pix2pix_discriminator_loss",
    "pix2pix_generator_loss",
    "feature_matching_loss",
    "real_logit",
    "ssgan_generator_loss",
    "ssgan_supervised_loss",
    "ssgan_unsupervised_loss",
]
