"""SavedModel of a VQA model: ``serving_default(image, question) -> {"probabilities"}``.

The two inputs: ``image`` (pixels in [-1, 1], or precomputed features, as the model was trained)
and ``question`` (int32 token ids ``[batch, max_length]``, 0-padded, from the vocabulary); the
output the softmax over the K answers. The vocabulary (``vocabulary.txt``, line i = token id i)
and the answer list (``answers.txt``, line i = class i) are assets of the SavedModel, so a
client tokenises and decodes with the files that travel with it (``loaded.vocabulary``,
``loaded.answers``). A wrong image or question shape fails with a message naming it.

Reference: Antol et al. 2015, Section 6 (softmax over the top K answers).
"""

from __future__ import annotations

import os
import tempfile
from typing import Sequence

import tensorflow as tf

from tfgan_kit.preflight import check_export_dir

__all__ = ["export_vqa_model", "read_assets"]


def _shape_text(shape) -> str:
    return "[batch, " + ", ".join(str(d) for d in shape[1:]) + "]"


def export_vqa_model(model, export_dir: str, image_shape: Sequence[int], max_length: int,
                     vocabulary: Sequence[str], answers: Sequence[str]) -> str:
    """Writes ``model`` as a SavedModel with the vocabulary and answer list as assets.

    Args:
        model: a VQA ``keras.Model`` whose ``call((images, questions))`` returns logits.
        export_dir: a new folder.
        image_shape: one image's (or its features') shape, e.g. ``(75, 75, 3)``.
        max_length: question length in tokens.
        vocabulary: the question words by token id.
        answers: the K answers by class.

    Returns:
        ``export_dir``.

    Raises:
        ValueError: if ``export_dir`` already holds a SavedModel or is a file.
    """
    check_export_dir(export_dir)
    image_spec = tf.TensorSpec([None, *image_shape], tf.float32, name="image")
    question_spec = tf.TensorSpec([None, max_length], tf.int32, name="question")

    @tf.function(input_signature=[image_spec, question_spec])
    def serve(image, question):
        checks = [tf.debugging.assert_equal(
            tf.shape(image)[1:], tf.constant(list(image_shape), tf.int32),
            message=f"`image` must have shape {_shape_text(image_spec.shape)}")]
        checks.append(tf.debugging.assert_equal(
            tf.shape(question)[1], max_length,
            message=f"`question` must have shape [batch, {max_length}] (0-padded token ids)"))
        with tf.control_dependencies(checks):
            image, question = tf.identity(image), tf.identity(question)
        logits = model((image, question), training=False)
        return {"probabilities": tf.nn.softmax(tf.cast(logits, tf.float32), axis=-1)}

    module = tf.Module()
    module.model = model
    with tempfile.TemporaryDirectory() as folder:
        for name, lines in (("vocabulary.txt", vocabulary), ("answers.txt", answers)):
            with open(os.path.join(folder, name), "w") as f:
                f.write("".join(f"{line}\n" for line in lines))
        module.vocabulary = tf.saved_model.Asset(os.path.join(folder, "vocabulary.txt"))
        module.answers = tf.saved_model.Asset(os.path.join(folder, "answers.txt"))
        module.serve = serve
        tf.saved_model.save(module, export_dir, signatures={"serving_default": serve})
    return export_dir


def read_assets(export_dir: str) -> tuple[list[str], list[str]]:
    """``(vocabulary, answers)`` of a VQA SavedModel (its ``assets/`` text files).

    Raises:
        FileNotFoundError: if ``export_dir`` holds no VQA assets.
    """
    lists = []
    for name in ("vocabulary.txt", "answers.txt"):
        path = os.path.join(export_dir, "assets", name)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"No {path}: pass the --export_dir of a VQA train.py run.")
        with open(path) as f:
            lists.append(f.read().split("\n")[:-1])
    return lists[0], lists[1]
