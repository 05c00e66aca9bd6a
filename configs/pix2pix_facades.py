"""Pix2Pix (Isola et al. 2017) with the paper's settings on the CMP facades (labels -> photos).

    python train.py --config=configs/pix2pix_facades.py --workdir=/tmp/pix2pix_facades \
        --config.data.path=/data/facades/train --export_dir=/tmp/pix2pix_facades/export

``data.path`` is a folder of the side-by-side ``A|B`` files of the pix2pix facades set (photo on
the left, labels on the right: ``direction = "b_to_a"`` translates labels -> photos). Nothing is
downloaded. Settings of the paper (Section 3.3, Appendix 6.2): 256x256 crops of images resized
to 286x286, mirroring, batch 1, 200 epochs, Adam 2e-4 (beta_1 0.5), lambda 100, a U-Net with 8
levels, a 70x70 PatchGAN. Not run here (no data set on this machine, a GPU-days job on a CPU).
"""

import ml_collections

from configs import pix2pix_shapes


def get_config() -> ml_collections.ConfigDict:
    config = pix2pix_shapes.get_config()

    config.data = ml_collections.ConfigDict()
    config.data.name = "paired_folder"
    config.data.path = "facades/train"  # side-by-side A|B files
    config.data.direction = "b_to_a"  # labels (B) -> photos (A)
    config.data.image_size = 256
    config.data.load_size = 286
    config.data.mirror = True

    config.model.g_base_filters = 64
    config.model.d_base_filters = 64

    config.train.batch_size = 1
    config.train.epochs = 200
    config.train.sample_every_epochs = 10
    config.train.num_samples = 4
    return config
