"""The ``"vqa"`` task: a VQA model trained by ``train.py`` (``config.task = "vqa"``).

``config.data.name`` picks the question sets (``"sort_of_clevr"``: generated; ``"vqa_v2"``:
the official files with precomputed features), ``config.model.name`` the model
(``"bow_q_i"``, ``"lstm_q_i"``, ``"deeper_lstm_q_norm_i"``, ``"rdan"``) and
``config.model.encoder`` the image encoder (``"cnn"`` on pixels, ``"features"``). The vocabulary
(``config.data.max_words`` most frequent question words) and the K answers
(``config.model.num_answers``) come from the training questions; training uses the questions
whose answer is among the K, one question per image copy, or, with
``config.data.batch_questions_per_image = r``, r questions of each image per batch (the CNN
runs once per image). After training the report gives the held-out accuracy overall,
per question type and per group (Sort-of-CLEVR: relational / non-relational; VQA v2: answer
type), plus the VQA accuracy when human answers are known.

Reference:
    Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 6; Nam et al., "Dual
    Attention Networks for Multimodal Reasoning and Matching", CVPR 2017, Section 3.2.
"""

from __future__ import annotations

from collections import Counter

import keras
import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.optimizers import build_optimizer
from tfgan_kit.registry import register_task
from tfgan_kit.types import SupervisedTask
from tfgan_kit.vqa import sort_of_clevr
from tfgan_kit.vqa.accuracy import vqa_accuracy
from tfgan_kit.vqa.dan import RDAN
from tfgan_kit.vqa.encoders import ConvEncoder, FeatureEncoder
from tfgan_kit.vqa.export import export_vqa_model
from tfgan_kit.vqa.models import BowQuestionImage, LstmQuestionImage
from tfgan_kit.vqa.pipeline import predict_answers, question_batches
from tfgan_kit.vqa.text import Vocabulary, top_answers
from tfgan_kit.vqa.vqa_v2 import read_vqa_v2

__all__ = ["build_vqa_task", "build_sets", "build_model", "question_groups", "accuracy_report"]


def _sort_of_clevr_sets(data):
    train = sort_of_clevr.generate(data.num_images, data.questions_per_image, seed=data.seed)
    test = sort_of_clevr.generate(data.test_images, data.questions_per_image,
                                  seed=data.seed + 1)
    return train, test


def _vqa_v2_sets(data):
    return (read_vqa_v2(data.train_questions, data.train_annotations, data.train_features),
            read_vqa_v2(data.test_questions, data.test_annotations, data.test_features))


_SETS = {"sort_of_clevr": _sort_of_clevr_sets, "vqa_v2": _vqa_v2_sets}


def build_sets(config):
    """``(train, test)`` question sets of ``config.data``.

    Raises:
        ValueError: for an unknown ``config.data.name``.
    """
    if config.data.name not in _SETS:
        raise UserError(f"Unknown VQA data {config.data.name!r} in `config.data.name`: valid "
                        f"values are {sorted(_SETS)}.")
    return _SETS[config.data.name](config.data)


def _encoder(model_config):
    if model_config.encoder == "cnn":
        return ConvEncoder(model_config.cnn_filters, model_config.cnn_layers,
                           model_config.region_coordinates,
                           normalization=model_config.get("cnn_normalization", "batch"))
    if model_config.encoder == "features":
        return FeatureEncoder()
    raise UserError(f"Unknown image encoder {model_config.encoder!r} in `config.model.encoder`: "
                    "valid values are ['cnn', 'features'].")


def _position_words(tokens: np.ndarray, count: int = 10):
    """The ``count`` most frequent ids at the first, second and third word (0 and 1 excluded)."""
    positions = []
    for column in tokens[:, :3].T:
        counts = Counter(int(t) for t in column if t > 1)
        positions.append(sorted(counts, key=lambda t: (-counts[t], t))[:count])
    return positions


