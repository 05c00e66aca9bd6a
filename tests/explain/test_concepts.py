"""Concept sets: in-memory masks, image-level broadcast, Broden-style folders, NEIGHBORS."""

import os

import numpy as np
import pytest

from tfgan_kit.explain import ConceptSet, load_broden, nearest_concepts, parse

from .broden_folder import write_broden


def _masks(rng, n=4, h=5, w=6):
    return {name: rng.random((n, h, w)) < 0.4 for name in ("water", "river", "blue")}


def test_from_masks_and_formula_evaluation():
    rng = np.random.default_rng(0)
    masks = _masks(rng)
    concepts = ConceptSet.from_masks(masks)
    assert concepts.mask_shape == (4, 5, 6) and concepts.names == ["water", "river", "blue"]
    np.testing.assert_array_equal(concepts.mask("river"), masks["river"])
    got = concepts.formula_mask(parse("((water OR river) AND (NOT blue))"))
    np.testing.assert_array_equal(got, (masks["water"] | masks["river"]) & ~masks["blue"])
    np.testing.assert_array_equal(concepts.formula_mask(parse("NOT water")), ~masks["water"])


def test_image_level_labels_broadcast_to_full_image():
    rng = np.random.default_rng(1)
    masks = _masks(rng)
    masks["beach"] = np.array([True, False, True, False])
    concepts = ConceptSet.from_masks(masks)
    beach = concepts.mask("beach")
    assert beach[0].all() and beach[2].all() and not beach[1].any() and not beach[3].any()


def test_from_masks_errors():
    with pytest.raises(ValueError, match="share one"):
        ConceptSet.from_masks({"a": np.zeros((2, 3, 3), bool), "b": np.zeros((2, 4, 3), bool)})
    with pytest.raises(ValueError, match="mask_size"):
        ConceptSet.from_masks({"a": np.zeros(2, bool)})
    with pytest.raises(ValueError, match="concept name"):
        ConceptSet.from_masks({"two words": np.zeros((2, 3, 3), bool)})
    with pytest.raises(ValueError, match="expected"):
        ConceptSet.from_masks({"a": np.zeros((2, 3, 3), bool), "b": np.zeros(3, bool)})


def test_load_broden_decodes_r_plus_256_g_and_scene_labels(tmp_path):
    expected = write_broden(str(tmp_path))
    probe = load_broden(str(tmp_path))
    assert sorted(probe.concepts.names) == sorted(expected)
    for name, mask in expected.items():
        np.testing.assert_array_equal(probe.concepts.mask(name), mask, err_msg=name)
    assert probe.images.shape == (3, 8, 8, 3)
    assert probe.images.min() >= -1.0 and probe.images.max() <= 1.0
    np.testing.assert_allclose(probe.images[1], 40 / 127.5 - 1.0, atol=1e-6)
    assert probe.concepts.categories["traffic_light"] == "object"
    assert probe.concepts.categories["beach"] == "scene"
    resized = load_broden(str(tmp_path), image_size=(16, 16), categories=["color"])
    assert resized.images.shape == (3, 16, 16, 3) and resized.concepts.names == ["red-c"]


def test_load_broden_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="index.csv"):
        load_broden(str(tmp_path))
    write_broden(str(tmp_path))
    with pytest.raises(ValueError, match="Unknown categories"):
        load_broden(str(tmp_path), categories=["material"])
    os.remove(os.path.join(tmp_path, "images", "im0.jpg"))
    with pytest.raises(FileNotFoundError, match="im0.jpg"):
        load_broden(str(tmp_path))


def test_nearest_concepts_by_cosine_distance():
    vocabulary = ["cat", "dog", "puppy", "car", "truck", "zebra"]
    embeddings = np.array(
        [[1, 0.1, 0], [1, 0.2, 0], [1, 0.3, 0], [0, 1, 0.1], [0, 1, 0.2], [0, 0, 1]], float
    )
    near = nearest_concepts(embeddings, vocabulary, k=2)
    assert near["cat"] == ("dog", "puppy")
    assert near["car"] == ("truck", "puppy")  # cosines 0.99 and 0.29; zebra 0.10
    # Only concepts count as neighbours; the default k is the paper's 5.
    near = nearest_concepts(embeddings, vocabulary, concept_names=["cat", "puppy", "zebra"])
    assert near["cat"] == ("puppy", "zebra")
    with pytest.raises(ValueError, match="embeddings"):
        nearest_concepts(embeddings[:3], vocabulary)


def test_neighbors_operator_is_or_of_neighbours():
    rng = np.random.default_rng(2)
    names = ["cat", "dog", "puppy", "car", "truck", "zebra", "horse"]
    masks = {name: rng.random((3, 4, 4)) < 0.2 for name in names}
    concepts = ConceptSet.from_masks(masks)
    embeddings = rng.standard_normal((len(names), 4))
    concepts.set_neighbors(nearest_concepts(embeddings, names, k=5))
    near = concepts.neighbors["cat"]
    assert len(near) == 5 and "cat" not in near
    expected = masks["cat"].copy()
    for other in near:
        expected |= masks[other]
    np.testing.assert_array_equal(concepts.formula_mask(parse("(NEIGHBORS cat)")), expected)
