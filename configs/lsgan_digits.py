"""LSGAN (Mao et al. 2017, codes 0-1-1) with DCGAN nets on the embedded digits at 32x32.

    python train.py --config=configs/lsgan_digits.py --workdir=/tmp/lsgan_digits \
        --export_dir=/tmp/lsgan_digits/export

MEASURED with these defaults (seed 0, 898 samples; `nice python benchmarks/digits_quality.py`,
2026-12-03, the 2-core machine shared with three other jobs): FID 32.32 on the digits
classifier's features, SWD x1e3 39.64, 31.8% of the samples classified with >= 90% confidence
(403 s); the GAN's digits config: FID 15.21, SWD 23.09, 36.5%; held-out real digits: FID
0.83, SWD 8.35, 89%.
"""

from configs import dcgan_digits


def get_config():
    config = dcgan_digits.get_config()
    config.scheme = "lsgan"
    del config.model["generator_loss"]  # GAN-only setting
    config.model.labels = "0-1-1"
    # Adam(2e-4, beta_1 0.5) and batch 64 as the paper's (and DCGAN's) image experiments.
    return config
