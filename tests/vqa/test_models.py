"""VQA models (Antol et al. 2015, Section 6) and DANs (Nam et al. 2017, Section 3) against
independent numpy computations."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.vqa.dan import MDAN, RDAN, bidirectional_margin_ranking_loss
from tfgan_kit.vqa.encoders import ConvEncoder, FeatureEncoder, repeat_for_questions
from tfgan_kit.vqa.models import BowQuestionImage, LstmQuestionImage

RNG = np.random.default_rng(0)
TOKENS = np.array([[2, 5, 3, 3, 0, 0], [4, 1, 6, 0, 0, 0], [7, 2, 2, 2, 2, 5]], np.int32)


def test_bow_features_by_hand():
    model = BowQuestionImage(FeatureEncoder(), 8, 3, position_words=[[2, 4], [5], [3, 6]],
                             hidden=(4,))
    features = np.asarray(model.question_features(TOKENS))
    expected = []
    for row in TOKENS:
        counts = [float(np.sum(row == w)) for w in range(2, 8)]  # words 2..7 (0 pad, 1 unk)
        first = [float(row[0] == w) for w in (2, 4)]
        second = [float(row[1] == 5)]
        third = [float(row[2] == w) for w in (3, 6)]
        expected.append(counts + first + second + third)
    np.testing.assert_array_equal(features, expected)
    images = RNG.normal(size=(3, 5)).astype(np.float32)
    assert model((images, TOKENS)).shape == (3, 3)


def test_deeper_lstm_paper_sizes():
    model = LstmQuestionImage(FeatureEncoder(), 1000, 1000)
    logits = model((RNG.normal(size=(2, 4096)).astype(np.float32), TOKENS[:2]))
    assert logits.shape == (2, 1000)
    assert model.embedding.embeddings.shape == (1000, 300)
    assert [lstm.units for lstm in model.lstms] == [512, 512]
    assert model.question_projection.kernel.shape == (2048, 1024)  # [c1, h1, c2, h2] -> 1024
    assert model.image_projection.kernel.shape == (4096, 1024)
    assert [layer.units for layer in model.mlp.hidden] == [1000, 1000]


def test_lstm_q_i_question_vector_is_cell_and_hidden():
    model = LstmQuestionImage(FeatureEncoder(), 10, 3, num_layers=1, normalize_image=False,
                              embedding_dim=4, lstm_units=5, common_dim=7, hidden=(6,))
    model((np.ones((3, 2), np.float32), TOKENS))
    assert model.question_projection is None
    assert model.image_projection.kernel.shape == (2, 10)  # image to the 2 x 512 space
    vector = np.asarray(model.question_vector(TOKENS))
    _, hidden, cell = model.lstms[0](tf.tanh(model.embedding(TOKENS)), mask=TOKENS != 0)
    np.testing.assert_allclose(vector, np.concatenate([cell, hidden], -1), atol=1e-6)


@pytest.mark.parametrize("normalize", [True, False])
def test_norm_i(normalize):
    keras.utils.set_random_seed(1)
    model = LstmQuestionImage(FeatureEncoder(), 10, 3, normalize_image=normalize,
                              embedding_dim=4, lstm_units=5, common_dim=6, hidden=(6,))
    images = RNG.uniform(0.1, 1, size=(3, 8)).astype(np.float32)
    scaled = np.asarray(model((7 * images, TOKENS))) - np.asarray(model((images, TOKENS)))
    assert (np.abs(scaled).max() < 1e-5) == normalize


def test_image_hidden_layers_precede_norm_i():
    """I = the last of ReLU dense layers on the image vector (VGGNet's fc7), then l2-normalised,
    computed once per image and repeated for its questions."""
    keras.utils.set_random_seed(3)
    model = LstmQuestionImage(FeatureEncoder(), 10, 3, embedding_dim=4, lstm_units=5,
                              common_dim=6, hidden=(6,), image_hidden=(7, 5))
    images = RNG.normal(size=(1, 4, 2)).astype(np.float32)  # one image of 4 regions
    questions = TOKENS[:2]  # two questions about it
    logits = np.asarray(model((images, questions)))
    x = images.reshape(1, 8)
    for layer in model.image_hidden:
        x = np.maximum(_dense(layer, x), 0.0)
    assert x.shape == (1, 5)
    x = x / np.linalg.norm(x, axis=-1, keepdims=True)
    fused = np.asarray(model.question_vector(questions)) * np.tanh(
        _dense(model.image_projection, np.repeat(x, 2, axis=0)))
    hidden = np.tanh(_dense(model.mlp.hidden[0], fused))
    np.testing.assert_allclose(logits, _dense(model.mlp.logits, hidden), atol=1e-5)
    with pytest.raises(ValueError, match="image_hidden"):
        LstmQuestionImage(FeatureEncoder(), 10, 3, image_hidden=(0,))


@pytest.mark.parametrize("pooling", ["max", "mean"])
def test_pooled_image_vector_shares_weights_across_regions(pooling):
    """"max" / "mean": every region through the same ReLU layers (1x1 convolutions), then the
    global pool, then norm I; a permutation of the regions does not change the answer."""
    keras.utils.set_random_seed(4)
    model = LstmQuestionImage(FeatureEncoder(), 10, 3, embedding_dim=4, lstm_units=5,
                              common_dim=6, hidden=(6,), image_hidden=(7, 5),
                              image_pooling=pooling)
    images = RNG.normal(size=(3, 4, 2)).astype(np.float32)  # 3 images of 4 regions
    logits = np.asarray(model((images, TOKENS)))
    x = images
    for layer in model.image_hidden:
        assert layer.kernel.shape[0] == x.shape[-1]  # per region: no region-specific weights
        x = np.maximum(_dense(layer, x), 0.0)
    x = x.max(axis=1) if pooling == "max" else x.mean(axis=1)
    x = x / np.linalg.norm(x, axis=-1, keepdims=True)
    fused = np.asarray(model.question_vector(TOKENS)) * np.tanh(_dense(model.image_projection, x))
    hidden = np.tanh(_dense(model.mlp.hidden[0], fused))
    np.testing.assert_allclose(logits, _dense(model.mlp.logits, hidden), atol=1e-5)
    permuted = np.asarray(model((images[:, ::-1], TOKENS)))
    np.testing.assert_allclose(permuted, logits, atol=1e-5)
    with pytest.raises(ValueError, match="image_pooling"):
        LstmQuestionImage(FeatureEncoder(), 10, 3, image_pooling="sum")


def test_rescaled_norm_i_has_unit_mean_square():
    """rescale_image: the l2-normalised image vector times sqrt(D), so the projection sees
    features of unit mean square; equal to the unscaled model with the projection kernel x
    sqrt(D) (the same function class)."""
    keras.utils.set_random_seed(5)
    kwargs = dict(embedding_dim=4, lstm_units=5, common_dim=6, hidden=(6,))
    plain = LstmQuestionImage(FeatureEncoder(), 10, 3, **kwargs)
    rescaled = LstmQuestionImage(FeatureEncoder(), 10, 3, rescale_image=True, **kwargs)
    images = RNG.normal(size=(3, 9)).astype(np.float32)
    plain((images, TOKENS))
    rescaled((images, TOKENS))
    rescaled.set_weights(plain.get_weights())
    x = images / np.linalg.norm(images, axis=-1, keepdims=True) * 3.0  # sqrt(9)
    fused = np.asarray(plain.question_vector(TOKENS)) * np.tanh(_dense(plain.image_projection, x))
    hidden = np.tanh(_dense(plain.mlp.hidden[0], fused))
    np.testing.assert_allclose(rescaled((images, TOKENS)), _dense(plain.mlp.logits, hidden),
                               atol=1e-5)
    kernel = plain.image_projection.kernel
    kernel.assign(kernel * 3.0)
    np.testing.assert_allclose(plain((images, TOKENS)), rescaled((images, TOKENS)), atol=1e-5)
    with pytest.raises(ValueError, match="needs normalize_image=True"):
        LstmQuestionImage(FeatureEncoder(), 10, 3, normalize_image=False, rescale_image=True)


def test_padding_does_not_change_the_answer():
    keras.utils.set_random_seed(2)
    model = LstmQuestionImage(FeatureEncoder(), 10, 3, embedding_dim=4, lstm_units=5,
                              common_dim=6, hidden=(6,))
    images = RNG.normal(size=(3, 4)).astype(np.float32)
    longer = np.pad(TOKENS, ((0, 0), (0, 3)))
    np.testing.assert_allclose(model((images, TOKENS)), model((images, longer)), atol=1e-5)


def test_conv_encoder_grid_and_coordinates():
    encoder = ConvEncoder()
    regions = np.asarray(encoder(np.zeros((2, 75, 75, 3), np.float32)))
    assert regions.shape == (2, 25, 26)  # 75 -> 38 -> 19 -> 10 -> 5; 24 filters + (x, y)
    np.testing.assert_allclose(regions[0, :5, -2], [-1, -0.5, 0, 0.5, 1])  # x along a row
    np.testing.assert_allclose(regions[0, ::5, -1], [-1, -0.5, 0, 0.5, 1])  # y down a column
    assert ConvEncoder(coordinates=False)(np.zeros((1, 75, 75, 3), np.float32)).shape == (1, 25, 24)
    with pytest.raises(ValueError, match="`filters` must be a positive integer"):
        ConvEncoder(filters=0)


def test_conv_encoder_batch_norm_momentum():
    encoder = ConvEncoder(filters=3, num_layers=1)
    images = RNG.normal(size=(4, 9, 9, 3)).astype(np.float32)
    encoder(images, training=True)
    conv, norm = encoder.blocks[0]
    batch_mean = np.asarray(conv(images)).mean((0, 1, 2))
    np.testing.assert_allclose(norm.moving_mean, 0.1 * batch_mean, atol=1e-5)  # 0.9 * 0 + 0.1 * m


def test_conv_encoder_layer_norm_and_none_have_no_batch_statistics():
    images = RNG.normal(size=(3, 9, 9, 3)).astype(np.float32)
    for normalization in ("layer", "none"):
        encoder = ConvEncoder(filters=4, num_layers=2, coordinates=False,
                              normalization=normalization)
        trained = np.asarray(encoder(images, training=True))
        np.testing.assert_allclose(np.asarray(encoder(images, training=False)), trained, atol=1e-6)
        # one image alone gives the same regions as in a batch: nothing is batch-dependent
        np.testing.assert_allclose(np.asarray(encoder(images[:1], training=True)), trained[:1],
                                   atol=1e-5)
    (first, norm), (second, _) = encoder.blocks  # "none": ReLU(conv) twice
    assert norm is None
    expected = np.maximum(np.asarray(second(np.maximum(np.asarray(first(images)), 0))), 0)
    np.testing.assert_allclose(trained, expected.reshape(3, -1, 4), atol=1e-5)
    layer = ConvEncoder(filters=4, num_layers=1, coordinates=False, normalization="layer")
    out = np.asarray(layer(images))
    pre = np.asarray(layer.blocks[0][0](images))
    normed = (pre - pre.mean(-1, keepdims=True)) / np.sqrt(pre.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(out.reshape(3, -1, 4), np.maximum(normed, 0).reshape(3, -1, 4),
                               atol=1e-4)  # Ba et al. 2016 over each position's channels, ReLU
    with pytest.raises(ValueError, match=r"`normalization` must be one of \['batch', 'layer', "
                                         r"'none'\]. Received: normalization='group'"):
        ConvEncoder(normalization="group")


GROUPED_MODELS = {
    "lstm": lambda: LstmQuestionImage(FeatureEncoder(), 10, 3, embedding_dim=4, lstm_units=5,
                                      common_dim=6, hidden=(6,)),
    "rdan": lambda: RDAN(FeatureEncoder(), 10, 3, units=6, embedding_dim=4),
}


@pytest.mark.parametrize("name", sorted(GROUPED_MODELS))
def test_questions_grouped_by_image_answer_like_one_image_each(name):
    keras.utils.set_random_seed(3)
    model = GROUPED_MODELS[name]()
    images = RNG.normal(size=(2, 4, 5)).astype(np.float32)
    tokens = np.concatenate([TOKENS, TOKENS[::-1]])  # 3 questions per image
    grouped = np.asarray(model((images, tokens)))
    each = np.asarray(model((np.repeat(images, 3, axis=0), tokens)))
    np.testing.assert_allclose(grouped, each, atol=1e-5)
    np.testing.assert_array_equal(repeat_for_questions(images, tokens), np.repeat(images, 3, 0))


def _dense(layer, x):
    return x @ np.asarray(layer.kernel) + np.asarray(layer.bias)


def _attend(attention, features, memory, mask=None):
    hidden = np.tanh(_dense(attention.inputs_projection, features)) * np.tanh(
        _dense(attention.memory_projection, memory))[:, None]
    logits = _dense(attention.score, hidden)[..., 0]
    if mask is not None:
        logits = np.where(mask, logits, -np.inf)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return (weights[..., None] * features).sum(1)


def _dan_setup(cls, **kwargs):
    keras.utils.set_random_seed(3)
    model = cls(FeatureEncoder(), 10, units=6, embedding_dim=5, **kwargs)
    regions = RNG.normal(size=(3, 4, 7)).astype(np.float32)
    model((regions, TOKENS))
    words, mask = model.text_encoder(TOKENS)
    return model, regions, np.asarray(words), np.asarray(mask)


def _initial(model, regions, words, mask):
    v0 = np.tanh(_dense(model.image_projections[0], regions.mean(1)))
    u0 = (words * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return v0, u0


def test_rdan_memory_by_numpy():
    model, regions, words, mask = _dan_setup(RDAN, num_answers=3)
    v, u = _initial(model, regions, words, mask)
    memory = v * u  # m0 = v0 * u0
    for k in (1, 2):
        v = np.tanh(_dense(model.image_projections[k],
                           _attend(model.visual_attention[k - 1], regions, memory)))
        u = _attend(model.textual_attention[k - 1], words, memory, mask)
        memory = memory + v * u
    np.testing.assert_allclose(model.memory(regions, TOKENS), memory, atol=1e-5)
    np.testing.assert_allclose(model((regions, TOKENS)), _dense(model.answer, memory), atol=1e-5)


def test_text_encoder_ignores_padding_words():
    model, _, words, mask = _dan_setup(RDAN, num_answers=3)
    longer, _ = model.text_encoder(np.pad(TOKENS, ((0, 0), (0, 2))))
    np.testing.assert_allclose(np.asarray(longer)[:, :6][mask], words[mask], atol=1e-5)


def test_mdan_similarity_by_numpy():
    model, regions, words, mask = _dan_setup(MDAN)
    v, u = _initial(model, regions, words, mask)
    visual_memory, textual_memory, similarity = v, u, (v * u).sum(-1)
    for k in (1, 2):
        v = np.tanh(_dense(model.image_projections[k],
                           _attend(model.visual_attention[k - 1], regions, visual_memory)))
        u = _attend(model.textual_attention[k - 1], words, textual_memory, mask)
        visual_memory, textual_memory = visual_memory + v, textual_memory + u
        similarity = similarity + (v * u).sum(-1)
    np.testing.assert_allclose(model((regions, TOKENS)), similarity, rtol=1e-5, atol=1e-5)
    matrix = np.asarray(model.similarity_matrix(regions, TOKENS))
    np.testing.assert_allclose(np.diag(matrix), similarity, rtol=1e-5, atol=1e-5)
    swapped = np.asarray(model((regions, TOKENS[[1, 2, 0]])))
    np.testing.assert_allclose(swapped, [matrix[0, 1], matrix[1, 2], matrix[2, 0]], rtol=1e-5,
                               atol=1e-5)


def test_margin_ranking_loss_by_loops():
    s = RNG.normal(size=(4, 4)) * 3
    margin = 2.0
    total = 0.0
    for i in range(4):
        for j in range(4):
            if j != i:
                total += max(0, margin - s[i, i] + s[i, j]) + max(0, margin - s[i, i] + s[j, i])
    loss = bidirectional_margin_ranking_loss(tf.constant(s), margin)
    np.testing.assert_allclose(loss, total / 4, rtol=1e-12)


def test_mdan_fit_step_lowers_the_ranking_loss():
    model, regions, _, _ = _dan_setup(MDAN, margin=1.0)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    loss = lambda: float(bidirectional_margin_ranking_loss(
        model.similarity_matrix(regions, TOKENS), 1.0))
    before = loss()
    model.fit(tf.data.Dataset.from_tensors((regions, TOKENS)).repeat(5), epochs=1, verbose=0)
    assert loss() < before


def test_dan_rejects_bad_sizes():
    with pytest.raises(ValueError, match="`steps` must be a positive integer"):
        RDAN(FeatureEncoder(), 10, 3, steps=0)
