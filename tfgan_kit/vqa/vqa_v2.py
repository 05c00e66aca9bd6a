"""Reader of the official VQA v2 files with precomputed image features, from local paths.

Questions: ``v2_OpenEnded_mscoco_<split>_questions.json`` (``{"questions": [{"image_id",
"question", "question_id"}]}``); annotations: ``v2_mscoco_<split>_annotations.json``
(``{"annotations": [{"question_id", "image_id", "question_type", "answer_type",
"multiple_choice_answer", "answers": [{"answer", "answer_id", ...}]}]}``), absent for the test
split. Image features, one entry per image id, in one of:

* ``.npz``: arrays ``image_ids`` ``[n]`` and ``features`` ``[n, ...]``;
* ``.h5`` / ``.hdf5``: datasets ``image_ids`` and ``features`` (read with h5py);
* a folder of ``<image_id>.npy`` files, one per image.

Nothing is downloaded: get the files from https://visualqa.org/download.html and extract
features with the image model of your choice (VGG fc7 for LSTM Q + norm I, ResNet res5c grids
for DAN).

Reference:
    Goyal et al., "Making the V in VQA Matter", CVPR 2017 (VQA v2); Antol et al. 2015, Section 3
    (the json format and the 10 answers per question).
"""

from __future__ import annotations

import dataclasses
import json
import os

import numpy as np

from tfgan_kit.errors import UserError

__all__ = ["VQAv2Set", "read_vqa_v2", "read_features"]


@dataclasses.dataclass(frozen=True)
class VQAv2Set:
    """Questions of one split with their image features (fields as in ``SortOfClevr``).

    Args:
        images: ``[num_images, ...]`` float32 features, row ``image_index[i]`` for question i.
        image_ids: ``[num_images]`` COCO image ids of the rows.
        image_index: ``[m]`` row of each question's image.
        question_ids: ``m`` question ids.
        questions: ``m`` question texts.
        question_types: ``m`` question types (``""`` without annotations).
        answer_types: ``m`` answer types (``""`` without annotations).
        answers: ``m`` most common human answers (``""`` without annotations).
        human_answers: ``m`` lists of the 10 human answers (empty without annotations).
    """

    images: np.ndarray
    image_ids: np.ndarray
    image_index: np.ndarray
    question_ids: list[int]
    questions: list[str]
    question_types: list[str]
    answer_types: list[str]
    answers: list[str]
    human_answers: list[list[str]]


# The fields this reader uses, with their types; every record must have them.
QUESTION_FIELDS = {"image_id": int, "question_id": int, "question": str}
ANNOTATION_FIELDS = {"question_id": int}


