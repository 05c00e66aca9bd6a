"""Oracle diagnosis of the VQA question models on Sort-of-CLEVR: the true object table as I.

    python benchmarks/vqa_oracle.py                              # deeper LSTM Q + norm I
    python benchmarks/vqa_oracle.py --rescale_image              # ... with norm I x sqrt(D)
    python benchmarks/vqa_oracle.py --model=lstm_q_i             # 1-layer LSTM, no norm I
    python benchmarks/vqa_oracle.py --model=bow_q_i
    python benchmarks/vqa_oracle.py --layers=1 --normalize_image # the factors one at a time

The image CNN is replaced by what it should learn to see: per colour (in ``COLOURS`` order)
a square / circle one-hot and the object's (x, y) in [-1, 1], 24 numbers per image, read
through ``FeatureEncoder``. Everything else is ``configs/vqa_sort_of_clevr_lstm.py`` (its data,
widths, batches of 8 questions per image, Adam 1e-3). After each epoch of 1,000 steps it prints
the held-out accuracy per group and question type, so a question model that cannot use even
perfect objects shows at once (Antol et al. 2015, Section 6, for the models; Santoro et al.
2017 for the data).
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def object_table(qa_set) -> np.ndarray:
    """``[n, 24]`` float32: per colour its shape one-hot (square, circle) and (x, y) in [-1, 1]
    (Santoro et al. 2017's state description of each object)."""
    from tfgan_kit.vqa.sort_of_clevr import IMAGE_SIZE

    half = IMAGE_SIZE / 2
    table = np.concatenate([np.eye(2)[qa_set.shapes], qa_set.centres / half - 1.0], -1)
    return table.reshape(len(table), -1).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="deeper_lstm_q_norm_i",
                        choices=["deeper_lstm_q_norm_i", "lstm_q_i", "bow_q_i"])
    parser.add_argument("--layers", type=int, help="LSTM layers (overrides the model's)")
    parser.add_argument("--normalize_image", action=argparse.BooleanOptionalAction,
                        help="norm I (overrides the model's)")
    parser.add_argument("--rescale_image", action="store_true", help="norm I x sqrt(D)")
    parser.add_argument("--learning_rate", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps_per_epoch", type=int, default=1000)
    args = parser.parse_args()

    import keras

    from configs import vqa_sort_of_clevr_lstm
    from tfgan_kit.vqa.encoders import FeatureEncoder
    from tfgan_kit.vqa.models import LstmQuestionImage
    from tfgan_kit.vqa.pipeline import predict_answers, question_batches
    from tfgan_kit.vqa.task import accuracy_report, build_model, build_sets
    from tfgan_kit.vqa.text import Vocabulary, top_answers

    config = vqa_sort_of_clevr_lstm.get_config()
    keras.utils.set_random_seed(config.seed)
    train, test = build_sets(config)
    train = dataclasses.replace(train, images=object_table(train))
    test = dataclasses.replace(test, images=object_table(test))
    data, m = config.data, config.model
    vocabulary = Vocabulary.build(train.questions, data.max_words)
    answers = top_answers(train.answers, m.num_answers)
    stream = question_batches(train, vocabulary, answers, data.max_length,
                              config.train.batch_size, shuffle_seed=config.seed, repeat=True,
                              questions_per_image=data.batch_questions_per_image)
    if args.model == "bow_q_i":
        m.name, m.encoder = "bow_q_i", "features"
        model = build_model(m, vocabulary, len(answers),
                            vocabulary.encode(train.questions, data.max_length))
    else:
        deeper = args.model == "deeper_lstm_q_norm_i"
        normalize = deeper if args.normalize_image is None else args.normalize_image
        model = LstmQuestionImage(
            FeatureEncoder(), len(vocabulary), len(answers),
            num_layers=args.layers or (2 if deeper else 1), normalize_image=normalize,
            rescale_image=args.rescale_image, embedding_dim=m.embedding_dim,
            lstm_units=m.lstm_units, common_dim=m.common_dim, hidden=tuple(m.hidden),
            dropout=m.dropout)
    model.compile(keras.optimizers.Adam(args.learning_rate),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    print(f"{vars(args)}: the true object table as I (24 numbers per image)")
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        history = model.fit(stream, epochs=1, steps_per_epoch=args.steps_per_epoch, verbose=0)
        report = accuracy_report(predict_answers(model, test, vocabulary, answers,
                                                 data.max_length), test)
        groups = " / ".join(f"{k} {float(v):.1f}%" for k, v in report["per_group"].items())
        types = ", ".join(f"{k} {float(v):.1f}" for k, v in report["per_question_type"].items())
        print(f"{epoch * args.steps_per_epoch} steps: train {100 * history.history['accuracy'][-1]:.1f}%, held out "
              f"{groups} ({types}); {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
