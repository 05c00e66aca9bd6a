"""Sort-of-CLEVR generation (Santoro et al. 2017) and the VQA v2 reader on files the test writes."""

import json

import h5py
import numpy as np
import pytest

from tfgan_kit.vqa import sort_of_clevr
from tfgan_kit.vqa.pipeline import encode_answers, image_inputs, question_batches
from tfgan_kit.vqa.text import Vocabulary
from tfgan_kit.vqa.vqa_v2 import read_features, read_vqa_v2


@pytest.fixture(scope="module")
def small():
    return sort_of_clevr.generate(30, questions_per_image=20, seed=3)


def test_shapes_and_balance(small):
    assert small.images.shape == (30, 75, 75, 3) and small.images.dtype == np.uint8
    assert len(small.questions) == 600 and small.relational.sum() == 300
    assert set(small.answers) <= set(sort_of_clevr.ANSWERS) and len(sort_of_clevr.ANSWERS) == 10
    assert set(small.question_types) == set(sort_of_clevr.QUESTION_TYPES)


def test_objects_are_drawn_in_their_colour(small):
    for image, centres, shapes in zip(small.images[:5], small.centres, small.shapes):
        for (x, y), colour in zip(centres, sort_of_clevr.COLOURS.values()):
            assert tuple(image[int(y), int(x)]) == colour
        assert (image == 255).all(-1).mean() > 0.7  # mostly white background
        # the pixel whose centre is 3.9-4.9 px up-left of the centre: inside a square (half
        # side 5), outside a circle (radius 5 < 3.9 * sqrt(2))
        for (x, y), shape, colour in zip(centres, shapes, sort_of_clevr.COLOURS.values()):
            corner = tuple(image[int(np.floor(y - 4.4)), int(np.floor(x - 4.4))])
            assert corner == (colour if shape == 0 else (255, 255, 255))


def test_objects_do_not_overlap(small):
    for centres in small.centres:
        d = np.linalg.norm(centres[:, None] - centres[None], axis=-1) + np.eye(6) * 1e9
        assert d.min() > 2 * np.sqrt(2) * 5


def test_answers_by_brute_force(small):
    colours = list(sort_of_clevr.COLOURS)
    names = ("square", "circle")
    for i in range(len(small.questions)):
        image = small.image_index[i]
        centres, shapes = small.centres[image].astype(np.float64), small.shapes[image]
        obj = next(k for k, c in enumerate(colours) if f" {c} " in small.questions[i])
        kind = small.question_types[i]
        others = [k for k in range(6) if k != obj]
        dist = {k: np.sqrt(((centres[k] - centres[obj]) ** 2).sum()) for k in others}
        expected = {
            "shape": names[shapes[obj]],
            "left": "yes" if centres[obj][0] < 37.5 else "no",
            "top": "yes" if centres[obj][1] < 37.5 else "no",
            "closest": names[shapes[min(others, key=dist.get)]],
            "furthest": names[shapes[max(others, key=dist.get)]],
            "count": str(sum(s == shapes[obj] for s in shapes)),
        }[kind]
        assert small.answers[i] == expected, small.questions[i]


def test_generation_is_seeded_and_checked():
    a, b = sort_of_clevr.generate(2, 4, seed=1), sort_of_clevr.generate(2, 4, seed=1)
    np.testing.assert_array_equal(a.images, b.images)
    assert a.questions == b.questions
    with pytest.raises(ValueError, match="positive even number"):
        sort_of_clevr.generate(2, 3)
    with pytest.raises(ValueError, match="num_images"):
        sort_of_clevr.generate(0)


def test_question_batches(small):
    vocabulary = Vocabulary.build(small.questions)
    answers = ["yes", "no"]
    data = question_batches(small, vocabulary, answers, 12, batch_size=50)
    batches = list(data)
    labels = encode_answers(small.answers, answers)
    assert sum(len(b[1]) for b in batches) == (labels >= 0).sum()
    (images, tokens), label = batches[0]
    first = np.flatnonzero(labels >= 0)[0]
    np.testing.assert_allclose(images[0], small.images[small.image_index[first]] / 127.5 - 1,
                               atol=1e-6)
    np.testing.assert_array_equal(tokens[0], vocabulary.encode([small.questions[first]], 12)[0])
    assert answers[int(label[0])] == small.answers[first]
    assert image_inputs(np.ones((1, 2), np.float64)).dtype == np.float32


