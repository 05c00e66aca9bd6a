"""Visual question answering (Antol et al. 2015; Nam et al. 2017): VQA accuracy, baselines,
data and models, trained as supervised tasks by ``train.py``."""

from tfgan_kit.vqa.accuracy import CONTRACTIONS, evaluate, normalize_answer, vqa_accuracy

__all__ = ["CONTRACTIONS", "evaluate", "normalize_answer", "vqa_accuracy"]
