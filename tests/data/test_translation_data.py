"""Translation data: procedural shapes (paired / unpaired), paired and unpaired folders, tfds
cycle_gan/* (under tfds.testing.mock_data), random jitter."""

import ml_collections
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds
from PIL import Image

from tfgan_kit.data import pair
from tfgan_kit.data.image_pairs import load_size_for, random_jitter, unpaired_pairing
from tfgan_kit.data.translation_shapes import COLOURS, paired_shapes, unpaired_shapes
from tfgan_kit.registry import get_dataset


def config_of(**data):
    config = ml_collections.ConfigDict()
    config.seed = 0
    config.data = ml_collections.ConfigDict(data)
    return config


def test_paired_shapes_fill_the_outline_with_the_colour_of_its_kind():
    outlines, filled = paired_shapes(30, 32, seed=3)
    assert outlines.shape == filled.shape == (30, 32, 32, 3)
    assert outlines.min() == -1.0 and outlines.max() == 1.0
    for outline, fill in zip(outlines, filled):
        drawn = outline[..., 0] > 0
        inside = fill[..., 0] > -1 + 1e-6
        inside |= (fill[..., 1] > -1 + 1e-6) | (fill[..., 2] > -1 + 1e-6)
        assert drawn.sum() > 10 and (drawn & ~inside).sum() == 0  # the outline bounds the fill
        assert inside.sum() > 2 * drawn.sum() * 0.5
        colours = np.unique(fill[inside].round(3), axis=0)
        assert len(colours) == 1 and any(np.allclose(colours[0], c) for c in COLOURS)
    np.testing.assert_array_equal(paired_shapes(30, 32, seed=3)[0], outlines)
    assert not np.array_equal(paired_shapes(30, 32, seed=4)[0], outlines)


def test_unpaired_shapes_are_independent_draws_of_the_two_domains():
    outlines, filled = unpaired_shapes(20, 32, seed=0)
    paired_outlines, paired_filled = paired_shapes(20, 32, seed=0)
    assert not np.array_equal(outlines, paired_outlines)
    # an unpaired filled shape does not sit under its outline (different shapes)
    overlaps = [np.mean((o[..., 0] > 0) & (f.max(-1) > -1)) / np.mean(o[..., 0] > 0)
                for o, f in zip(outlines, filled)]
    assert np.mean(overlaps) < 0.6
    with pytest.raises(ValueError, match="`image_size` must be an integer >= 16"):
        unpaired_shapes(4, 8)


@pytest.mark.parametrize("name,kind", [("paired_shapes", "paired"),
                                       ("unpaired_shapes", "unpaired")])
def test_shape_specs(name, kind):
    spec = get_dataset(name)(config_of(name=name, image_size=32, num_examples=24), 8)
    assert spec.kind == kind and spec.sample_shape == (32, 32, 3) and spec.num_examples == 24
    a, b = pair(next(iter(spec.dataset)))
    assert a.shape == b.shape == (8, 32, 32, 3)
    assert pair(spec.preview(4))[0].shape == (4, 32, 32, 3)


def test_random_jitter_crops_and_mirrors_both_images_alike():
    first = tf.reshape(tf.range(16 * 16 * 3, dtype=tf.float32), [16, 16, 3]) / 800.0 - 0.5
    crops = [random_jitter(first, -first, tf.constant([0, k], tf.int64), 12, 14)
             for k in range(20)]
    for a, b in crops:
        assert a.shape == b.shape == (12, 12, 3)
        np.testing.assert_allclose(a, -b, atol=1e-6)  # same window, same flip for both
    assert len({float(a[0, 0, 0]) for a, _ in crops}) > 3  # the windows vary
    again = random_jitter(first, -first, tf.constant([0, 3], tf.int64), 12, 14)
    np.testing.assert_array_equal(again[0], crops[3][0])
    assert load_size_for(256, None) == 286 and load_size_for(32, None) == 36
    with pytest.raises(ValueError, match="`load_size` must be at least `image_size` \\(32\\)"):
        load_size_for(32, 30)


def write_images(folder, names, size=(20, 12), seed=0):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for name in names:
        pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / name)


