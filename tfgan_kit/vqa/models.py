"""The VQA models of Antol et al. 2015 (Section 6): BoW Q + I, LSTM Q + I, deeper LSTM Q + norm I.

Each is a ``keras.Model`` whose ``call((images, questions))`` returns answer logits over the
top-K answers; ``images`` go through an image encoder (:mod:`tfgan_kit.vqa.encoders`) and are
read as one vector (the concatenated regions), ``questions`` are token ids ``[batch, T]``
padded with 0.

* BoW Q + I: the bag of the vocabulary words plus one-hots of the top-10 first, second and third
  words, concatenated with I, then the MLP.
* LSTM Q + I: word embeddings (a dense layer + tanh, 300-d), an LSTM of 512 units whose last
  cell and hidden states give a 1024-d question vector; I through dense 1024 + tanh; fused by
  an element-wise product, then the MLP.
* deeper LSTM Q + norm I: 2 LSTM layers of 512 (last cell and hidden states of both: 2048-d,
  then dense 1024 + tanh), the image vector L2-normalised first.

The MLP: 2 hidden layers of 1000 tanh units with dropout 0.5, then the softmax over K answers.

Reference:
    Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 6 (Image, Question,
    Multi-Layer Perceptron, LSTM Q + I, deeper LSTM Q + norm I).
"""

from __future__ import annotations

from typing import Sequence

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.vqa.encoders import repeat_for_questions

__all__ = ["AnswerMLP", "BowQuestionImage", "IMAGE_POOLINGS", "LstmQuestionImage"]


class AnswerMLP(keras.layers.Layer):
    """Hidden tanh layers with dropout, then answer logits.

    Args:
        num_answers: K, the answer classes.
        hidden: widths of the hidden layers. Defaults to `(1000, 1000)`.
        dropout: dropout rate after each hidden layer. Defaults to `0.5`.

    Reference:
        Antol et al. 2015, Section 6, "Multi-Layer Perceptron": 2 hidden layers, 1000 hidden
        units, dropout 0.5, tanh, softmax.
    """

    def __init__(self, num_answers: int, hidden: Sequence[int] = (1000, 1000),
                 dropout: float = 0.5, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(w, activation="tanh", name=f"hidden{i}")
                       for i, w in enumerate(hidden)]
        self.dropout = keras.layers.Dropout(dropout)
        self.logits = keras.layers.Dense(num_answers, name="answer_logits")

    def call(self, x, training=None):
        for layer in self.hidden:
            x = self.dropout(layer(x), training=training)
        return self.logits(x)


#: How :class:`LstmQuestionImage` reads the regions as one image vector.
IMAGE_POOLINGS = ("flatten", "max", "mean")


def _image_vector(encoder, images, questions, training, layers=(), pooling="flatten"):
    """Each image's vector, repeated for its questions: the concatenated regions through
    ``layers`` (``"flatten"``), or every region through ``layers`` (shared weights, as 1x1
    convolutions) then pooled over the regions (``"max"`` / ``"mean"``)."""
    x = encoder(images, training=training)
    if pooling == "flatten":
        x = tf.reshape(x, [tf.shape(x)[0], x.shape[1] * x.shape[2]])
    for layer in layers:  # once per image, before the repeat
        x = layer(x)
    if pooling == "max":
        x = tf.reduce_max(x, axis=1)
    elif pooling == "mean":
        x = tf.reduce_mean(x, axis=1)
    return repeat_for_questions(x, questions)


def _check_sizes(**sizes) -> None:
    for name, value in sizes.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise UserError(f"`{name}` must be a positive integer. Received: {name}={value!r}")


