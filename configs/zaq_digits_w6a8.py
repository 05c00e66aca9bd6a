"""ZAQ on the digits CNN at W6A8, the authors' default bit widths (configs/zaq_digits.py is W4A4).

    python train.py --config=configs/zaq_digits_w6a8.py --workdir=/tmp/zaq_digits_w6a8 \
        --export_dir=/tmp/zaq_digits_w6a8/export
"""

from configs import zaq_digits


def get_config():
    config = zaq_digits.get_config()
    config.model.weight_bits = 6
    config.model.activation_bits = 8
    return config