def test_side_by_side_folder_splits_a_and_b_and_the_direction(tmp_path):
    write_images(tmp_path / "train", [f"{i}.png" for i in range(5)], size=(16, 8))
    config = config_of(name="paired_folder", path=str(tmp_path / "train"), image_size=8,
                       load_size=10)
    spec = get_dataset("paired_folder")(config, 2)
    assert (spec.kind, spec.num_examples, spec.sample_shape) == ("paired", 5, (8, 8, 3))
    source, target = pair(spec.preview(1))
    pixels = np.asarray(Image.open(tmp_path / "train" / "0.png"), np.float32) / 127.5 - 1
    np.testing.assert_allclose(source[0], pixels[:, :8], atol=0.02)  # no resize: A
    np.testing.assert_allclose(target[0], pixels[:, 8:], atol=0.02)
    a, b = pair(next(iter(spec.dataset)))
    assert a.shape == b.shape == (2, 8, 8, 3)
    config.data.direction = "b_to_a"
    swapped, _ = pair(get_dataset("paired_folder")(config, 2).preview(1))
    np.testing.assert_allclose(swapped[0], pixels[:, 8:], atol=0.02)
    config.data.direction = "left"
    with pytest.raises(ValueError, match=r"config.data.direction must be one of \('a_to_b'"):
        get_dataset("paired_folder")(config, 2)


def test_two_folder_pairs_and_their_errors(tmp_path):
    write_images(tmp_path / "src", ["a.png", "b.png"], seed=1)
    write_images(tmp_path / "tgt", ["a.png", "b.png"], seed=2)
    config = config_of(name="paired_folder", source_dir=str(tmp_path / "src"),
                       target_dir=str(tmp_path / "tgt"), image_size=8)
    spec = get_dataset("paired_folder")(config, 2)
    assert spec.num_examples == 2 and pair(next(iter(spec.dataset)))[1].shape == (2, 8, 8, 3)
    write_images(tmp_path / "tgt", ["c.png"])
    with pytest.raises(ValueError, match=r"same file names .* unmatched: \['c.png'\]"):
        get_dataset("paired_folder")(config, 2)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        get_dataset("paired_folder")(config_of(path=str(tmp_path / "none"), image_size=8), 2)
    with pytest.raises(ValueError, match="needs config.data.path"):
        get_dataset("paired_folder")(config_of(image_size=8), 2)


def test_unpaired_folders_trainA_trainB(tmp_path):
    write_images(tmp_path / "trainA", [f"{i}.png" for i in range(5)])
    write_images(tmp_path / "trainB", [f"{i}.jpg" for i in range(2)])
    spec = get_dataset("unpaired_folder")(
        config_of(name="unpaired_folder", path=str(tmp_path), image_size=8), 2)
    assert (spec.kind, spec.num_examples) == ("unpaired", 5)
    a, b = pair(next(iter(spec.dataset)))
    assert a.shape == b.shape == (2, 8, 8, 3)
    a_index, b_index = unpaired_pairing(5, 2, seed=0)
    assert a_index.tolist() == [0, 1, 2, 3, 4] and sorted(set(b_index.tolist())) == [0, 1]
    with pytest.raises(FileNotFoundError, match="testA is not a folder"):
        get_dataset("unpaired_folder")(config_of(path=str(tmp_path), image_size=8,
                                                 split="test"), 2)


def test_tfds_cycle_gan_under_mock_data():
    config = config_of(name="tfds_unpaired", tfds_name="cycle_gan/horse2zebra", image_size=16,
                       data_dir=None)
    with tfds.testing.mock_data(num_examples=6):
        spec = get_dataset("tfds_unpaired")(config, 2)
        a, b = pair(next(iter(spec.dataset)))
        preview = pair(spec.preview(2))
    assert spec.kind == "unpaired" and spec.num_examples == 6
    assert a.shape == b.shape == (2, 16, 16, 3) and preview[1].shape == (2, 16, 16, 3)
    assert -1.0 <= float(tf.reduce_min(a)) and float(tf.reduce_max(a)) <= 1.0
