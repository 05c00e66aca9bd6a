"""r-DAN (Nam et al. 2017; K = 2 attention steps, joint memory) on Sort-of-CLEVR, attending over
the 5x5 regions of the image CNN trained end to end, each region with its (x, y) appended.

    python train.py --config=configs/vqa_sort_of_clevr_rdan.py --workdir=/tmp/vqa_rdan \
        --export_dir=/tmp/vqa_rdan/export

CPU-sized width 128 (the paper's: 512); data and training as configs/vqa_sort_of_clevr_lstm.py
(20,000 steps of 8 questions of each of 16 images, Adam 1e-3).

Measured 2026-12-02 on the shared, loaded 2-core CPU machine, both configs at once (`python
benchmarks/vqa_sort_of_clevr.py`, 26-28 min wall): 99.3% non-relational / 81.6% relational
(closest 73.6%, furthest 73.4%, count 96.9%) on 5,000 questions about 250 held-out images. The
same figures to the digit on 2026-12-03 (25.6 min, another run on one core for 12 min of it;
this config now pins the batch-normalised CNN, which the LSTM config no longer uses), against
72.0% relational for deeper LSTM Q + norm I (81.6% non-relational): r-DAN matches or beats it on
relational questions (met). The training accuracy sits at 67% for ~9,000 steps, then climbs to
90% as the attention binds the question's colour to its object.
"""

from configs import vqa_sort_of_clevr_lstm


def get_config():
    config = vqa_sort_of_clevr_lstm.get_config()
    config.model.name = "rdan"
    config.model.cnn_normalization = "batch"  # as measured (the LSTM config's default: "none")
    config.model.units = 128
    config.model.embedding_dim = 128
    return config
