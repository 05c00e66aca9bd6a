"""Sort-of-CLEVR (Santoro et al. 2017, Section 4 and Appendix): procedural images and questions.

Each 75x75 image holds 6 objects of 6 distinct colours (red, green, blue, orange, yellow,
gray), each a square or a circle, on a white background. Questions are about one object,
named by its colour. Non-relational: its shape, whether it is on the left, whether it is on
the top. Relational: the shape of the object closest to it, of the object furthest from it,
and how many objects have its shape. The 10 answers: yes, no, square, circle, 1 .. 6.

Reference:
    Santoro et al., "A simple neural network module for relational reasoning", NeurIPS 2017,
    Section 4 ("Sort-of-CLEVR") and Appendix (object size, question types, answer set).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tfgan_kit.errors import UserError

__all__ = ["IMAGE_SIZE", "COLOURS", "ANSWERS", "QUESTION_TYPES", "RELATIONAL_TYPES",
           "SortOfClevr", "answer", "generate", "render"]

IMAGE_SIZE = 75
OBJECT_SIZE = 5  # half the side of a square, the radius of a circle
COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255),
           "orange": (255, 156, 0), "yellow": (255, 255, 0), "gray": (128, 128, 128)}
SHAPES = ("square", "circle")
ANSWERS = ("yes", "no", "square", "circle", "1", "2", "3", "4", "5", "6")
_TEMPLATES = {
    "shape": "what is the shape of the {} object?",
    "left": "is the {} object on the left?",
    "top": "is the {} object on the top?",
    "closest": "what is the shape of the object closest to the {} object?",
    "furthest": "what is the shape of the object furthest from the {} object?",
    "count": "how many objects have the same shape as the {} object?",
}
QUESTION_TYPES = tuple(_TEMPLATES)
RELATIONAL_TYPES = ("closest", "furthest", "count")


@dataclasses.dataclass(frozen=True)
class SortOfClevr:
    """A generated Sort-of-CLEVR set.

    Args:
        images: ``[n, 75, 75, 3]`` uint8 RGB.
        centres: ``[n, 6, 2]`` object centres (x, y) in pixels, objects in ``COLOURS`` order.
        shapes: ``[n, 6]`` 0 square, 1 circle.
        image_index: ``[m]`` the image of each question.
        questions: ``m`` question texts.
        question_types: ``m`` entries of ``QUESTION_TYPES``.
        answers: ``m`` entries of ``ANSWERS``.
    """

    images: np.ndarray
    centres: np.ndarray
    shapes: np.ndarray
    image_index: np.ndarray
    questions: list[str]
    question_types: list[str]
    answers: list[str]

    @property
    def relational(self) -> np.ndarray:
        """``[m]`` bool: the question is relational (closest, furthest, count)."""
        return np.array([t in RELATIONAL_TYPES for t in self.question_types])


def render(centres: np.ndarray, shapes: np.ndarray) -> np.ndarray:
    """Draws one image: objects in ``COLOURS`` order at ``centres`` ([6, 2], x then y).

    Returns:
        ``[75, 75, 3]`` uint8 RGB on white.
    """
    image = np.full((IMAGE_SIZE, IMAGE_SIZE, 3), 255, np.uint8)
    ys, xs = np.mgrid[:IMAGE_SIZE, :IMAGE_SIZE] + 0.5
    for (x, y), shape, colour in zip(centres, shapes, COLOURS.values()):
        if SHAPES[shape] == "square":
            inside = (np.abs(xs - x) <= OBJECT_SIZE) & (np.abs(ys - y) <= OBJECT_SIZE)
        else:
            inside = (xs - x) ** 2 + (ys - y) ** 2 <= OBJECT_SIZE ** 2
        image[inside] = colour
    return image


def _place(rng: np.random.Generator) -> np.ndarray:
    """Six centres whose objects do not overlap (centre distance > the squares' diagonal)."""
    low, high = OBJECT_SIZE, IMAGE_SIZE - OBJECT_SIZE
    centres: list[np.ndarray] = []
    while len(centres) < len(COLOURS):
        candidate = rng.uniform(low, high, 2)
        if all(np.hypot(*(candidate - c)) > 2 * np.sqrt(2) * OBJECT_SIZE for c in centres):
            centres.append(candidate)
    return np.stack(centres)


def answer(kind: str, obj: int, centres: np.ndarray, shapes: np.ndarray) -> str:
    """The answer to question ``kind`` about object ``obj`` (Santoro et al. 2017, Appendix)."""
    x, y = centres[obj]
    if kind == "shape":
        return SHAPES[shapes[obj]]
    if kind == "left":
        return "yes" if x < IMAGE_SIZE / 2 else "no"
    if kind == "top":
        return "yes" if y < IMAGE_SIZE / 2 else "no"
    if kind == "count":
        return str(int(np.sum(shapes == shapes[obj])))
    distances = np.hypot(*(centres - centres[obj]).T)
    distances[obj] = np.inf if kind == "closest" else -np.inf
    other = np.argmin(distances) if kind == "closest" else np.argmax(distances)
    return SHAPES[shapes[other]]


def generate(num_images: int, questions_per_image: int = 20, seed: int = 0) -> SortOfClevr:
    """Generates ``num_images`` images with half non-relational, half relational questions.

    Each question picks a random object (colour) and a random type of its group, as in the
    original data set (10 non-relational and 10 relational questions per image).

    Args:
        num_images: number of images.
        questions_per_image: an even number. Defaults to `20`.
        seed: seed of the placement, shapes and questions. Defaults to `0`.

    Returns:
        A :class:`SortOfClevr`.

    Raises:
        ValueError: for a non-positive ``num_images`` or an odd ``questions_per_image``.

    Reference:
        Santoro et al. 2017, Appendix (Sort-of-CLEVR: 10 relational and 10 non-relational
        questions per image).
    """
    if not isinstance(num_images, int) or num_images < 1:
        raise UserError(f"`num_images` must be a positive integer. Received: {num_images!r}")
    if not isinstance(questions_per_image, int) or questions_per_image < 2 or (
            questions_per_image % 2):
        raise UserError("`questions_per_image` must be a positive even number (half are "
                        f"relational). Received: {questions_per_image!r}")
    rng = np.random.default_rng(seed)
    colours = list(COLOURS)
    non_relational = [t for t in QUESTION_TYPES if t not in RELATIONAL_TYPES]
    images, all_centres, all_shapes = [], [], []
    index, questions, types, answers = [], [], [], []
    for i in range(num_images):
        centres, shapes = _place(rng), rng.integers(0, 2, len(COLOURS))
        images.append(render(centres, shapes))
        all_centres.append(centres)
        all_shapes.append(shapes)
        for q in range(questions_per_image):
            group = RELATIONAL_TYPES if q % 2 else non_relational
            kind, obj = group[rng.integers(len(group))], int(rng.integers(len(COLOURS)))
            index.append(i)
            questions.append(_TEMPLATES[kind].format(colours[obj]))
            types.append(kind)
            answers.append(answer(kind, obj, centres, shapes))
    return SortOfClevr(np.stack(images), np.stack(all_centres).astype(np.float32),
                       np.stack(all_shapes).astype(np.int32), np.array(index, np.int32),
                       questions, types, answers)
