"""From a question set to ``tf.data`` batches ``((images, question ids), answer class)`` and back
to answers.

A question set (``SortOfClevr`` or ``VQAv2Set``) holds each image once (``images``) and, per
question, ``image_index``, ``questions`` and ``answers``. Pixels (uint8) become float32 in
[-1, 1] (the library's image convention); precomputed features stay as they are.

Reference: Antol et al. 2015, Section 6 (training on the questions whose answer is among the
top K; answering with the most probable of the K).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import tensorflow as tf

from tfgan_kit.vqa.text import Vocabulary

__all__ = ["image_inputs", "encode_answers", "question_batches", "predict_answers"]


def image_inputs(images: np.ndarray) -> np.ndarray:
    """uint8 pixels -> float32 in [-1, 1]; float features unchanged (as float32)."""
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 127.5 - 1.0
    return images.astype(np.float32)


def encode_answers(answers: Sequence[str], answer_list: Sequence[str]) -> np.ndarray:
    """Answer classes ``[m]`` int32: the index in ``answer_list``, -1 for an answer outside it."""
    index = {a: i for i, a in enumerate(answer_list)}
    return np.array([index.get(a, -1) for a in answers], np.int32)


def question_batches(qa_set, vocabulary: Vocabulary, answer_list: Sequence[str],
                     max_length: int, batch_size: int, shuffle_seed: int | None = None,
                     repeat: bool = False) -> tf.data.Dataset:
    """Batches ``((images, question ids), answer class)`` of the questions whose answer is in
    ``answer_list``.

    Args:
        qa_set: a question set (``images``, ``image_index``, ``questions``, ``answers``).
        vocabulary: the question vocabulary.
        answer_list: the K answers.
        max_length: question length in tokens (longer questions are cut).
        batch_size: examples per batch (the last partial batch is kept unless ``repeat``).
        shuffle_seed: shuffle the questions with this seed each pass; ``None`` keeps the order.
        repeat: an endless stream (for ``fit``). Defaults to `False`.

    Returns:
        The ``tf.data.Dataset``.
    """
    labels = encode_answers(qa_set.answers, answer_list)
    keep = np.flatnonzero(labels >= 0)
    tokens = vocabulary.encode([qa_set.questions[i] for i in keep], max_length)
    pixels = qa_set.images.dtype == np.uint8
    images = tf.constant(qa_set.images if pixels else image_inputs(qa_set.images))  # uint8: 1/4
    data = tf.data.Dataset.from_tensor_slices(
        (qa_set.image_index[keep].astype(np.int32), tokens, labels[keep]))
    if shuffle_seed is not None:
        data = data.shuffle(len(keep), seed=shuffle_seed, reshuffle_each_iteration=True)
    if repeat:
        data = data.repeat()
    data = data.batch(batch_size, drop_remainder=repeat)

    def gather(index, question, label):
        image = tf.gather(images, index)
        if pixels:
            image = tf.cast(image, tf.float32) / 127.5 - 1.0
        return (image, question), label

    data = data.map(gather, num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def predict_answers(model, qa_set, vocabulary: Vocabulary, answer_list: Sequence[str],
                    max_length: int, batch_size: int = 256) -> list[str]:
    """The model's answer (the most probable of the K) to every question of ``qa_set``."""
    tokens = vocabulary.encode(qa_set.questions, max_length)
    images = image_inputs(qa_set.images)
    answers = []
    for start in range(0, len(tokens), batch_size):
        index = qa_set.image_index[start:start + batch_size]
        logits = model((images[index], tokens[start:start + batch_size]), training=False)
        answers += [answer_list[i] for i in np.argmax(np.asarray(logits), -1)]
    return answers
