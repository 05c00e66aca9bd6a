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

from tfgan_kit.errors import UserError
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
                     repeat: bool = False, questions_per_image: int | None = None
                     ) -> tf.data.Dataset:
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
        questions_per_image: ``None`` (default): every question is an example with its own
            copy of its image. An integer r: batches ``((images [batch_size / r], ids
            [batch_size, T]), classes [batch_size])`` of images in shuffled order, each with r
            of its questions drawn at random (without replacement when it has r or more), so
            the CNN runs once per image and the models repeat its features for its r
            questions (:func:`tfgan_kit.vqa.encoders.repeat_for_questions`). Needs
            ``shuffle_seed`` and ``repeat``.

    Returns:
        The ``tf.data.Dataset``.

    Raises:
        ValueError: if ``questions_per_image`` does not divide ``batch_size`` or comes without
            ``shuffle_seed`` and ``repeat``.
    """
    if questions_per_image is not None:
        return _image_batches(qa_set, vocabulary, answer_list, max_length, batch_size,
                              shuffle_seed, repeat, questions_per_image)
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


def _image_batches(qa_set, vocabulary, answer_list, max_length, batch_size, shuffle_seed,
                   repeat, questions_per_image):
    """``question_batches`` with ``questions_per_image`` questions of each image per batch."""
    per_image = questions_per_image
    if not isinstance(per_image, int) or per_image < 1 or batch_size % per_image:
        raise UserError("`questions_per_image` must be a positive integer dividing the batch "
                        f"size {batch_size}. Received: {per_image!r}")
    if shuffle_seed is None or not repeat:
        raise UserError("`questions_per_image` draws random questions for a training stream: "
                        "pass `shuffle_seed` and `repeat=True` with it.")
    labels = encode_answers(qa_set.answers, answer_list)
    keep = np.flatnonzero(labels >= 0)
    tokens = tf.constant(vocabulary.encode([qa_set.questions[i] for i in keep], max_length))
    kept_labels = tf.constant(labels[keep])
    owners = qa_set.image_index[keep]
    order = np.argsort(owners, kind="stable")  # kept questions grouped by image
    image_ids, starts, counts = np.unique(owners[order], return_index=True, return_counts=True)
    order = tf.constant(order.astype(np.int32))
    pixels = qa_set.images.dtype == np.uint8
    images = tf.constant(qa_set.images if pixels else image_inputs(qa_set.images))
    data = tf.data.Dataset.from_tensor_slices(
        (image_ids.astype(np.int32), starts.astype(np.int32), counts.astype(np.int32)))
    data = data.shuffle(len(image_ids), seed=shuffle_seed, reshuffle_each_iteration=True)

    def draw(image, start, count):
        shuffled = tf.argsort(tf.random.uniform([count], seed=shuffle_seed))
        with_replacement = tf.random.uniform([per_image], 0, count, tf.int32, seed=shuffle_seed)
        picks = tf.cond(count >= per_image, lambda: shuffled[:per_image],
                        lambda: with_replacement)
        rows = tf.gather(order, start + picks)
        return image, tf.gather(tokens, rows), tf.gather(kept_labels, rows)

    data = data.repeat().map(draw).batch(batch_size // per_image, drop_remainder=True)

    def gather(image, question, label):
        image = tf.gather(images, image)
        if pixels:
            image = tf.cast(image, tf.float32) / 127.5 - 1.0
        return (image, tf.reshape(question, [-1, max_length])), tf.reshape(label, [-1])

    return data.map(gather, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


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
