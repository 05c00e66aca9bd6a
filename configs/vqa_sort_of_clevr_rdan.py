"""r-DAN (Nam et al. 2017; K = 2 attention steps, joint memory) on Sort-of-CLEVR, attending over
the 5x5 regions of the image CNN trained end to end.

    python train.py --config=configs/vqa_sort_of_clevr_rdan.py --workdir=/tmp/vqa_rdan \
        --export_dir=/tmp/vqa_rdan/export

CPU-sized width 128 (the paper's: 512). Measured: see the README's VQA section.
"""

from configs import vqa_sort_of_clevr_lstm


def get_config():
    config = vqa_sort_of_clevr_lstm.get_config()
    config.model.name = "rdan"
    config.model.units = 128
    config.model.embedding_dim = 128
    return config
