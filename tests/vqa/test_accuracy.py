"""VQA accuracy (Antol et al. 2015, Sec. 2): every normalisation rule of the official evaluation
and the leave-one-out averaging, against values worked out by hand."""

import pytest

from tfgan_kit.vqa import evaluate, normalize_answer, vqa_accuracy


@pytest.mark.parametrize("raw, expected", [
    # whitespace: newlines and tabs are spaces, the ends are trimmed, runs collapse
    ("  red\tcar\n", "red car"),
    # a punctuation mark next to a space is deleted ...
    ("yes !", "yes"),
    ("hello, world", "hello world"),
    # ... otherwise it becomes a space
    ("black/white", "black white"),
    ("t-shirt", "t shirt"),
    ("(left)", "left"),
    ("a;b", "b"),  # "a b": the article a is dropped
    # a digit-comma-digit group deletes every mark, even unspaced ones
    ("1,000", "1000"),
    ("1,000-2", "10002"),
    # a period not followed by a digit is deleted; a decimal point stays
    ("3.5", "3.5"),
    ("st. louis", "st louis"),
    ("e.g.", "eg"),
    # lower case; number words become digits; articles are dropped
    ("Two", "2"),
    ("none", "0"),
    ("zero ten", "0 10"),
    ("eleven", "eleven"),
    ("The dog", "dog"),
    ("an apple a day", "apple day"),
    ("theater", "theater"),
    # contractions get their apostrophe back, with one apostrophe dropped at most
    ("dont", "don't"),
    ("Couldnt've", "couldn't've"),
    ("couldn'tve", "couldn't've"),
    ("couldntve", "couldntve"),
    ("yall'd've", "y'all'd've"),
    ("twas", "'twas"),
    ("im", "im"),  # the official table's key is "Im": never matched after lower-casing
    ("somebody'd", "somebodyd"),  # the official table's reversed entry
    ("don't", "don't"),
    # everything at once
    ("The TWO dogs!", "2 dogs"),
])
def test_normalize_answer_rules(raw, expected):
    assert normalize_answer(raw) == expected


def test_period_count_limit_of_the_official_code():
    assert normalize_answer("." * 40) == "." * 8


def test_normalize_answer_rejects_non_strings():
    with pytest.raises(ValueError, match="must be a string"):
        normalize_answer(3)


@pytest.mark.parametrize("agreeing, expected", [
    (0, 0.0), (1, 0.3), (2, 0.6), (3, 0.9), (4, 1.0), (10, 1.0),
])
def test_leave_one_out_average(agreeing, expected):
    # k humans say "cat": each of them sees k-1 others, each of the 10-k others sees k.
    humans = ["cat"] * agreeing + ["dog", "cow", "pig", "hen", "owl", "bee", "ant", "elk", "yak",
                                   "emu"][:10 - agreeing]
    by_hand = (agreeing * min(1, (agreeing - 1) / 3) + (10 - agreeing) * min(1, agreeing / 3)) / 10
    assert by_hand == pytest.approx(expected)
    assert vqa_accuracy("cat", humans) == pytest.approx(expected)


def test_normalisation_applies_when_humans_disagree():
    humans = ["2"] * 3 + ["3"] * 7
    assert vqa_accuracy("Two!", humans) == pytest.approx(0.9)
    assert vqa_accuracy("the two", humans) == pytest.approx(0.9)


def test_no_normalisation_when_all_humans_agree():
    # the official code compares trimmed raw strings when the 10 answers are identical
    assert vqa_accuracy("Yes", ["yes"] * 10) == 0.0
    assert vqa_accuracy(" yes\n", ["yes"] * 10) == 1.0
    assert vqa_accuracy("2", ["two"] * 10) == 0.0


def test_vqa_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2 answers"):
        vqa_accuracy("yes", "yes")
    with pytest.raises(ValueError, match="must be a string"):
        vqa_accuracy("yes", ["yes", None])


def _set():
    questions = {"questions": [
        {"question_id": 1, "image_id": 9, "question": "Is it red?",
         "multiple_choices": ["yes", "no"]},
        {"question_id": 2, "image_id": 9, "question": "How many?", "multiple_choices": ["1", "2"]},
        {"question_id": 3, "image_id": 8, "question": "Is it blue?",
         "multiple_choices": ["yes", "no"]},
    ]}
    ann = lambda qid, qt, at, answers: {"question_id": qid, "question_type": qt, "answer_type": at,
                                        "answers": [{"answer": a, "answer_id": i + 1}
                                                    for i, a in enumerate(answers)]}
    annotations = {"annotations": [
        ann(1, "is it", "yes/no", ["yes"] * 10),
        ann(2, "how many", "number", ["2"] * 3 + ["3"] * 7),
        ann(3, "is it", "yes/no", ["yes"] * 6 + ["no"] * 4),
    ]}
    return questions, annotations


def test_evaluate_overall_and_per_type():
    questions, annotations = _set()
    results = [{"question_id": 1, "answer": "yes"}, {"question_id": 2, "answer": "two"},
               {"question_id": 3, "answer": "no"}]
    scores = evaluate(results, questions, annotations)
    # q1: 1.0; q2: 0.9 (3 of 10); q3: 4 of 10 -> 1.0
    assert scores["per_question"] == {1: 100.0, 2: 90.0, 3: 100.0}
    assert scores["overall"] == pytest.approx(round(100 * 2.9 / 3, 2))
    assert scores["per_question_type"] == {"is it": 100.0, "how many": 90.0}
    assert scores["per_answer_type"] == {"yes/no": 100.0, "number": 90.0}


def test_evaluate_multiple_choice():
    questions, annotations = _set()
    results = [{"question_id": 1, "answer": "no"}, {"question_id": 2, "answer": "2"},
               {"question_id": 3, "answer": "yes"}]
    scores = evaluate(results, questions, annotations, multiple_choice=True)
    # q1: 0; q2: 0.9; q3: 6 of 10 -> 1.0
    assert scores["overall"] == pytest.approx(round(100 * 1.9 / 3, 2))
    results[1]["answer"] = "two"
    with pytest.raises(ValueError, match="not one of its multiple choices"):
        evaluate(results, questions, annotations, multiple_choice=True)


def test_evaluate_rejects_incomplete_results():
    questions, annotations = _set()
    with pytest.raises(ValueError, match=r"missing \[3\]"):
        evaluate([{"question_id": 1, "answer": "yes"}, {"question_id": 2, "answer": "2"}],
                 questions, annotations)
    with pytest.raises(ValueError, match="Two results for question_id 1"):
        evaluate([{"question_id": 1, "answer": "yes"}] * 2, questions, annotations)
    with pytest.raises(ValueError, match="has no 'annotations' list"):
        evaluate([], questions, {"anns": []})
