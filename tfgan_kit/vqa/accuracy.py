"""VQA accuracy as the official evaluation computes it (Antol et al. 2015, Section 2).

A predicted answer is right for one human if at least 3 *other* humans gave it: per question,
``acc = mean over the 10 leave-one-out subsets of min(#matches among the other 9 / 3, 1)``, so
an answer given by 3 of 10 humans scores ``(7 * 1 + 3 * 2/3) / 10 = 0.9``. Answers are compared
after the official normalisation, which the official code applies only when the 10 human
answers are not all identical (when they agree, the raw strings, trimmed, are compared):

1. newlines and tabs become spaces; leading and trailing whitespace is dropped;
2. punctuation (``; / [ ] " { } ( ) = + \\ _ - > < @ ` , ? !``): each mark is deleted when the
   raw text has it next to a space, or when the text holds a digit-comma-digit group
   (``"1,000"``); otherwise it becomes a space (``"black/white"`` -> ``"black white"``);
3. a period not followed by a digit is deleted (``"3.5"`` stays, ``"st."`` -> ``"st"``; the
   official code passes ``re.UNICODE`` (32) as the count, so at most 32 periods go);
4. lower case, split on whitespace; number words ``none``/``zero`` ... ``ten`` become digits;
   the articles ``a``, ``an``, ``the`` are dropped;
5. contractions written without their apostrophe get it back (``"dont"`` -> ``"don't"``,
   ``"couldnt've"`` -> ``"couldn't've"``), with the official table's quirks (see
   :data:`CONTRACTIONS`).

Reference:
    Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 2 (the accuracy
    ``min(#humans that said ans / 3, 1)`` averaged over all 10-choose-9 subsets of humans);
    the official evaluation ``vqaEval.py`` (GT-Vision-Lab/VQA) for the normalisation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Mapping, Sequence

from tfgan_kit.errors import UserError

__all__ = ["CONTRACTIONS", "normalize_answer", "vqa_accuracy", "evaluate"]

# Contractions of the official table; every spelling with exactly one apostrophe dropped maps
# to the contraction ("he'd've" <- "hed've", "he'dve").
_CONTRACTED = """
ain't aren't can't could've couldn't couldn't've didn't doesn't don't hadn't hadn't've hasn't
haven't he'd he'd've he's how'd how'll how's I'd've I'm I've isn't it'd it'd've it'll ma'am
mightn't mightn't've might've mustn't must've needn't not've o'clock oughtn't 'ow's'at shan't
she'd've should've shouldn't shouldn't've somebody'd've somebody'll somebody's someone'd
someone'd've someone'll someone's something'd something'd've something'll that's there'd
there'd've there're there's they'd they'd've they'll they're they've 'twas wasn't we'd've we've
weren't what'll what're what's what've when's where'd where's where've who'd who'd've who'll
who's who've why'll why're why's won't would've wouldn't wouldn't've y'all y'all'll y'all'd've
you'd you'd've you'll you're you've
""".split()


def _contraction_table() -> dict[str, str]:
    table = {}
    for word in _CONTRACTED:
        for position, char in enumerate(word):
            if char == "'":
                table[word[:position] + word[position + 1:]] = word
    # The official table maps this one the other way round; its capitalised keys ("Im",
    # "Id've", ...) never match, as the text is lower-cased first.
    table["somebody'd"] = "somebodyd"
    return table


#: Spelling without an apostrophe -> contraction, as in the official evaluation.
CONTRACTIONS: dict[str, str] = _contraction_table()
_NUMBER_WORDS = {"none": "0", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                 "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_ARTICLES = ("a", "an", "the")
_PUNCTUATION = (";", "/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<",
                "@", "`", ",", "?", "!")
_DIGIT_COMMA_DIGIT = re.compile(r"\d,\d")
_PERIOD_NOT_BEFORE_DIGIT = re.compile(r"\.(?!\d)")
_MAX_PERIODS = 32  # re.UNICODE, passed as the count by the official code


def _trim(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ").strip()


def _strip_punctuation(text: str) -> str:
    out = text
    has_number_group = _DIGIT_COMMA_DIGIT.search(text) is not None
    for mark in _PUNCTUATION:
        spaced = mark + " " in text or " " + mark in text
        out = out.replace(mark, "" if spaced or has_number_group else " ")
    return _PERIOD_NOT_BEFORE_DIGIT.sub("", out, count=_MAX_PERIODS)


def _digits_articles_contractions(text: str) -> str:
    words = [_NUMBER_WORDS.get(word, word) for word in text.lower().split()]
    return " ".join(CONTRACTIONS.get(word, word) for word in words if word not in _ARTICLES)


def normalize_answer(text: str) -> str:
    """Normalises an answer as the official VQA evaluation does (steps 1-5 of the module doc).

    Args:
        text: a predicted or human answer.

    Returns:
        The normalised answer, e.g. ``"The two dogs!"`` -> ``"2 dogs"``.

    Raises:
        ValueError: if ``text`` is not a string.

    Reference:
        Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 2; ``vqaEval.py``
        (``processPunctuation`` then ``processDigitArticle``).
    """
    if not isinstance(text, str):
        raise UserError(f"An answer must be a string. Received: {text!r} ({type(text).__name__})")
    return _digits_articles_contractions(_strip_punctuation(_trim(text)))


def vqa_accuracy(predicted_answer: str, human_answers: Sequence[str]) -> float:
    """The VQA accuracy of one answer against the human answers of one question.

    ``mean_i min(#{j != i : human_j == predicted} / 3, 1)`` over the leave-one-out subsets,
    after normalising every answer when the humans disagree (as the official code does).

    Args:
        predicted_answer: the model's answer.
        human_answers: the human answers (10 in VQA; any number >= 2 is accepted).

    Returns:
        The accuracy in [0, 1]; e.g. 3 of 10 humans agreeing gives 0.9.

    Raises:
        ValueError: for fewer than 2 human answers or a non-string answer.

    Reference:
        Antol et al., "VQA: Visual Question Answering", ICCV 2015, Section 2, the accuracy
        metric ``min(#humans that said ans / 3, 1)`` averaged over all 10-choose-9 subsets.
    """
    answers = list(human_answers)
    if isinstance(human_answers, str) or len(answers) < 2:
        raise UserError("`human_answers` must be a list of at least 2 answers (10 in VQA). "
                        f"Received: {human_answers!r}")
    for answer in [predicted_answer, *answers]:
        if not isinstance(answer, str):
            raise UserError(f"An answer must be a string. Received: {answer!r}")
    predicted, answers = _trim(predicted_answer), [_trim(a) for a in answers]
    if len(set(answers)) > 1:
        predicted = normalize_answer(predicted)
        answers = [normalize_answer(a) for a in answers]
    matches = [a == predicted for a in answers]
    total = sum(matches)
    return sum(min(1.0, (total - own) / 3) for own in matches) / len(answers)


def _records(data, key: str, what: str) -> list[dict]:
    if isinstance(data, Mapping):
        if key not in data:
            raise UserError(f"The {what} json has no {key!r} list (keys: {sorted(data)}): pass "
                            f"the official {what} file or its {key!r} list.")
        data = data[key]
    return list(data)


def _percent(values: Iterable[float], digits: int) -> float:
    values = list(values)
    return round(100 * sum(values) / len(values), digits)


def evaluate(results, questions, annotations, multiple_choice: bool = False,
             digits: int = 2) -> dict:
    """VQA accuracy of a results file: overall, per question type and per answer type.

    Args:
        results: ``[{"question_id", "answer"}]`` (the official results format), one per
            annotated question.
        questions: the official questions json (a dict with ``"questions"``) or its list;
            multiple-choice questions carry ``"multiple_choices"``.
        annotations: the official annotations json (a dict with ``"annotations"``) or its
            list: ``question_id``, ``question_type``, ``answer_type`` and ``answers``
            (``[{"answer"}]``, 10 per question).
        multiple_choice: score the multiple-choice task: every answer must be one of its
            question's ``multiple_choices``. Defaults to `False` (open-ended).
        digits: decimals of the percentages (the official code rounds to 2). Defaults to `2`.

    Returns:
        ``{"overall": %, "per_question_type": {type: %}, "per_answer_type": {type: %},
        "per_question": {question_id: %}}``.

    Raises:
        ValueError: for a missing or duplicated result, a result for an unannotated question,
            or (multiple choice) an answer that is not one of its choices.

    Reference:
        Antol et al., "VQA: Visual Question Answering", ICCV 2015, Sections 2 and 5 (open-ended
        and multiple-choice tasks); ``vqaEval.py``'s ``evaluate`` and ``setAccuracy``.
    """
    questions = {q["question_id"]: q for q in _records(questions, "questions", "questions")}
    annotations = _records(annotations, "annotations", "annotations")
    answers: dict = {}
    for result in _records(results, "results", "results"):
        question_id = result["question_id"]
        if question_id in answers:
            raise UserError(f"Two results for question_id {question_id}: keep one per question.")
        answers[question_id] = result["answer"]
    annotated = {a["question_id"] for a in annotations}
    missing, extra = annotated - set(answers), set(answers) - annotated
    if missing or extra:
        raise UserError(f"The results must answer exactly the annotated questions: missing "
                        f"{sorted(missing)[:5]}, unannotated {sorted(extra)[:5]}.")
    per_question, by_question_type, by_answer_type = {}, defaultdict(list), defaultdict(list)
    for annotation in annotations:
        question_id = annotation["question_id"]
        if multiple_choice:
            choices = questions.get(question_id, {}).get("multiple_choices")
            if choices is None:
                raise UserError(f"Question {question_id} has no `multiple_choices`: pass the "
                                "multiple-choice questions file, or multiple_choice=False.")
            if answers[question_id] not in choices:
                raise UserError(f"The answer {answers[question_id]!r} to question {question_id} "
                                f"is not one of its multiple choices: choose among {choices}.")
        score = vqa_accuracy(answers[question_id], [a["answer"] for a in annotation["answers"]])
        per_question[question_id] = round(100 * score, digits)
        by_question_type[annotation["question_type"]].append(score)
        by_answer_type[annotation["answer_type"]].append(score)
    scores = [s for values in by_answer_type.values() for s in values]
    return {
        "overall": _percent(scores, digits) if scores else 0.0,
        "per_question_type": {k: _percent(v, digits) for k, v in by_question_type.items()},
        "per_answer_type": {k: _percent(v, digits) for k, v in by_answer_type.items()},
        "per_question": per_question,
    }
