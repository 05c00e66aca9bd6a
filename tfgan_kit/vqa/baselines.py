"""The VQA baselines of Antol et al. 2015 (Section 6, "Baselines"): random, prior ("yes"),
per question type prior and nearest neighbour.

Every baseline has ``fit(examples)`` and ``predict(examples) -> list of answers``. An example is
a dict with ``question`` (text), ``question_type``, ``answer`` (the most common human answer;
training examples only) and, for the nearest neighbour's image step, ``image_features``.

Reference:
    Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 6.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.vqa.text import Vocabulary, top_answers

__all__ = ["RandomAnswer", "PriorAnswer", "QuestionTypePrior", "NearestNeighbour"]


def _most_common(answers: Sequence[str]) -> str:
    """The most frequent answer; ties go to the alphabetically first."""
    counts = Counter(answers)
    return min(counts, key=lambda a: (-counts[a], a))


def _check_training(examples: Sequence[Mapping], keys: Sequence[str]) -> None:
    if not examples:
        raise UserError("The training examples are empty: pass at least one example.")
    for key in keys:
        if key not in examples[0]:
            raise UserError(f"Training examples need {key!r}; the first has "
                            f"{sorted(examples[0])}.")


class RandomAnswer:
    """Answers with a uniformly drawn answer among the top ``k`` training answers.

    Args:
        k: how many frequent answers to draw from. Defaults to `1000`.
        seed: seed of the draws. Defaults to `0`.

    Reference:
        Antol et al. 2015, Section 6, "random": an answer drawn from the top 1000 answers.
    """

    def __init__(self, k: int = 1000, seed: int = 0):
        self.k, self.seed, self.answers = k, seed, None

    def fit(self, examples: Sequence[Mapping]) -> "RandomAnswer":
        """Keeps the top ``k`` answers of ``examples``."""
        _check_training(examples, ["answer"])
        self.answers = top_answers([e["answer"] for e in examples], self.k)
        return self

    def predict(self, examples: Sequence[Mapping]) -> list[str]:
        """One uniformly drawn answer per example (seeded)."""
        if self.answers is None:
            raise UserError("Call fit(training_examples) before predict.")
        picks = np.random.default_rng(self.seed).integers(0, len(self.answers), len(examples))
        return [self.answers[i] for i in picks]


class PriorAnswer:
    """Always the same answer, ``"yes"`` (the most common answer of VQA).

    Args:
        answer: the answer given to every question. Defaults to `"yes"`.

    Reference:
        Antol et al. 2015, Section 6, "prior ("yes")".
    """

    def __init__(self, answer: str = "yes"):
        self.answer = answer

    def fit(self, examples: Sequence[Mapping]) -> "PriorAnswer":
        """Nothing to learn: returns ``self``."""
        del examples
        return self

    def predict(self, examples: Sequence[Mapping]) -> list[str]:
        """``answer`` for every example."""
        return [self.answer] * len(examples)


class QuestionTypePrior:
    """The most frequent training answer of the question's type (e.g. "how many" -> "2").

    A type unseen in training gets the most frequent answer overall.

    Reference:
        Antol et al. 2015, Section 6, "per Q-type prior": the most popular answer per question
        type.
    """

    def __init__(self):
        self.by_type, self.overall = None, None

    def fit(self, examples: Sequence[Mapping]) -> "QuestionTypePrior":
        """Counts the answers of every question type."""
        _check_training(examples, ["answer", "question_type"])
        grouped: dict[str, list[str]] = {}
        for e in examples:
            grouped.setdefault(e["question_type"], []).append(e["answer"])
        self.by_type = {t: _most_common(a) for t, a in grouped.items()}
        self.overall = _most_common([e["answer"] for e in examples])
        return self

    def predict(self, examples: Sequence[Mapping]) -> list[str]:
        """The prior answer of each example's ``question_type``."""
        if self.by_type is None:
            raise UserError("Call fit(training_examples) before predict.")
        return [self.by_type.get(e["question_type"], self.overall) for e in examples]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class NearestNeighbour:
    """The answer of the nearest training questions, by cosine similarity of bag-of-words.

    The ``k`` training questions nearest to the test question are found; with image features,
    the answer is that of the neighbour whose image is the most similar (cosine), otherwise
    the most common answer among the ``k``.

    Args:
        k: number of neighbouring questions. Defaults to `4` (the paper's choice).
        use_images: pick among the ``k`` by image similarity (needs ``image_features``).
            Defaults to `False`.

    Raises:
        ValueError: for a non-positive ``k``.

    Reference:
        Antol et al. 2015, Section 6, "nearest neighbor": K nearest questions and their images,
        the most frequent ground-truth answer of the most similar pair; K = 4.
    """

    def __init__(self, k: int = 4, use_images: bool = False):
        if not isinstance(k, int) or k < 1:
            raise UserError(f"`k` must be a positive integer. Received: k={k!r}")
        self.k, self.use_images = k, use_images
        self.vocabulary = self.questions = self.answers = self.images = None

    def _bag_of_words(self, examples: Sequence[Mapping]) -> np.ndarray:
        ids = self.vocabulary.encode([e["question"] for e in examples], max_length=64)
        bags = np.zeros((len(examples), len(self.vocabulary)), np.float32)
        for row, tokens in enumerate(ids):
            np.add.at(bags[row], tokens[tokens > 0], 1.0)
        bags[:, :2] = 0.0  # padding and unknown words are no evidence of similarity
        return _unit_rows(bags)

    def fit(self, examples: Sequence[Mapping]) -> "NearestNeighbour":
        """Stores the training questions' bags of words, answers (and image features)."""
        _check_training(examples, ["answer", "question"] + ["image_features"] * self.use_images)
        self.vocabulary = Vocabulary.build(e["question"] for e in examples)
        self.questions = self._bag_of_words(examples)
        self.answers = [e["answer"] for e in examples]
        if self.use_images:
            self.images = _unit_rows(np.stack([np.ravel(e["image_features"]) for e in examples]))
        return self

    def predict(self, examples: Sequence[Mapping]) -> list[str]:
        """The neighbours' answer for each example (ties in similarity: the earlier example)."""
        if self.questions is None:
            raise UserError("Call fit(training_examples) before predict.")
        similarity = self._bag_of_words(examples) @ self.questions.T
        k = min(self.k, len(self.answers))
        answers = []
        for row, example in enumerate(examples):
            nearest = np.argsort(-similarity[row], kind="stable")[:k]
            if self.use_images:
                image = _unit_rows(np.ravel(example["image_features"])[None])[0]
                best = nearest[np.argmax(self.images[nearest] @ image)]
                answers.append(self.answers[best])
            else:
                answers.append(_most_common([self.answers[i] for i in nearest]))
        return answers