class BowQuestionImage(keras.Model):
    """BoW Q + I (Antol et al. 2015, Section 6).

    Args:
        image_encoder: images -> regions ``[batch, N, D]`` (static N and D).
        vocabulary_size: question vocabulary size (index 0 padding, 1 unknown; the paper keeps
            the top 1000 words).
        num_answers: K. 
        position_words: for the first, second and third word, the ids of its top-10 words
            (each becomes a one-hot feature: 1,030-d BoW with 1000 words).
        hidden: MLP widths. Defaults to `(1000, 1000)`.
        dropout: MLP dropout. Defaults to `0.5`.

    Reference:
        Antol et al. 2015, Section 6, "Bag-of-Words Question (BoW Q)": top 1000 words plus the
        top 10 first, second and third words; "BoW Q + I" concatenates it with I.
    """

    def __init__(self, image_encoder, vocabulary_size: int, num_answers: int,
                 position_words: Sequence[Sequence[int]], hidden: Sequence[int] = (1000, 1000),
                 dropout: float = 0.5, **kwargs):
        super().__init__(**kwargs)
        _check_sizes(vocabulary_size=vocabulary_size, num_answers=num_answers)
        self.image_encoder = image_encoder
        self.vocabulary_size = vocabulary_size
        # per position: vocabulary id -> slot among its top words (0 = none of them)
        self.position_tables = []
        for words in position_words:
            table = [0] * vocabulary_size
            for slot, word in enumerate(words):
                table[int(word)] = slot + 1
            self.position_tables.append((tf.constant(table, tf.int32), len(words)))
        self.mlp = AnswerMLP(num_answers, hidden, dropout)

    def question_features(self, questions):
        """The BoW vector: word counts (padding and unknown excluded) and position one-hots."""
        questions = tf.cast(questions, tf.int32)
        counts = tf.reduce_sum(tf.one_hot(questions, self.vocabulary_size), axis=1)
        parts = [counts[:, 2:]]
        for position, (table, size) in enumerate(self.position_tables):
            slot = tf.gather(table, questions[:, position])
            parts.append(tf.one_hot(slot, size + 1)[:, 1:])
        return tf.concat(parts, -1)

    def call(self, inputs, training=None):
        images, questions = inputs
        image = _image_vector(self.image_encoder, images, questions, training)
        return self.mlp(tf.concat([self.question_features(questions), image], -1),
                        training=training)


