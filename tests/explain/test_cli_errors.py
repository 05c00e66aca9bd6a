"""`python -m tfgan_kit.explain` on train.py's own `model.keras`, and its one-line errors."""

import csv
import os
import re
import subprocess
import sys

import keras
import pytest

from tfgan_kit.explain import dissect, load_broden
from tfgan_kit.explain.cli import main
from tfgan_kit.models import GAN
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator

from .broden_folder import write_broden

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A tiny GAN saved as train.py saves it, a plain model of 15 convolutions, a Broden folder."""
    root = tmp_path_factory.mktemp("explain_cli")
    keras.utils.set_random_seed(0)
    gan = GAN(dcgan_generator(8, 16, 3, base_filters=4), dcgan_discriminator(16, 3, base_filters=4),
              latent_dim=8)
    gan.compile(g_optimizer=keras.optimizers.Adam(), d_optimizer=keras.optimizers.Adam())
    gan.save(str(root / "model.keras"))
    plain = keras.Sequential([keras.Input((16, 16, 3))] + [
        keras.layers.Conv2D(2, 1, name=f"conv{i:02d}") for i in range(15)])
    plain.save(str(root / "plain.keras"))
    write_broden(str(root / "broden"), n=4, size=16)
    write_broden(str(root / "corrupt"), n=2, size=16)
    (root / "corrupt" / "images" / "im1_object.png").write_bytes(b"\x89PNG garbage")
    (root / "no_index").mkdir()
    (root / "no_index" / "images").mkdir()
    (root / "no_index" / "label.csv").write_text("number,name\n1,sky\n")
    (root / "junk.keras").write_bytes(b"not a zip file")
    return root, gan


def _args(root, model="model.keras", layer="down_1", concepts="broden", out="report"):
    return ["--keras_model", str(root / model), "--layer", layer,
            "--concepts", str(root / concepts), "--out", str(root / out)]


def test_model_keras_of_a_scheme_explains_a_layer_of_its_discriminator(saved):
    root, gan = saved
    summary = main(_args(root, out="default") + ["--quantile", "0.05"])
    assert " of 8 units of layer 'down_1' " in summary
    main(_args(root, out="named") + ["--quantile", "0.05", "--net", "discriminator"])
    # Independent: the in-memory discriminator (not the reloaded one) gives the same formulas.
    probe = load_broden(str(root / "broden"), (16, 16))
    expected = dissect(gan.discriminator, "down_1", probe.images, probe.concepts, quantile=0.05)
    for out in ("default", "named"):
        with open(root / out / "explanations.csv") as f:
            rows = list(csv.DictReader(f))
        assert [row["formula"] for row in rows] == [
            "NONE" if e.formula is None else str(e.formula)
            for _, e in sorted(expected.explanations.items())]
        assert [float(row["iou"]) for row in rows] == pytest.approx(
            [e.iou for _, e in sorted(expected.explanations.items())], abs=1e-5)


def _error(capsys, argv):
    """The one stderr line of a run of ``main(argv)`` that must fail."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code not in (0, None)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


LAYERS = "down_0, down_0_lrelu, down_1, down_1_bn, down_1_lrelu"


@pytest.mark.parametrize("case, kwargs, more, match", [
    ("unknown layer of a scheme", {"layer": "conv9"}, [],
     rf"No layer named 'conv9' in the nets of the GAN model: pass --layer=<a layer of generator "
     rf"\(input \[None, 8\], not images\); discriminator: {LAYERS}>\."),
    ("unknown net", {}, ["--net", "critic"],
     r"No net named 'critic' in the GAN model: pass --net=<one of generator, discriminator>"),
    ("layer of another net", {}, ["--net", "generator"],
     r"No layer named 'down_1' in net 'generator'"),
    ("generator layer", {"layer": "up_0"}, [],
     r"net 'generator' takes \[None, 8\], not one batch of images .*--net=discriminator"),
    ("dense layer", {"layer": "logits"}, [],
     rf"Layer 'logits' of net 'discriminator' has no \[batch, h, w, units\] output: pass "
     rf"--layer=<one of: {LAYERS}>"),
    ("unit out of range", {}, ["--units", "1,8"],
     r"--units \[8\] are out of range: layer 'down_1' has 8 units, 0\.\.7\."),
    ("bad units", {}, ["--units", "1,x"],
     r"argument --units: expected comma-separated unit indices >= 0, e\.g\. 0,3,7\. "
     r"Received: '1,x' \(see --help\)"),
    ("bad quantile", {}, ["--quantile", "5"],
     r"argument --quantile: expected a number in \(0, 1\)"),
    ("unknown layer, many", {"model": "plain.keras", "layer": "conv"}, [],
     r"No layer named 'conv' in the model: pass --layer=<one of its \[batch, h, w, units\] "
     r"layers: conv00, conv01, .*, conv11, \.\.\. \(3 more\)>\.$"),
    ("net of a plain model", {"model": "plain.keras", "layer": "conv00"}, ["--net", "d"],
     r"--net is for tfgan_kit scheme models; this is a plain Sequential: drop --net=d\."),
    ("missing model", {"model": "missing.keras"}, [],
     r"--keras_model=.*missing\.keras is not a file: pass a \.keras file"),
    ("junk model", {"model": "junk.keras"}, [],
     r"--keras_model=.*junk\.keras is not a readable \.keras archive \(truncated or corrupt: "
     r"no zip directory in its 14 bytes\): pass a \.keras file written by model"),
    ("missing index.csv", {"concepts": "no_index"}, [],
     r"--concepts=.*no_index has no index\.csv: a Broden-style folder needs index\.csv, "
     r"label\.csv and images/\."),
    ("out is a file", {"out": "junk.keras"}, [], r"--out=.*junk\.keras is a file: pass a folder"),
    ("corrupt label png", {"concepts": "corrupt"}, [],
     r"Cannot read .*im1_object\.png \(cannot identify .*\): replace the file or drop its row"),
])
def test_every_mistake_is_one_error_line(saved, capsys, case, kwargs, more, match):
    root, _ = saved
    line = _error(capsys, _args(root, **kwargs) + more)
    assert re.search(match, line), line


@pytest.mark.parametrize("kwargs, more, match", [
    ({"concepts": "no_index"}, [], r"error: --concepts=.*no_index has no index\.csv"),
    ({}, ["--units", "a"], r"error: argument --units: expected comma-separated"),
])
def test_module_mistakes_end_in_one_error_line(saved, kwargs, more, match):
    root, _ = saved
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run([sys.executable, "-m", "tfgan_kit.explain", *_args(root, **kwargs),
                             *more], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert re.match(match, result.stderr.strip().splitlines()[-1]), result.stderr[-2000:]
    assert sum(line.startswith("error:") for line in result.stderr.splitlines()) == 1
