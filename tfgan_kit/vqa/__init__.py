"""Visual question answering (Antol et al. 2015; Nam et al. 2017): VQA accuracy, baselines,
data and models, trained as supervised tasks by ``train.py``."""

from tfgan_kit.vqa.accuracy import CONTRACTIONS, evaluate, normalize_answer, vqa_accuracy
from tfgan_kit.vqa.baselines import NearestNeighbour, PriorAnswer, QuestionTypePrior, RandomAnswer
from tfgan_kit.vqa.text import Vocabulary, tokenize, top_answers

__all__ = ["CONTRACTIONS", "evaluate", "normalize_answer", "vqa_accuracy", "NearestNeighbour",
           "PriorAnswer", "QuestionTypePrior", "RandomAnswer", "Vocabulary", "tokenize",
           "top_answers"]