class LstmQuestionImage(keras.Model):
    """LSTM Q + I and deeper LSTM Q + norm I (Antol et al. 2015, Section 6).

    Args:
        image_encoder: images -> regions ``[batch, N, D]`` (static N and D).
        vocabulary_size: question vocabulary size (index 0 padding).
        num_answers: K.
        num_layers: LSTM layers: 1 (LSTM Q + I) or 2 (deeper LSTM Q). Defaults to `2`.
        normalize_image: L2-normalise the image vector (norm I). Defaults to `True`.
        embedding_dim: word embedding width (a dense layer + tanh on one-hot words). Defaults
            to `300`.
        lstm_units: units per LSTM layer. Defaults to `512`.
        common_dim: width of the common space of the fused question and image. Defaults to
            `1024`.
        hidden: MLP widths. Defaults to `(1000, 1000)`.
        dropout: MLP dropout. Defaults to `0.5`.
        image_hidden: widths of ReLU dense layers on the image before the (optional)
            normalisation: the top layers of the image CNN, whose last activations are the
            paper's I (VGGNet's fc7 there). Defaults to `()` (I is the encoder's output).
        rescale_image: multiply the normalised image vector by sqrt(D), D its width (unit mean
            square per element instead of unit norm). The projection that follows absorbs any
            constant, so the model's functions are the paper's; what changes is the
            projection's effective initial scale and step size (as the equalized learning
            rate of Karras et al. 2018): with unit norm over D features each input is ~D^-1/2
            and the fused product starts near zero. Only with ``normalize_image``. Defaults to
            `False`.
        image_pooling: ``"flatten"``: I reads the concatenated regions (``image_hidden`` are
            fully connected layers, as VGGNet's fc6-fc7); ``"max"`` / ``"mean"``: every region
            goes through ``image_hidden`` with shared weights (1x1 convolutions) and I is their
            global max / mean pool, as ResNet's pooled descriptor. Defaults to `"flatten"`.

    Raises:
        ValueError: for a non-positive size, an unknown ``image_pooling``, or
            ``rescale_image`` without ``normalize_image``.

    Reference:
        Antol et al. 2015, Section 6, "I" (the last hidden layer of VGGNet, fc7), "LSTM Q" (1
        layer, last cell + hidden state, 1024-d), "deeper LSTM Q" (2 layers, 2048-d, then fully
        connected + tanh to 1024), "norm I" (l2-normalised activations), fused by element-wise
        multiplication.
    """

    def __init__(self, image_encoder, vocabulary_size: int, num_answers: int,
                 num_layers: int = 2, normalize_image: bool = True, embedding_dim: int = 300,
                 lstm_units: int = 512, common_dim: int = 1024,
                 hidden: Sequence[int] = (1000, 1000), dropout: float = 0.5,
                 image_hidden: Sequence[int] = (), image_pooling: str = "flatten",
                 rescale_image: bool = False, **kwargs):
        super().__init__(**kwargs)
        if rescale_image not in (True, False):
            raise UserError(f"`rescale_image` must be True or False. Received: "
                            f"rescale_image={rescale_image!r}")
        if rescale_image and not normalize_image:
            raise UserError("`rescale_image=True` rescales the normalised image vector: it "
                            "needs normalize_image=True (the deeper LSTM Q + norm I model).")
        self.rescale_image = bool(rescale_image)
        if image_pooling not in IMAGE_POOLINGS:
            raise UserError(f"`image_pooling` must be one of {list(IMAGE_POOLINGS)}. Received: "
                            f"image_pooling={image_pooling!r}")
        self.image_pooling = image_pooling
        _check_sizes(vocabulary_size=vocabulary_size, num_answers=num_answers,
                     num_layers=num_layers, embedding_dim=embedding_dim, lstm_units=lstm_units,
                     common_dim=common_dim,
                     **{f"image_hidden[{i}]": w for i, w in enumerate(image_hidden)})
        self.image_encoder = image_encoder
        self.image_hidden = [keras.layers.Dense(w, activation="relu", name=f"image_fc{i}")
                             for i, w in enumerate(image_hidden)]
        self.normalize_image = normalize_image
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim, mask_zero=True)
        self.lstms = [keras.layers.LSTM(lstm_units, return_sequences=True, return_state=True,
                                        name=f"lstm{i}") for i in range(num_layers)]
        # one LSTM layer: [c, h] is already the 1024-d question vector (no extra layer)
        self.question_projection = (keras.layers.Dense(common_dim, activation="tanh")
                                    if num_layers > 1 else None)
        self.image_projection = keras.layers.Dense(
            common_dim if num_layers > 1 else 2 * lstm_units, activation="tanh")
        self.mlp = AnswerMLP(num_answers, hidden, dropout)

    def question_vector(self, questions, training=None):
        """Last cell and hidden states of every LSTM layer, concatenated (1024-d / 2048-d)."""
        mask = tf.not_equal(questions, 0)
        x = tf.tanh(self.embedding(questions))
        states = []
        for lstm in self.lstms:
            x, hidden, cell = lstm(x, mask=mask, training=training)
            states += [cell, hidden]
        vector = tf.concat(states, -1)
        if self.question_projection is not None:
            vector = self.question_projection(vector)
        return vector

    def call(self, inputs, training=None):
        images, questions = inputs
        image = _image_vector(self.image_encoder, images, questions, training, self.image_hidden,
                              self.image_pooling)
        if self.normalize_image:
            image = tf.math.l2_normalize(image, axis=-1)
            if self.rescale_image:
                image = image * tf.sqrt(tf.cast(image.shape[-1], image.dtype))
        fused = self.question_vector(questions, training) * self.image_projection(image)
        return self.mlp(fused, training=training)
