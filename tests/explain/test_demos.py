"""The embedded demos: a shapes CNN and a DCGAN discriminator trained on shapes, explained."""

import csv
import os

import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.explain import ConceptSet, parse, shapes_dataset
from tfgan_kit.explain.demo import run_shapes_demo
from tfgan_kit.explain.gan_demo import run_discriminator_demo
from tfgan_kit.explain.shapes import COLOURS, SHAPE_KINDS


def _report_files_exist(out_dir, units):
    for name in ("explanations.csv", "explanations.json", "summary.txt"):
        assert os.path.getsize(os.path.join(out_dir, name)) > 0
    for unit in units:
        assert os.path.getsize(os.path.join(out_dir, "units", f"unit_{unit:04d}.png")) > 0
    with open(os.path.join(out_dir, "explanations.csv")) as f:
        return list(csv.DictReader(f))


def _recomputed_iou(result, unit, concepts):
    """IoU of the reported formula, recomputed with TF resize and plain numpy."""
    acts = result.activations[..., unit]
    threshold = np.quantile(acts, 0.995)
    mask = tf.image.resize(acts[..., None], result.mask_size).numpy()[..., 0] > threshold
    formula_mask = concepts.formula_mask(result.explanations[unit].formula)
    return (mask & formula_mask).sum() / (mask | formula_mask).sum()


def test_shapes_dataset_masks_are_consistent():
    data = shapes_dataset(50, 32, seed=3)
    shape_union = np.zeros_like(data.concept_masks["circle"])
    for kind in SHAPE_KINDS:
        shape_union |= data.concept_masks[kind]
    colour_union = np.zeros_like(shape_union)
    for colour in COLOURS:
        colour_union |= data.concept_masks[colour]
    np.testing.assert_array_equal(shape_union, colour_union)
    np.testing.assert_array_equal(shape_union, ~data.concept_masks["background"])
    assert data.images.min() >= -1.0 and data.images.max() <= 1.0
    red = data.images[data.concept_masks["red"]]
    assert red[:, 0].mean() > 0.5 and red[:, 1].mean() < -0.4  # red pixels are red
    assert (data.labels.sum(axis=1) >= 1).all()
    with pytest.raises(ValueError, match="image_size"):
        shapes_dataset(4, image_size=8)


def test_shapes_cnn_units_get_compositional_explanations(tmp_path):
    result, model = run_shapes_demo(str(tmp_path), num_train=1500, num_probe=300, epochs=6)
    # The CNN learned its task: held-out label accuracy well above predicting "absent" everywhere.
    test = shapes_dataset(300, 32, seed=7)
    predictions = model.predict(test.images, verbose=0) > 0
    all_absent = 1.0 - test.labels.mean()
    assert (predictions == (test.labels > 0)).mean() > all_absent + 0.05

    rows = _report_files_exist(str(tmp_path), result.explanations)
    assert len(rows) == model.get_layer("conv4").output.shape[-1]
    compositional = [
        u for u, e in result.explanations.items() if e.length >= 2 and e.iou > e.best_single_iou
    ]
    assert compositional, "no unit got a length >= 2 formula beating its best single concept"
    probe = shapes_dataset(300, 32, seed=1)
    concepts = ConceptSet.from_masks(probe.concept_masks)
    for unit in compositional[:3]:
        assert result.explanations[unit].iou == pytest.approx(
            _recomputed_iou(result, unit, concepts), abs=1e-9
        )
        assert parse(rows[unit]["formula"]) == result.explanations[unit].formula


def test_dcgan_discriminator_units_are_explained(tmp_path):
    result, gan = run_discriminator_demo(
        str(tmp_path), num_train=320, num_probe=200, epochs=1, base_filters=8
    )
    units = range(gan.discriminator.get_layer("down_1_lrelu").output.shape[-1])
    assert sorted(result.explanations) == list(units)
    _report_files_exist(str(tmp_path), units)
    probe = shapes_dataset(200, 32, seed=1)
    concepts = ConceptSet.from_masks(probe.concept_masks)
    explained = [u for u, e in result.explanations.items() if e.formula is not None]
    assert explained
    for unit in explained[:3]:
        assert result.explanations[unit].iou == pytest.approx(
            _recomputed_iou(result, unit, concepts), abs=1e-9
        )


@pytest.mark.slow
def test_full_size_dcgan_discriminator_demo(tmp_path):
    """Default demo settings: 2,000 shapes, 3 epochs, 64 units of the discriminator's down_1."""
    result, gan = run_discriminator_demo(str(tmp_path))
    assert np.isfinite(gan.discriminator.get_layer("logits").get_weights()[0]).all()
    explanations = result.explanations.values()
    assert sum(e.iou > 0.04 for e in explanations) >= 1
    assert any(e.length >= 2 and e.iou > e.best_single_iou for e in explanations)
    summary = open(os.path.join(tmp_path, "summary.txt")).read()
    assert f"of {len(result.explanations)} units of layer 'down_1_lrelu'" in summary