def build_model(model_config, vocabulary: Vocabulary, num_answers: int, train_tokens=None):
    """The VQA model of ``model_config.name`` (uncompiled).

    Raises:
        ValueError: for an unknown ``model_config.name``.
    """
    sizes = dict(hidden=tuple(model_config.hidden), dropout=model_config.dropout)
    lstm = dict(embedding_dim=model_config.embedding_dim, lstm_units=model_config.lstm_units,
                common_dim=model_config.common_dim,
                image_hidden=tuple(model_config.get("image_hidden", ())),
                image_pooling=model_config.get("image_pooling", "flatten"), **sizes)
    rescale = dict(rescale_image=model_config.get("rescale_image", False))
    builders = {
        "bow_q_i": lambda encoder: BowQuestionImage(
            encoder, len(vocabulary), num_answers, _position_words(train_tokens), **sizes),
        "lstm_q_i": lambda encoder: LstmQuestionImage(
            encoder, len(vocabulary), num_answers, num_layers=1, normalize_image=False, **lstm),
        "deeper_lstm_q_norm_i": lambda encoder: LstmQuestionImage(
            encoder, len(vocabulary), num_answers, num_layers=2, normalize_image=True, **lstm,
            **rescale),
        "rdan": lambda encoder: RDAN(
            encoder, len(vocabulary), num_answers, steps=model_config.steps,
            units=model_config.units, embedding_dim=model_config.embedding_dim),
    }
    if model_config.name not in builders:
        raise UserError(f"Unknown VQA model {model_config.name!r} in `config.model.name`: "
                        f"valid values are {sorted(builders)}.")
    return builders[model_config.name](_encoder(model_config))


def question_groups(qa_set) -> list[str]:
    """The reporting group of each question: relational / non-relational (Sort-of-CLEVR), the
    answer type (VQA v2)."""
    if hasattr(qa_set, "relational"):
        return ["relational" if r else "non_relational" for r in qa_set.relational]
    return list(qa_set.answer_types)


def accuracy_report(predicted, qa_set) -> dict:
    """Held-out accuracy (%) of ``predicted`` answers: overall, per group, per question type;
    plus the VQA accuracy (Antol et al. 2015, Section 2) when the set has human answers."""
    right = np.array([p == a for p, a in zip(predicted, qa_set.answers)], np.float64)
    report = {"accuracy": round(100 * right.mean(), 2)}
    for name, keys in (("per_group", question_groups(qa_set)),
                       ("per_question_type", qa_set.question_types)):
        keys = np.array(keys)
        report[name] = {k: round(100 * right[keys == k].mean(), 2) for k in sorted(set(keys))}
    humans = getattr(qa_set, "human_answers", None)
    if humans and all(len(h) > 1 for h in humans):
        scores = [vqa_accuracy(p, h) for p, h in zip(predicted, humans)]
        report["vqa_accuracy"] = round(100 * float(np.mean(scores)), 2)
    return report


@register_task("vqa")
def build_vqa_task(config) -> SupervisedTask:
    """Builds the VQA task of ``config`` (see the module doc), compiled with
    ``config.train.optimizer`` and softmax cross-entropy over the K answers.

    Reference:
        Antol et al. 2015, Section 6 (softmax over the top K = 1000 answers).
    """
    train_set, test_set = build_sets(config)
    vocabulary = Vocabulary.build(train_set.questions, config.data.max_words)
    answers = top_answers(train_set.answers, config.model.num_answers)
    max_length, batch = config.data.max_length, config.train.batch_size
    stream = question_batches(train_set, vocabulary, answers, max_length, batch,
                              shuffle_seed=config.seed, repeat=True,
                              questions_per_image=config.data.get("batch_questions_per_image"))
    kept = sum(a in set(answers) for a in train_set.answers)
    model = build_model(config.model, vocabulary,
                        len(answers), vocabulary.encode(train_set.questions, max_length))
    model.compile(optimizer=build_optimizer(config.train.optimizer, "config.train.optimizer"),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], jit_compile=config.train.get("jit_compile", False))
    image_shape = train_set.images.shape[1:]
    model((np.zeros((1, *image_shape), np.float32), np.zeros((1, max_length), np.int32)))

    def report(trained) -> dict:
        predicted = predict_answers(trained, test_set, vocabulary, answers, max_length)
        return accuracy_report(predicted, test_set)

    def export(trained, export_dir: str) -> str:
        return export_vqa_model(trained, export_dir, image_shape, max_length, vocabulary.words,
                                answers)

    steps = config.train.get("steps_per_epoch") or max(1, kept // batch)
    paper = ("Nam et al. 2017, r-DAN" if config.model.name == "rdan"
             else f"Antol et al. 2015, {config.model.name}")
    return SupervisedTask(model, stream, steps, report, export, paper)
