"""Antol et al. 2015 Section 6 baselines on a hand-made data set, and the text helpers."""

import numpy as np
import pytest

from tfgan_kit.vqa.baselines import NearestNeighbour, PriorAnswer, QuestionTypePrior, RandomAnswer
from tfgan_kit.vqa.text import Vocabulary, tokenize, top_answers


def ex(question, qtype, answer, image=None):
    e = {"question": question, "question_type": qtype, "answer": answer}
    if image is not None:
        e["image_features"] = np.asarray(image, np.float32)
    return e


TRAIN = [
    ex("Is the cat black?", "is the", "yes", [1, 0]),
    ex("Is the dog white?", "is the", "no", [0, 1]),
    ex("Is the sky blue?", "is the", "yes", [1, 1]),
    ex("How many cats are there?", "how many", "2", [1, 0]),
    ex("How many dogs are there?", "how many", "3", [0, 1]),
    ex("How many dogs are sleeping?", "how many", "3", [0, 1]),
    ex("What color is the car?", "what color", "red", [1, 0]),
]
TEST = [
    ex("Is the car red?", "is the", None, [0, 1]),
    ex("How many dogs run?", "how many", None, [1, 0]),
    ex("What color is the sky?", "what color", None, [1, 1]),
    ex("Where is it?", "where", None, [1, 0]),
]


def test_tokenize_and_vocabulary():
    assert tokenize("Is the cat's tail BLACK?") == ["is", "the", "cat's", "tail", "black"]
    vocab = Vocabulary.build(["a b b", "c b a"], max_words=2)
    assert vocab.words == ["<pad>", "<unk>", "b", "a"]
    np.testing.assert_array_equal(vocab.encode(["b c a", "a"], max_length=2), [[2, 1], [3, 0]])
    with pytest.raises(ValueError, match="must be unique"):
        Vocabulary(["<pad>"])


def test_top_answers():
    assert top_answers(["no", "yes", "2", "yes", "no", "yes"], k=2) == ["yes", "no"]
    with pytest.raises(ValueError, match="positive integer"):
        top_answers(["yes"], k=0)


def test_prior_yes():
    assert PriorAnswer().fit(TRAIN).predict(TEST) == ["yes"] * 4


def test_random_draws_from_the_top_answers():
    model = RandomAnswer(k=2, seed=3).fit(TRAIN)
    assert model.answers == ["3", "yes"]  # 2 of each; ties alphabetical
    predicted = model.predict(TEST * 50)
    assert set(predicted) == {"3", "yes"}
    assert predicted == RandomAnswer(k=2, seed=3).fit(TRAIN).predict(TEST * 50)


def test_question_type_prior():
    # is the: yes 2 / no 1; how many: 3 twice; what color: red; unseen "where": overall "3"/"yes"
    # tie (2 each) -> alphabetical "3"
    assert QuestionTypePrior().fit(TRAIN).predict(TEST) == ["yes", "3", "red", "3"]


def test_nearest_neighbour_by_bag_of_words():
    # Cosine of word counts over the training vocabulary ("red", "run" are unknown: ignored).
    # "is the car red" (is, the, car): "what color is the car" 3/sqrt(3*5) = 0.77 (red), the
    #   three "is the X Y" 2/sqrt(3*4) = 0.58 (yes, no, yes) -> k=4: red, yes, no, yes -> yes.
    # "how many dogs run": the two dog questions 3/sqrt(3*5) (3, 3), "how many cats" 2/sqrt(3*5)
    #   (2), then a 0 tie -> the first example (yes) -> 3.
    # "what color is the sky": car 4/5 (red), sky 3/sqrt(5*4) (yes), cat and dog 2/sqrt(5*4)
    #   (yes, no) -> yes.
    assert NearestNeighbour(k=4).fit(TRAIN).predict(TEST[:3]) == ["yes", "3", "yes"]
    assert NearestNeighbour(k=1).fit(TRAIN).predict(TEST[:3]) == ["red", "3", "red"]


def test_nearest_neighbour_picks_the_most_similar_image():
    # "how many dogs run" with image [1, 0]: nearest 3 questions are the two dog questions
    # (images [0, 1]) and "how many cats" (image [1, 0]): the cat image is the most similar -> 2.
    model = NearestNeighbour(k=3, use_images=True).fit(TRAIN)
    assert model.predict([TEST[1]]) == ["2"]


def test_bad_input():
    with pytest.raises(ValueError, match="positive integer"):
        NearestNeighbour(k=0)
    with pytest.raises(ValueError, match="need 'image_features'"):
        NearestNeighbour(use_images=True).fit([ex("q?", "t", "a")])
    with pytest.raises(ValueError, match="Call fit"):
        QuestionTypePrior().predict(TEST)
    with pytest.raises(ValueError, match="empty"):
        RandomAnswer().fit([])
