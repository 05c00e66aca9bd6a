"""Visual question answering (Antol et al. 2015; Nam et al. 2017): VQA accuracy, baselines,
Sort-of-CLEVR and VQA v2 data, BoW / LSTM / deeper LSTM Q + norm I models and Dual Attention
Networks, trained as the supervised task ``"vqa"`` by ``train.py``."""

from tfgan_kit.vqa.accuracy import CONTRACTIONS, evaluate, normalize_answer, vqa_accuracy
from tfgan_kit.vqa.baselines import NearestNeighbour, PriorAnswer, QuestionTypePrior, RandomAnswer
from tfgan_kit.vqa.dan import MDAN, RDAN, bidirectional_margin_ranking_loss
from tfgan_kit.vqa.encoders import ConvEncoder, FeatureEncoder, repeat_for_questions
from tfgan_kit.vqa.export import export_vqa_model, read_assets
from tfgan_kit.vqa.models import BowQuestionImage, LstmQuestionImage
from tfgan_kit.vqa.sort_of_clevr import SortOfClevr
from tfgan_kit.vqa.text import Vocabulary, tokenize, top_answers
from tfgan_kit.vqa.vqa_v2 import VQAv2Set, read_vqa_v2

__all__ = ["CONTRACTIONS", "evaluate", "normalize_answer", "vqa_accuracy", "NearestNeighbour",
           "PriorAnswer", "QuestionTypePrior", "RandomAnswer", "Vocabulary", "tokenize",
           "top_answers", "MDAN", "RDAN", "bidirectional_margin_ranking_loss", "ConvEncoder",
           "FeatureEncoder", "export_vqa_model", "read_assets", "BowQuestionImage",
           "LstmQuestionImage", "SortOfClevr", "VQAv2Set", "read_vqa_v2", "repeat_for_questions"]
