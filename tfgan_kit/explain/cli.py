"""Command line: explain the units of a saved Keras model's layer on a Broden-style folder.

    python -m tfgan_kit.explain --keras_model model.keras --layer conv2 --concepts broden/ \
        --out report/
    # a tfgan_kit scheme saved by train.py: the layer is looked up in its nets
    python -m tfgan_kit.explain --keras_model WORKDIR/model.keras --layer down_1 \
        [--net discriminator] --concepts broden/ --out report/

``--keras_model`` is a plain functional/Sequential model or a tfgan_kit scheme (a model with a
``nets`` dict, e.g. the ``model.keras`` of a train.py run); for a scheme, ``--net`` names the net
whose layer is explained (default: the first net that has ``--layer``). The net must take images.
Writes the report of :func:`tfgan_kit.explain.report.write_report` and prints its summary line.
Mistakes (a missing file, an unknown layer or net, a unit out of range, ...) end in one
``error: ...`` line naming the flag to fix, checked before the activations are computed.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.explain.activations import DEFAULT_QUANTILE
from tfgan_kit.explain.broden import REQUIRED_ENTRIES, load_broden
from tfgan_kit.explain.dissect import dissect
from tfgan_kit.explain.report import write_report
from tfgan_kit.files import load_keras_file

_LISTED_LAYERS = 12  # layer names shown in an error message before "... (N more)"
_MESSAGE_CHARS = 300  # some Keras errors quote a whole model config on one line


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose mistakes end in one ``error: ...`` line, without the usage."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see --help).\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1. Received: {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1). Received: {text!r}")
    return value


def _units(text: str) -> list[int] | None:
    """``"0,3,7"`` -> ``[0, 3, 7]``; ``""`` -> None (all units)."""
    if not text:
        return None
    try:
        units = [int(unit) for unit in text.split(",")]
    except ValueError:
        units = [-1]
    if min(units) < 0:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated unit indices >= 0, e.g. 0,3,7. Received: {text!r}")
    return units


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m tfgan_kit.explain``."""
    parser = _Parser(
        prog="python -m tfgan_kit.explain",
        description="Compositional explanations of neurons (Mu & Andreas, NeurIPS 2020).",
    )
    parser.add_argument("--keras_model", required=True,
                        help="a .keras model file (a plain model or a tfgan_kit scheme)")
    parser.add_argument("--layer", required=True, help="name of a convolutional layer")
    parser.add_argument("--net", default=None,
                        help="for a tfgan_kit scheme: the net of --layer (default: the first "
                             "net that has it)")
    parser.add_argument(
        "--concepts", required=True, help="Broden-style folder (index.csv, label.csv, images/)"
    )
    parser.add_argument("--out", required=True, help="report folder")
    parser.add_argument("--beam_size", type=_positive_int, default=5)
    parser.add_argument("--max_length", type=_positive_int, default=3)
    parser.add_argument("--complexity_penalty", type=float, default=1.0)
    parser.add_argument("--quantile", type=_fraction, default=DEFAULT_QUANTILE)
    parser.add_argument("--units", type=_units, default=None,
                        help="comma-separated unit indices (default: all)")
    parser.add_argument("--max_images", type=_positive_int, default=None)
    parser.add_argument("--batch_size", type=_positive_int, default=64)
    return parser


def _message(error: Exception) -> str:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    text = lines[0]
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS] + " ..."


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_LISTED_LAYERS])
    more = len(names) - _LISTED_LAYERS
    return shown + (f", ... ({more} more)" if more > 0 else "") if names else "none"


def check_paths(keras_model: str, concepts: str, out: str) -> None:
    """Checks the path flags before any loading.

    Raises:
        FileNotFoundError: for a missing ``--keras_model`` file or Broden entry.
        ValueError: if ``--out`` is an existing file.
    """
    if not os.path.isfile(keras_model):
        raise FileNotFoundError(
            f"--keras_model={keras_model} is not a file: pass a .keras file (train.py writes "
            "WORKDIR/model.keras).")
    if not os.path.isdir(concepts):
        raise FileNotFoundError(f"--concepts={concepts} is not a folder: pass a Broden-style "
                                "folder (index.csv, label.csv, images/).")
    missing = [entry for entry in REQUIRED_ENTRIES
               if not os.path.exists(os.path.join(concepts, entry))]
    if missing:
        raise FileNotFoundError(f"--concepts={concepts} has no {', '.join(missing)}: a "
                                "Broden-style folder needs index.csv, label.csv and images/.")
    if os.path.exists(out) and not os.path.isdir(out):
        raise UserError(f"--out={out} is a file: pass a folder for the report.")


def load_model(path: str) -> keras.Model:
    """Loads a ``.keras`` file (``safe_mode=True``); tfgan_kit's Keras classes are registered first.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: if the file is not a readable ``.keras`` archive (truncated or corrupt) or
            not a loadable model, naming it.
    """
    import tfgan_kit.models  # noqa: F401  registers every scheme, net and layer class for loading

    return load_keras_file(path, "--keras_model", "pass a .keras file written by model.save() "
                           "(train.py writes WORKDIR/model.keras)")


def _spatial_layers(net: keras.Model) -> list[str]:
    """Names of the layers whose output is ``[batch, h, w, units]`` (the explainable ones)."""
    names = []
    for layer in net.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        try:
            rank = len(layer.output.shape)
        except (AttributeError, ValueError):  # a layer never called on a symbolic input
            continue
        if rank == 4:
            names.append(layer.name)
    return names


def _takes_images(net: keras.Model) -> bool:
    inputs = getattr(net, "inputs", None)
    return bool(inputs) and len(inputs) == 1 and len(inputs[0].shape) == 4


