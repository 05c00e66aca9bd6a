"""Question words and answer classes: tokeniser, question vocabulary, top-K answer list.

Antol et al. 2015 (Section 6) answer open-ended questions by classifying over the K = 1000 most
frequent answers of the training set, and encode questions over their word vocabulary; this
module builds both, with index 0 the padding and index 1 the out-of-vocabulary word.

Reference:
    Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 6 ("we choose the top
    K = 1000 most frequent answers as possible outputs").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from tfgan_kit.errors import UserError

__all__ = ["PAD", "UNKNOWN", "tokenize", "Vocabulary", "top_answers"]

PAD, UNKNOWN = "<pad>", "<unk>"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(question: str) -> list[str]:
    """Lower-case words of a question, punctuation dropped (``"Is it red?"`` -> is, it, red).

    Args:
        question: the question text.

    Returns:
        The list of words.

    Raises:
        ValueError: if ``question`` is not a string.

    Reference:
        Antol et al. 2015, Section 6 (questions as words for BoW Q and LSTM Q).
    """
    if not isinstance(question, str):
        raise UserError(f"A question must be a string. Received: {question!r}")
    return _WORD.findall(question.lower())


class Vocabulary:
    """Word <-> index map of the question words: 0 is padding, 1 an unknown word.

    Args:
        words: the vocabulary words, most frequent first (without ``PAD``/``UNKNOWN``).

    Raises:
        ValueError: for a repeated word.

    Reference:
        Antol et al. 2015, Section 6 (one-hot question words fed to the LSTM).
    """

    def __init__(self, words: Sequence[str]):
        self.words = [PAD, UNKNOWN, *words]
        if len(set(self.words)) != len(self.words):
            raise UserError(f"Vocabulary words must be unique and not {PAD}/{UNKNOWN}. "
                            f"Received: {list(words)}")
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def build(cls, questions: Iterable[str], max_words: int | None = None) -> "Vocabulary":
        """The ``max_words`` most frequent words of ``questions`` (ties: alphabetical)."""
        counts = Counter(w for q in questions for w in tokenize(q))
        ranked = sorted(counts, key=lambda w: (-counts[w], w))
        return cls(ranked[:max_words])

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, questions: Iterable[str], max_length: int) -> np.ndarray:
        """Token ids ``[n, max_length]`` int32, right-padded with 0, truncated at
        ``max_length`` words."""
        rows = [[self.index.get(w, 1) for w in tokenize(q)][:max_length] for q in questions]
        out = np.zeros((len(rows), max_length), np.int32)
        for i, row in enumerate(rows):
            out[i, :len(row)] = row
        return out


def top_answers(answers: Iterable[str], k: int = 1000) -> list[str]:
    """The ``k`` most frequent answers, most frequent first (ties: alphabetical).

    Args:
        answers: one answer per training question (the most common human answer).
        k: how many to keep. Defaults to `1000` (Antol et al. 2015, Section 6).

    Returns:
        The answer list; its index is the class of an answer.

    Raises:
        ValueError: if ``k`` is not a positive integer.

    Reference:
        Antol et al. 2015, Section 6: the top 1000 answers cover 82.67% of the train+val answers.
    """
    if not isinstance(k, int) or k < 1:
        raise UserError(f"`k` must be a positive integer. Received: k={k!r}")
    counts = Counter(answers)
    return sorted(counts, key=lambda a: (-counts[a], a))[:k]