def _load_json(path: str, key: str, fields: dict[str, type]) -> list[dict]:
    """The ``key`` list of the json file ``path``, each record checked to hold ``fields``.

    Raises:
        FileNotFoundError: if ``path`` is not a file.
        ValueError: naming the file, for malformed json, a missing ``key`` list, or a record
            (by index) without one of ``fields`` or with one of the wrong type.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such file: {path}: pass the path of the official VQA "
                                f"{key} json (https://visualqa.org/download.html).")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as error:
        raise UserError(f"{path} is not valid json ({error.msg} at line {error.lineno}, column "
                        f"{error.colno}): pass the official VQA {key} json (download it again "
                        "if it was cut short).") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a json text file: pass the official VQA {key} "
                        "json.") from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise UserError(f"{path} is not a VQA {key} file: it has no {key!r} list.")
    entry = key[:-1]  # "question", "annotation"
    for index, record in enumerate(data[key]):
        if not isinstance(record, dict):
            raise UserError(f"{path}: {entry} {index} is a {type(record).__name__}, not an "
                            f"object with {sorted(fields)}: fix or remove it.")
        for field, kind in fields.items():
            value = record.get(field)
            if field not in record:
                raise UserError(f"{path}: {entry} {index} has no {field!r} field (every "
                                f"{entry} needs {sorted(fields)}): fix or remove it.")
            if not isinstance(value, kind) or isinstance(value, bool):
                raise UserError(f"{path}: {entry} {index} has {field}={value!r}, not "
                                f"{'an integer' if kind is int else 'a string'}: fix or remove "
                                "it.")
    return data[key]


def read_features(path: str) -> tuple[np.ndarray, np.ndarray]:
    """``(image_ids [n], features [n, ...] float32)`` from an .npz, an .h5 or a folder of .npy.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: for another file type or missing ``image_ids``/``features`` entries.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such features file or folder: {path}.")
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(".npy"))
        if not names:
            raise UserError(f"{path} holds no <image_id>.npy feature files.")
        try:
            ids = np.array([int(n[:-4]) for n in names], np.int64)
        except ValueError:
            raise UserError(f"The .npy files of {path} must be named <image_id>.npy "
                            f"(an integer). Received e.g. {names[0]!r}") from None
        return ids, np.stack([np.load(os.path.join(path, n)) for n in names]).astype(np.float32)
    if path.endswith(".npz"):
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
    elif path.endswith((".h5", ".hdf5")):
        import h5py

        with h5py.File(path, "r") as data:
            arrays = {k: data[k][()] for k in data.keys()}
    else:
        raise UserError(f"Unknown features file type: {path}: pass an .npz, an .h5/.hdf5 or a "
                        "folder of <image_id>.npy files.")
    if "image_ids" not in arrays or "features" not in arrays:
        raise UserError(f"{path} must hold `image_ids` and `features`. Received: "
                        f"{sorted(arrays)}")
    if len(arrays["image_ids"]) != len(arrays["features"]):
        raise UserError(f"{path}: {len(arrays['image_ids'])} image_ids but "
                        f"{len(arrays['features'])} feature rows.")
    return arrays["image_ids"].astype(np.int64), arrays["features"].astype(np.float32)


def read_vqa_v2(questions_path: str, annotations_path: str | None,
                features_path: str) -> VQAv2Set:
    """Reads one split of VQA v2 with its image features.

    Args:
        questions_path: the official questions json.
        annotations_path: the official annotations json, or ``None`` (test split).
        features_path: image features (see the module doc).

    Returns:
        A :class:`VQAv2Set`, questions in file order.

    Raises:
        FileNotFoundError: for a missing file.
        ValueError: for a file of the wrong kind or malformed json, a question (named by its
            index) without ``image_id``, ``question_id`` or ``question``, or a question whose
            image has no features.

    Reference:
        Antol et al. 2015, Section 3; Goyal et al. 2017 (VQA v2 files).
    """
    questions = _load_json(questions_path, "questions", QUESTION_FIELDS)
    annotations = {}
    if annotations_path is not None:
        records = _load_json(annotations_path, "annotations", ANNOTATION_FIELDS)
        for index, a in enumerate(records):
            answers = a.get("answers", [])
            if not isinstance(answers, list) or not all(
                    isinstance(x, dict) and "answer" in x for x in answers):
                raise UserError(f"{annotations_path}: annotation {index} has malformed "
                                "'answers' (expected a list of {'answer': ...} objects): fix "
                                "or remove it.")
        annotations = {a["question_id"]: a for a in records}
    image_ids, features = read_features(features_path)
    row = {int(i): r for r, i in enumerate(image_ids)}
    missing = sorted({q["image_id"] for q in questions} - set(row))
    if missing:
        raise UserError(f"{features_path} has no features for image ids {missing[:5]} "
                        f"({len(missing)} images): extract features for every image of "
                        f"{questions_path}.")
    for q in questions:
        if annotations and q["question_id"] not in annotations:
            raise UserError(f"Question {q['question_id']} has no annotation in "
                            f"{annotations_path}: pass the annotations of the same split.")
    notes = [annotations.get(q["question_id"], {}) for q in questions]
    return VQAv2Set(
        images=features,
        image_ids=image_ids,
        image_index=np.array([row[q["image_id"]] for q in questions], np.int32),
        question_ids=[q["question_id"] for q in questions],
        questions=[q["question"] for q in questions],
        question_types=[a.get("question_type", "") for a in notes],
        answer_types=[a.get("answer_type", "") for a in notes],
        answers=[a.get("multiple_choice_answer", "") for a in notes],
        human_answers=[[x["answer"] for x in a.get("answers", [])] for a in notes],
    )