def _input_shapes(net: keras.Model) -> str:
    """``"[None, 8]"`` (several inputs joined with ", ")."""
    inputs = getattr(net, "inputs", None) or []
    return ", ".join(str(list(tensor.shape)) for tensor in inputs) or "no symbolic inputs"


def _describe_nets(nets: dict[str, keras.Model]) -> str:
    """``"discriminator: down_0, down_1; generator (input [None, 8], not images)"``."""
    parts = []
    for name, net in nets.items():
        if _takes_images(net):
            parts.append(f"{name}: {_listed(_spatial_layers(net))}")
        else:
            parts.append(f"{name} (input {_input_shapes(net)}, not images)")
    return "; ".join(parts)


def select_net(model: keras.Model, layer: str, net: str | None = None) -> tuple[str, keras.Model]:
    """The net holding ``layer``: ``model`` itself, or for a scheme, one of its ``nets``.

    Args:
        model: a plain Keras model, or a tfgan_kit scheme with a ``nets`` dict.
        layer: the layer name.
        net: for a scheme, the net name. Defaults to `None` (the first net that has ``layer``).

    Returns:
        ``(net name or "", net)``.

    Raises:
        ValueError: for an unknown net or layer, naming the valid ones.
    """
    nets = getattr(model, "nets", None)
    if not isinstance(nets, dict):
        if net is not None:
            raise UserError(f"--net is for tfgan_kit scheme models; this is a plain "
                            f"{type(model).__name__}: drop --net={net}.")
        if layer not in [sublayer.name for sublayer in model.layers]:
            raise UserError(f"No layer named {layer!r} in the model: pass --layer=<one of its "
                            f"[batch, h, w, units] layers: {_listed(_spatial_layers(model))}>.")
        return "", model
    scheme = type(model).__name__
    if net is not None and net not in nets:
        raise UserError(f"No net named {net!r} in the {scheme} model: pass --net=<one of "
                        f"{', '.join(nets)}> (layers: {_describe_nets(nets)}).")
    candidates = [net] if net is not None else list(nets)
    holders = [name for name in candidates if layer in [sub.name for sub in nets[name].layers]]
    if not holders:
        where = f"net {net!r}" if net is not None else f"the nets of the {scheme} model"
        raise UserError(f"No layer named {layer!r} in {where}: pass --layer=<a layer of "
                        f"{_describe_nets({name: nets[name] for name in candidates})}>.")
    if len(holders) > 1:
        print(f"note: layer {layer!r} is in the nets {', '.join(holders)}; explaining "
              f"{holders[0]!r} (pass --net to choose).", file=sys.stderr)
    return holders[0], nets[holders[0]]


def check_layer(net: keras.Model, net_name: str, layer: str, units: list[int] | None) -> None:
    """Checks that ``net`` takes images and ``layer`` has spatial units covering ``units``.

    Raises:
        ValueError: naming the flag to fix.
    """
    label = f"net {net_name!r}" if net_name else "the model"
    if not _takes_images(net):
        fix = ("explain a layer of a net that takes images (e.g. --net=discriminator)"
               if net_name != "discriminator" else "a conditional net also takes labels: "
               "explain a scheme whose discriminator takes images alone")
        raise UserError(f"{label} takes {_input_shapes(net)}, not one batch of images "
                        f"[batch, h, w, c]: {fix}.")
    channels = net.inputs[0].shape[-1]
    if channels not in (1, 3):
        raise UserError(f"{label} takes {channels}-channel images, but Broden images are RGB: "
                        "explain a model that takes grey or RGB images.")
    spatial = _spatial_layers(net)
    if layer not in spatial:
        raise UserError(f"Layer {layer!r} of {label} has no [batch, h, w, units] output: pass "
                        f"--layer=<one of: {_listed(spatial)}>.")
    count = net.get_layer(layer).output.shape[-1]
    outside = [unit for unit in units or () if unit >= count]
    if outside:
        raise UserError(f"--units {outside} are out of range: layer {layer!r} has {count} "
                        f"units, 0..{count - 1}.")


def run(args: argparse.Namespace) -> str:
    """Explains the units of ``args.layer``, writes the report; returns the summary line.

    Raises:
        ValueError / OSError: for bad input, each one line naming the flag to fix.
    """
    check_paths(args.keras_model, args.concepts, args.out)
    model = load_model(args.keras_model)
    net_name, net = select_net(model, args.layer, args.net)
    check_layer(net, net_name, args.layer, args.units)
    input_shape = net.inputs[0].shape
    image_size = tuple(input_shape[1:3])
    if None in image_size:  # a fully convolutional model takes the files' size
        image_size = None
    probe = load_broden(args.concepts, image_size, max_images=args.max_images)
    images = probe.images
    if input_shape[-1] == 1:
        images = images.mean(axis=-1, keepdims=True)
    result = dissect(
        net, args.layer, images, probe.concepts, args.units, args.beam_size, args.max_length,
        args.complexity_penalty, args.quantile, args.batch_size,
    )
    return write_report(result, args.out, images, probe.concepts)


def main(argv: Sequence[str] | None = None) -> str:
    """Runs the command line; returns the summary line.

    Bad input ends in one ``error: ...`` line on stderr and ``SystemExit`` (code 2 for a flag
    argparse rejects, 1 otherwise).
    """
    args = build_parser().parse_args(argv)
    try:
        summary = run(args)
    except (UserError, OSError) as error:  # a mistake the user can fix; anything else is a bug
        print(f"error: {_message(error)}", file=sys.stderr)
        raise SystemExit(1) from None
    print(summary)
    return summary
