"""What ``train.py`` tells a person: the banner before training and the summary after it.

Both are plain lists of lines built from the run's config, data spec, scheme and workdir (no
printing here), so tests read exactly what a user sees. The banner says what is about to run
(scheme and paper, data, nets, batch and steps, devices, precision, workdir, fresh or resumed);
the summary says where everything was written, the final losses, for 2-D mixtures the mode
coverage of the final samples (PacGAN protocol, Lin et al. 2018, Sec. 5.1), and the next commands.
"""

from __future__ import annotations

import json
import os
import shlex
import sys

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.metrics.mode_coverage import PACGAN_NUM_SAMPLES, mode_coverage

_LABEL = "{:<9s} "


def _line(label: str, text: str) -> str:
    return _LABEL.format(label) + text


def _count(net) -> int:
    return int(sum(int(np.prod(w.shape)) for w in net.weights))


def _strategy_name(strategy: tf.distribute.Strategy) -> str:
    """The strategy's public name; for a cluster, also its workers (``TF_CONFIG``)."""
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        resolver = strategy.cluster_resolver
        workers = len(resolver.cluster_spec().as_dict().get("worker", [])) if resolver else 0
        return (f"MultiWorkerMirroredStrategy, {max(workers, 1)} worker"
                f"{'s' if workers > 1 else ''}")
    name = type(strategy).__name__
    return {"_DefaultDistributionStrategy": "default strategy"}.get(name, name)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def banner_lines(config, model, spec, strategy: tf.distribute.Strategy, workdir: str,
                 steps: int, start_epoch: int, precision_reason: str | None = None) -> list[str]:
    """The lines printed before ``fit``: what runs, on what, where, and from which epoch.

    Args:
        config: the experiment config.
        model: the built (and, on resume, restored) scheme.
        spec: the training :class:`tfgan_kit.data.DataSpec`.
        strategy: the ``tf.distribute`` strategy of the run.
        workdir: the run folder.
        steps: batches per epoch.
        start_epoch: completed epochs found in the workdir (0 for a fresh run).
        precision_reason: why the run has its dtype policy (``config.train.precision``,
            :func:`tfgan_kit.training.precision.resolve_precision`), shown after the policy's
            name. Defaults to `None` (the name only).
    """
    paper = getattr(model, "paper", "") or type(model).__name__
    lines = [f"tfgan_kit {config.scheme}: {paper}"]
    data = f"{config.data.name}: "
    data += (f"{spec.num_examples:,} examples" if spec.num_examples else "no fixed size")
    if spec.kind != "none":
        data += f" of shape {tuple(spec.sample_shape)}"
    if spec.target_shape is not None:
        data += f" -> {tuple(spec.target_shape)}"
    if spec.num_classes:
        data += f", {spec.num_classes} classes"
    if spec.reference_points is not None:
        data += f", {len(spec.reference_points)} mixture modes"
    lines.append(_line("data", data))
    nets = [f"{name} {_count(getattr(model, name)):,} params" for name in model.net_names()]
    lines.append(_line("nets", ", ".join(nets)))
    replicas = strategy.num_replicas_in_sync
    batch = config.train.batch_size
    per_replica = f"{batch // replicas} per replica x {replicas} replicas" if replicas > 1 else (
        "1 replica")
    per_call = int(getattr(model, "steps_per_execution", 1))
    lines.append(_line("training",
                       f"{config.train.epochs} epochs x {steps} steps, global batch {batch} "
                       f"({per_replica}, {_strategy_name(strategy)})"
                       + (f", {per_call} steps per call" if per_call > 1 else "")
                       + (", 1 step per call on several replicas (keras-team/keras#19246)"
                          if per_call == 1 < replicas
                          and int(config.train.get("steps_per_execution", 1)) > 1 else "")))
    jit = "XLA" if config.train.get("jit_compile") else "no XLA"
    policy = keras.config.dtype_policy().name
    if precision_reason:
        policy += f" ({precision_reason})"
    lines.append(_line("precision", f"{policy}, {jit}"))
    if start_epoch >= config.train.epochs:
        status = f"complete: {start_epoch} epochs done" + (
            f", more than config.train.epochs={config.train.epochs}"
            if start_epoch > config.train.epochs else "")
    elif start_epoch:
        status = f"resuming after epoch {start_epoch} (step {model.steps_done():,})"
    else:
        status = "fresh run"
    lines.append(_line("workdir", f"{workdir} ({status})"))
    return lines


def final_logs(history, samples_dir: str) -> dict[str, float]:
    """The last epoch's logs: from this ``fit``'s history, else from ``samples/history.json``."""
    if history is not None and history.history:
        return {key: float(values[-1]) for key, values in history.history.items() if values}
    path = os.path.join(samples_dir, "history.json")
    try:
        with open(path) as f:
            records = json.load(f)
    except (OSError, ValueError):
        return {}
    if isinstance(records, dict):
        records = records.get("epochs", [])
    if not records:
        return {}
    last = records[-1]
    return {k: float(v) for k, v in last.items() if isinstance(v, (int, float)) and k != "epoch"}


