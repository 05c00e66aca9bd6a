"""The "vqa" task through train.py's library side: tiny runs of both Sort-of-CLEVR configs, the
SavedModel round trip (two inputs, assets), registry and config errors."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from configs import vqa_sort_of_clevr_lstm, vqa_sort_of_clevr_rdan
from tfgan_kit.registry import get_task
from tfgan_kit.training import train_and_evaluate
from tfgan_kit.vqa import sort_of_clevr
from tfgan_kit.vqa.export import read_assets
from tfgan_kit.vqa.pipeline import image_inputs
from tfgan_kit.vqa.task import accuracy_report
from tfgan_kit.vqa.text import Vocabulary


def tiny(config):
    config.data.num_images = 6
    config.data.test_images = 2
    config.data.questions_per_image = 4
    config.data.batch_questions_per_image = 2
    config.model.cnn_filters = 4
    config.model.embedding_dim = 4
    config.model.lstm_units = 4
    config.model.common_dim = 4
    config.model.units = 4
    config.model.hidden = (4,)
    config.train.batch_size = 4
    config.train.epochs = 1
    config.train.steps_per_epoch = 2
    config.train.verbose = "0"
    return config


@pytest.fixture(scope="module", params=["lstm", "rdan"])
def run(request, tmp_path_factory):
    module = {"lstm": vqa_sort_of_clevr_lstm, "rdan": vqa_sort_of_clevr_rdan}[request.param]
    config = tiny(module.get_config())
    folder = tmp_path_factory.mktemp(request.param)
    model = train_and_evaluate(config, str(folder / "work"), export_dir=str(folder / "export"))
    return config, folder, model


def test_run_writes_its_files(run):
    config, folder, _ = run
    work = folder / "work"
    for name in ("config.json", "history.json", "model.weights.h5", "report.json"):
        assert (work / name).exists(), name
    report = json.loads((work / "report.json").read_text())
    assert set(report["per_group"]) == {"relational", "non_relational"}
    assert 0 <= report["accuracy"] <= 100
    assert len(json.loads((work / "history.json").read_text())) == 1


def test_saved_model_answers_like_the_model(run):
    config, folder, model = run
    export = str(folder / "export")
    loaded = tf.saved_model.load(export)
    serve = loaded.signatures["serving_default"]
    assert set(serve.structured_input_signature[1]) == {"image", "question"}
    vocabulary, answers = read_assets(export)
    test = sort_of_clevr.generate(2, 4, seed=9)
    tokens = Vocabulary(vocabulary[2:]).encode(test.questions, config.data.max_length)
    images = image_inputs(test.images)[test.image_index]
    served = serve(image=tf.constant(images), question=tf.constant(tokens))["probabilities"]
    expected = tf.nn.softmax(model((images, tokens), training=False))
    np.testing.assert_allclose(served, expected, atol=1e-5)
    np.testing.assert_allclose(np.sum(served, -1), 1, atol=1e-5)
    assert set(answers) <= set(sort_of_clevr.ANSWERS) and vocabulary[:2] == ["<pad>", "<unk>"]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`question` must have shape"):
        serve(image=tf.constant(images), question=tf.constant(tokens[:, :5]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`image` must have shape"):
        serve(image=tf.constant(images[:, :70]), question=tf.constant(tokens))


def test_export_dir_must_be_new(run):
    config, folder, _ = run
    with pytest.raises(ValueError, match="already holds a SavedModel"):
        train_and_evaluate(config, str(folder / "work2"), export_dir=str(folder / "export"))


def test_accuracy_report_by_hand():
    qa = sort_of_clevr.generate(1, 4, seed=0)
    predicted = list(qa.answers)
    predicted[0] = "wrong"  # question 0 is non-relational (even index)
    report = accuracy_report(predicted, qa)
    assert report["accuracy"] == 75.0
    assert report["per_group"] == {"non_relational": 50.0, "relational": 100.0}


def test_config_errors(tmp_path):
    with pytest.raises(ValueError, match=r"Unknown task 'nope' in `config.task`: valid values "
                                         r"are \[.*'vqa'"):
        get_task("nope")
    config = tiny(vqa_sort_of_clevr_lstm.get_config())
    config.model.name = "nope"
    with pytest.raises(ValueError, match="Unknown VQA model 'nope' in `config.model.name`"):
        train_and_evaluate(config, str(tmp_path / "a"))
    config = tiny(vqa_sort_of_clevr_lstm.get_config())
    config.data.name = "nope"
    with pytest.raises(ValueError, match="Unknown VQA data 'nope'"):
        train_and_evaluate(config, str(tmp_path / "b"))
    config = tiny(vqa_sort_of_clevr_lstm.get_config())
    config.train.batch_size = 0
    with pytest.raises(ValueError, match=r"config.train.batch_size must be an integer >= 1"):
        train_and_evaluate(config, str(tmp_path / "c"))


def test_decay_start_epoch_decays_the_task_optimizer_linearly(tmp_path):
    """config.train.decay_start_epoch (the schemes' key, Zhu et al. 2017's linear decay) sets
    the task optimizer's rate each epoch; an out-of-range start is refused before training."""
    config = tiny(vqa_sort_of_clevr_lstm.get_config())
    config.train.update(epochs=3, steps_per_epoch=1, decay_start_epoch=1)
    base = config.train.optimizer["learning_rate"]
    model = train_and_evaluate(config, str(tmp_path / "a"))
    # 0-based epochs 0, 1, 2 with the decay from epoch 1: 1, 2/3, 1/3 of the base rate.
    assert float(model.optimizer.learning_rate) == pytest.approx(base / 3)
    config.train.decay_start_epoch = 3
    with pytest.raises(ValueError, match=r"decay_start_epoch` must be an integer in \[0, "):
        train_and_evaluate(config, str(tmp_path / "b"))
    assert not (tmp_path / "b" / "checkpoints").exists()


def test_image_options_reach_the_model():
    """config.model.image_hidden / image_pooling / rescale_image build the model's I (their
    maths is tested in test_models.py); a non-boolean rescale_image is refused by name."""
    from tfgan_kit.vqa.encoders import FeatureEncoder
    from tfgan_kit.vqa.models import LstmQuestionImage
    from tfgan_kit.vqa.task import build_model

    config = tiny(vqa_sort_of_clevr_lstm.get_config()).model
    config.image_hidden, config.image_pooling, config.rescale_image = (5,), "mean", True
    vocabulary = Vocabulary(["what", "shape"])
    model = build_model(config, vocabulary, 10)
    assert [layer.units for layer in model.image_hidden] == [5]
    assert model.image_pooling == "mean" and model.rescale_image is True
    images = np.zeros((2, 75, 75, 3), np.float32)
    assert model((images, np.array([[2, 3], [3, 0]]))).shape == (2, 10)
    with pytest.raises(ValueError, match="`rescale_image` must be True or False"):
        LstmQuestionImage(FeatureEncoder(), 4, 10, rescale_image="yes")


def test_train_py_accepts_the_configs():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for name in ("vqa_sort_of_clevr_lstm", "vqa_sort_of_clevr_rdan"):
        with open(os.path.join(root, "configs", f"{name}.py")) as f:
            assert f"--config=configs/{name}.py" in f.read()