def test_question_batches_grouped_by_image(small):
    vocabulary = Vocabulary.build(small.questions)
    answers = list(sort_of_clevr.ANSWERS)
    data = question_batches(small, vocabulary, answers, 12, batch_size=12, shuffle_seed=0,
                            repeat=True, questions_per_image=4)
    pixels = small.images / 127.5 - 1
    texts = vocabulary.encode(small.questions, 12)
    for (images, tokens), labels in data.take(3):
        assert images.shape == (3, 75, 75, 3) and tokens.shape == (12, 12)
        assert labels.shape == (12,)
        for i in range(3):
            owner = int(np.argmin(np.abs(pixels - images[i]).reshape(30, -1).max(1)))
            np.testing.assert_allclose(images[i], pixels[owner], atol=1e-6)
            rows = [np.flatnonzero((texts == t).all(1) & (small.image_index == owner))
                    for t in np.asarray(tokens[4 * i:4 * i + 4])]
            assert all(len(r) for r in rows)  # the question is one of this image's
            assert [small.answers[r[0]] for r in rows] == [
                answers[int(a)] for a in labels[4 * i:4 * i + 4]]
    with pytest.raises(ValueError, match="dividing the batch size 10"):
        question_batches(small, vocabulary, answers, 12, 10, 0, True, questions_per_image=4)
    with pytest.raises(ValueError, match="pass `shuffle_seed` and `repeat=True`"):
        question_batches(small, vocabulary, answers, 12, 12, questions_per_image=4)


def _write_vqa(tmp_path, feature_format):
    questions = {"questions": [
        {"image_id": 7, "question": "What color is it?", "question_id": 70},
        {"image_id": 3, "question": "Is it a cat?", "question_id": 30},
        {"image_id": 7, "question": "How many?", "question_id": 71},
    ]}
    annotations = {"annotations": [
        {"question_id": q, "image_id": i, "question_type": t, "answer_type": a,
         "multiple_choice_answer": m,
         "answers": [{"answer": m, "answer_id": j + 1} for j in range(10)]}
        for q, i, t, a, m in [(30, 3, "is it", "yes/no", "yes"),
                              (70, 7, "what color", "other", "red"),
                              (71, 7, "how many", "number", "2")]
    ]}
    (tmp_path / "q.json").write_text(json.dumps(questions))
    (tmp_path / "a.json").write_text(json.dumps(annotations))
    ids, features = np.array([3, 7]), np.arange(2 * 4 * 5, dtype=np.float32).reshape(2, 4, 5)
    if feature_format == "npz":
        path = tmp_path / "f.npz"
        np.savez(path, image_ids=ids, features=features)
    elif feature_format == "h5":
        path = tmp_path / "f.h5"
        with h5py.File(path, "w") as f:
            f["image_ids"], f["features"] = ids, features
    else:
        path = tmp_path / "npy"
        path.mkdir()
        for i, row in zip(ids, features):
            np.save(path / f"{i}.npy", row)
    return tmp_path / "q.json", tmp_path / "a.json", path, features


@pytest.mark.parametrize("feature_format", ["npz", "h5", "npy"])
def test_read_vqa_v2(tmp_path, feature_format):
    q, a, f, features = _write_vqa(tmp_path, feature_format)
    data = read_vqa_v2(str(q), str(a), str(f))
    assert data.question_ids == [70, 30, 71]
    assert data.answers == ["red", "yes", "2"]
    assert data.question_types == ["what color", "is it", "how many"]
    assert data.answer_types == ["other", "yes/no", "number"]
    assert data.human_answers[1] == ["yes"] * 10
    np.testing.assert_array_equal(data.images[data.image_index[0]], features[1])  # image 7
    np.testing.assert_array_equal(data.images[data.image_index[1]], features[0])  # image 3
    unannotated = read_vqa_v2(str(q), None, str(f))
    assert unannotated.answers == ["", "", ""] and unannotated.human_answers == [[], [], []]


def test_vqa_v2_reader_errors(tmp_path):
    q, a, f, _ = _write_vqa(tmp_path, "npz")
    with pytest.raises(FileNotFoundError, match="official VQA questions json"):
        read_vqa_v2(str(tmp_path / "missing.json"), str(a), str(f))
    with pytest.raises(ValueError, match="is not a VQA annotations file"):
        read_vqa_v2(str(q), str(q), str(f))
    np.savez(tmp_path / "g.npz", image_ids=np.array([3]), features=np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"no features for image ids \[7\]"):
        read_vqa_v2(str(q), str(a), str(tmp_path / "g.npz"))
    np.savez(tmp_path / "h.npz", ids=np.array([3]))
    with pytest.raises(ValueError, match="must hold `image_ids` and `features`"):
        read_features(str(tmp_path / "h.npz"))
    (tmp_path / "x.csv").write_text("1")
    with pytest.raises(ValueError, match="Unknown features file type"):
        read_features(str(tmp_path / "x.csv"))