def coverage_line(model, spec, seed: int) -> str | None:
    """Mode coverage of the final fixed-seed samples of a 2-D mixture, or ``None`` for other data.

    Draws PacGAN's 2,500 samples (Lin et al. 2018, Sec. 5.1) with the picture's seed.
    """
    std = getattr(spec, "reference_std", None)
    if spec is None or spec.reference_points is None or std is None:
        return None
    picture = model.picture(spec, PACGAN_NUM_SAMPLES, seed)
    if picture.points is None:
        return None
    result = mode_coverage(picture.points, spec.reference_points, std)
    return (f"{result.modes}/{len(spec.reference_points)} modes, "
            f"{100 * result.high_quality_fraction:.1f}% high quality (within 3 std), "
            f"reverse KL {result.reverse_kl:.3f} ({PACGAN_NUM_SAMPLES:,} samples)")


def _config_argument() -> str:
    for arg in sys.argv[1:]:
        if arg.startswith("--config="):
            return arg
    return "--config=<the config file>"


def summary_lines(config, model, spec, workdir: str, export_dir: str | None, history,
                  elapsed: float | None, trained_epochs: int) -> list[str]:
    """The lines printed after a run: where its outputs are, final losses, coverage, next commands.

    Args:
        config: the experiment config.
        model: the trained scheme.
        spec: the training data spec.
        workdir: the run folder.
        export_dir: the SavedModel folder, if exported.
        history: the ``History`` of this process's ``fit`` (``None`` when nothing was trained).
        elapsed: seconds of training in this process, or ``None``.
        trained_epochs: epochs trained by this process (0: the run was already complete).
    """
    samples = os.path.join(workdir, "samples")
    steps = model.steps_done()
    if trained_epochs:
        head = (f"done: {config.train.epochs} epochs, {steps:,} steps "
                f"({trained_epochs} epochs in {_duration(elapsed or 0.0)} in this run)")
    else:
        head = (f"already complete: {steps:,} steps; raise --config.train.epochs above the "
                "epochs done to train further")
    lines = [head]
    logs = final_logs(history, samples)
    losses = {k: v for k, v in logs.items() if k in getattr(model, "log_names", ())}
    if losses:
        lines.append(_line("final", ", ".join(f"{k} {v:.4f}" for k, v in losses.items())))
    coverage = coverage_line(model, spec, config.seed)
    if coverage:
        lines.append(_line("coverage", coverage))
    pictures = sorted(f for f in os.listdir(samples) if f.endswith((".png", ".gif"))) if (
        os.path.isdir(samples)) else []
    named = [f for f in pictures if not f.startswith("epoch_")]
    epochs = [f for f in pictures if f.startswith("epoch_")]
    shown = ", ".join((epochs[-1:] if epochs else []) + named)
    lines.append(_line("samples", samples + (f" ({shown})" if shown else "")))
    lines.append(_line("logs", os.path.join(workdir, "tensorboard")))
    lines.append(_line("model", os.path.join(workdir, "model.keras")))
    if export_dir:
        lines.append(_line("export", f"{export_dir} (SavedModel)"))
    lines.append("next:")
    lines.append(f"  tensorboard --logdir {shlex.quote(os.path.join(workdir, 'tensorboard'))}")
    if export_dir:
        quoted = shlex.quote(export_dir)
        out = shlex.quote(os.path.join(workdir, "sample.png"))
        endpoints = model.serving_endpoints()
        name = "serving_default" if "serving_default" in endpoints else sorted(endpoints)[0]
        inputs = set(endpoints[name].inputs)
        labels = f" --labels_cycle={spec.num_classes or 10}" if "label" in inputs else ""
        signature = "" if name == "serving_default" else f" --signature={name}"
        data = sorted(inputs - {"z", "label"})  # fed by the user: placeholders in <...>
        if len(data) == 1 and len(endpoints[name].inputs[data[0]].shape) == 4:
            feed = " --images_dir=<a folder of images>"
        else:
            feed = "".join(f" --input_npy={key}=<{key}.npy>" for key in data)
        lines.append(f"  python -m tfgan_kit.sample --saved_model={quoted}{signature}{labels}"
                     f"{feed} --out={out}")
        if (spec is not None and spec.kind != "none" and len(spec.sample_shape) == 3
                and inputs <= {"z", "label"}):
            dataset = "digits" if config.data.name == "digits" else config.data.get(
                "tfds_name", config.data.name)
            metrics = shlex.quote(os.path.join(workdir, "metrics.json"))
            lines.append(f"  python -m tfgan_kit.evaluate --saved_model={quoted}{labels} "
                         f"--dataset={dataset} --out={metrics}")
    else:
        lines.append(f"  python train.py {_config_argument()} --workdir={shlex.quote(workdir)} "
                     "--export_dir=DIR   # export the serving endpoints (no retraining)")
    return lines


__all__ = ["banner_lines", "coverage_line", "final_logs", "summary_lines"]
