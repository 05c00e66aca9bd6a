"""Dual Attention Networks (Nam et al. 2017): r-DAN for VQA, m-DAN for image-text matching.

Text: word embeddings through a bidirectional LSTM, ``u_t = h_t(forward) + h_t(backward)``.
Image: N region vectors ``v_n`` (:mod:`tfgan_kit.vqa.encoders`). Both attend for K steps,
steered by a memory of what was attended:

* visual attention (Eq. 1-3): ``h_n = tanh(W_v v_n) * tanh(W_vm m)``, ``a = softmax(w_vh h_n)``,
  ``v^(k) = tanh(P^(k) sum_n a_n v_n)``; ``v^(0) = tanh(P^(0) mean_n v_n)``;
* textual attention (Eq. 4-6): ``h_t = tanh(W_u u_t) * tanh(W_um m)``, ``a = softmax(w_uh h_t)``,
  ``u^(k) = sum_t a_t u_t``; ``u^(0) = mean_t u_t``;
* r-DAN (Eq. 7-8): one joint memory ``m^(0) = v^(0) * u^(0)``,
  ``m^(k) = m^(k-1) + v^(k) * u^(k)``; answer ``softmax(W_ans m^(K))``;
* m-DAN (Eq. 9-12): separate memories ``m_v^(k) = m_v^(k-1) + v^(k)``,
  ``m_u^(k) = m_u^(k-1) + u^(k)`` (``m_v^(0) = v^(0)``, ``m_u^(0) = u^(0)``), the similarity
  ``S = sum_{k=0..K} v^(k) . u^(k)``, trained with the bidirectional margin ranking loss.

K = 2 and 512-d hidden layers in the paper.

Reference:
    Nam et al., "Dual Attention Networks for Multimodal Reasoning and Matching", CVPR 2017,
    Section 3 (Eq. 1-14) and Section 4 (K = 2, 512-d, margin 100).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.vqa.encoders import repeat_for_questions

__all__ = ["TextEncoder", "RDAN", "MDAN", "bidirectional_margin_ranking_loss"]


class TextEncoder(keras.layers.Layer):
    """Token ids ``[batch, T]`` (0 = padding) -> ``u_t`` ``[batch, T, units]`` and the mask.

    Reference:
        Nam et al. 2017, Section 3.1, Eq. for u_t: the sum of the forward and backward LSTM
        hidden states over the word embeddings.
    """

    def __init__(self, vocabulary_size: int, embedding_dim: int, units: int, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.lstm = keras.layers.Bidirectional(
            keras.layers.LSTM(units, return_sequences=True), merge_mode="sum")

    def call(self, questions, training=None):
        mask = tf.not_equal(questions, 0)
        words = self.embedding(questions)
        return self.lstm(words, mask=mask, training=training), mask


class _Attention(keras.layers.Layer):
    """One soft attention step: ``h = tanh(W x) * tanh(W_m m)``, ``a = softmax(w_h h)``,
    returns ``sum a x`` (Nam et al. 2017, Eq. 1-2 and 4-5)."""

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask is applied to the scores; the output has none
        self.inputs_projection = keras.layers.Dense(units, activation="tanh", name="w_x")
        self.memory_projection = keras.layers.Dense(units, activation="tanh", name="w_m")
        self.score = keras.layers.Dense(1, name="w_h")

    def call(self, features, memory, mask=None):
        hidden = self.inputs_projection(features) * self.memory_projection(memory)[:, None, :]
        logits = self.score(hidden)[..., 0]
        if mask is not None:
            logits = tf.where(mask, logits, tf.cast(-1e9, logits.dtype))
        weights = tf.nn.softmax(logits, axis=-1)
        return tf.reduce_sum(weights[..., None] * features, axis=1)

    def compute_mask(self, features, memory=None, mask=None):
        return None


def _masked_mean(features, mask):
    mask = tf.cast(mask, features.dtype)[..., None]
    return tf.reduce_sum(features * mask, 1) / tf.maximum(tf.reduce_sum(mask, 1), 1.0)


class _DualAttention(keras.Model):
    """The shared parts: encoders, ``P^(k)`` and one visual and one textual attention per step."""

    def __init__(self, image_encoder, vocabulary_size: int, steps: int = 2, units: int = 512,
                 embedding_dim: int = 512, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("vocabulary_size", vocabulary_size), ("steps", steps),
                            ("units", units), ("embedding_dim", embedding_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise UserError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
        self.image_encoder = image_encoder
        self.text_encoder = TextEncoder(vocabulary_size, embedding_dim, units)
        self.steps = steps
        self.image_projections = [keras.layers.Dense(units, activation="tanh", name=f"p{k}")
                                  for k in range(steps + 1)]
        self.visual_attention = [_Attention(units, name=f"visual{k}") for k in range(1, steps + 1)]
        self.textual_attention = [_Attention(units, name=f"textual{k}")
                                  for k in range(1, steps + 1)]

    def encode(self, images, questions, training=None):
        """Regions ``v_n``, words ``u_t``, their mask, and ``v^(0)``, ``u^(0)``."""
        regions = repeat_for_questions(self.image_encoder(images, training=training), questions)
        words, mask = self.text_encoder(questions, training=training)
        v0 = self.image_projections[0](tf.reduce_mean(regions, 1))
        return regions, words, mask, v0, _masked_mean(words, mask)

    def attend(self, k, regions, words, mask, visual_memory, textual_memory):
        """``v^(k)`` and ``u^(k)`` of step k (1-based) given the memories."""
        v = self.image_projections[k](self.visual_attention[k - 1](regions, visual_memory))
        u = self.textual_attention[k - 1](words, textual_memory, mask=mask)
        return v, u


class RDAN(_DualAttention):
    """Reasoning DAN for VQA: a joint memory over K steps, answer logits from ``m^(K)``.

    ``call((images, questions))`` returns answer logits ``[batch, num_answers]``.

    The regions are whatever ``image_encoder`` gives: the paper's are ResNet res5c cells; the
    Sort-of-CLEVR configs use the 5x5 grid of the end-to-end CNN with each cell's (x, y)
    appended (:class:`tfgan_kit.vqa.encoders.ConvEncoder`, as Santoro et al. 2017 tag their
    objects), since a soft-attention sum otherwise loses where the attended object is and
    "left", "closest" or "furthest" become unanswerable from ``m^(K)``.

    Args:
        image_encoder: images -> regions ``[batch, N, D]``.
        vocabulary_size: question vocabulary size (index 0 padding).
        num_answers: K answers.
        steps: attention steps K. Defaults to `2`.
        units: width of every hidden layer (the memory's too). Defaults to `512`.
        embedding_dim: word embedding width. Defaults to `512`.

    Raises:
        ValueError: for a non-positive size.

    Reference:
        Nam et al. 2017, Section 3.2 (r-DAN, Eq. 1-8), Section 4.1 (K = 2, 512-d).
    """

    def __init__(self, image_encoder, vocabulary_size: int, num_answers: int, steps: int = 2,
                 units: int = 512, embedding_dim: int = 512, **kwargs):
        super().__init__(image_encoder, vocabulary_size, steps, units, embedding_dim, **kwargs)
        self.answer = keras.layers.Dense(num_answers, name="w_ans")

    def memory(self, images, questions, training=None):
        """``m^(K)`` (Eq. 7): ``m^(0) = v^(0) * u^(0)``, ``m^(k) = m^(k-1) + v^(k) * u^(k)``."""
        regions, words, mask, v, u = self.encode(images, questions, training)
        memory = v * u
        for k in range(1, self.steps + 1):
            v, u = self.attend(k, regions, words, mask, memory, memory)
            memory = memory + v * u
        return memory

    def call(self, inputs, training=None):
        images, questions = inputs
        return self.answer(self.memory(images, questions, training))


def bidirectional_margin_ranking_loss(similarity, margin: float = 100.0):
    """Bidirectional max-margin ranking loss over a batch of matching pairs.

    ``similarity[i, j] = S(image_i, text_j)``; the pairs (i, i) match. Per pair, every other
    text and every other image of the batch is a negative:
    ``sum_{j != i} max(0, margin - S_ii + S_ij) + max(0, margin - S_ii + S_ji)``, averaged over i.

    Args:
        similarity: ``[batch, batch]`` similarities.
        margin: the margin m. Defaults to `100.0` (Nam et al. 2017, Section 4.2).

    Returns:
        The scalar loss.

    Reference:
        Nam et al. 2017, Section 3.3, Eq. 14 (bidirectional max-margin ranking loss).
    """
    similarity = tf.convert_to_tensor(similarity)
    positive = tf.linalg.diag_part(similarity)
    off_diagonal = 1.0 - tf.eye(tf.shape(similarity)[0], dtype=similarity.dtype)
    texts = tf.nn.relu(margin - positive[:, None] + similarity) * off_diagonal
    images = tf.nn.relu(margin - positive[None, :] + similarity) * off_diagonal
    return tf.reduce_mean(tf.reduce_sum(texts, 1) + tf.reduce_sum(images, 0))


class MDAN(_DualAttention):
    """Matching DAN: separate visual and textual memories, ``S = sum_k v^(k) . u^(k)``.

    ``call((images, texts))`` returns the similarity of each pair ``[batch]``;
    :meth:`similarity_matrix` scores every image against every text. ``fit`` on batches of
    matching ``(images, texts)`` trains with :func:`bidirectional_margin_ranking_loss` over
    the in-batch negatives.

    Args:
        image_encoder: images -> regions ``[batch, N, D]``.
        vocabulary_size: text vocabulary size (index 0 padding).
        steps: attention steps K. Defaults to `2`.
        units: hidden width. Defaults to `512`.
        embedding_dim: word embedding width. Defaults to `512`.
        margin: ranking margin. Defaults to `100.0`.

    Raises:
        ValueError: for a non-positive size.

    Reference:
        Nam et al. 2017, Section 3.3 (m-DAN, Eq. 9-14), Section 4.2 (K = 2, margin 100).
    """

    def __init__(self, image_encoder, vocabulary_size: int, steps: int = 2, units: int = 512,
                 embedding_dim: int = 512, margin: float = 100.0, **kwargs):
        super().__init__(image_encoder, vocabulary_size, steps, units, embedding_dim, **kwargs)
        self.margin = float(margin)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def embeddings(self, images, texts, training=None):
        """``[v^(0..K)]`` and ``[u^(0..K)]``, each ``[batch, K + 1, units]``.

        Every image is attended with its own text's memory only when the two are a pair; for
        the similarity of all pairs use :meth:`similarity_matrix`.
        """
        regions, words, mask, v, u = self.encode(images, texts, training)
        visual_memory, textual_memory, vs, us = v, u, [v], [u]
        for k in range(1, self.steps + 1):
            v, u = self.attend(k, regions, words, mask, visual_memory, textual_memory)
            visual_memory, textual_memory = visual_memory + v, textual_memory + u
            vs.append(v)
            us.append(u)
        return tf.stack(vs, 1), tf.stack(us, 1)

    def similarity_matrix(self, images, texts, training=None):
        """``S[i, j] = sum_k v_i^(k) . u_j^(k)`` (Eq. 13); the memories are per modality, so
        ``v_i`` does not depend on the text."""
        vs, us = self.embeddings(images, texts, training)
        return tf.einsum("ikd,jkd->ij", vs, us)

    def call(self, inputs, training=None):
        images, texts = inputs
        vs, us = self.embeddings(images, texts, training)
        return tf.reduce_sum(vs * us, axis=[1, 2])

    def train_step(self, data):
        images, texts = data[0] if isinstance(data[0], (tuple, list)) else data
        with tf.GradientTape() as tape:
            loss = bidirectional_margin_ranking_loss(
                self.similarity_matrix(images, texts, training=True), self.margin)
            replicas = tf.distribute.get_strategy().num_replicas_in_sync  # gradients are summed
            scaled = loss / replicas
        self.optimizer.apply(tape.gradient(scaled, self.trainable_variables),
                             self.trainable_variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]
