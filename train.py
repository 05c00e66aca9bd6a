"""Trains a tfgan_kit experiment from a config file.

    python train.py --config=configs/dcgan_digits.py --workdir=/tmp/dcgan \
        [--config.train.epochs=5] [--strategy=default|mirrored|multi_worker] [--export_dir=DIR]
        [--config.train.precision=auto|float32|mixed_bfloat16|mixed_float16]

Rerunning with the same --workdir resumes from the last completed epoch (Ctrl-C stops cleanly,
exit code 130). With
--strategy=multi_worker the cluster is read from the TF_CONFIG environment variable.
"""

import os
import signal
import sys


def _interrupted_at_start(signum, frame):
    """Ctrl-C before training: one line, no traceback (nothing has been written yet)."""
    print("interrupted before training started; nothing was written.", file=sys.stderr)
    raise SystemExit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _interrupted_at_start)  # main() restores Python's handler
    from tfgan_kit.quiet import quiet_start

    quiet_start()  # before anything imports TensorFlow: filter its start-up lines
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402
from ml_collections import config_dict, config_flags  # noqa: E402
from ml_collections.config_flags.config_flags import ConfigFileFlagParser  # noqa: E402

_CONFIG = config_flags.DEFINE_config_file(
    "config", None, "Experiment config file (configs/*.py).", lock_config=True
)


class _ConfigFileParser(ConfigFileFlagParser):
    """Loads and locks a config file, first giving a scheme config the optional train keys it
    lacks (``train.precision``, unset), so ``--config.train.precision=...`` works on any file."""

    def __init__(self):
        super().__init__(name="config", lock_config=False)

    def parse(self, path):
        config = super().parse(path)
        if isinstance(config, config_dict.ConfigDict):
            if "scheme" in config and "train" in config and "precision" not in config.train:
                config.train.precision = config_dict.placeholder(str)
            config.lock()
        return config


flags.FLAGS["config"].parser = _ConfigFileParser()
_WORKDIR = flags.DEFINE_string("workdir", None, "Output and resume folder.")
_STRATEGY = flags.DEFINE_enum(
    "strategy", "default", ["default", "mirrored", "multi_worker"], "tf.distribute strategy."
)
_EXPORT_DIR = flags.DEFINE_string(
    "export_dir", None, "Export the trained model's serving SavedModel here (the generator, the "
    "classifier of ZAQ, the VQA model: README: Export and sampling).")
_DETERMINISTIC = flags.DEFINE_bool(
    "deterministic", False, "Enable TF op determinism (bit-exact reruns and resumes)."
)
flags.mark_flags_as_required(["config", "workdir"])


def check_config_file(path: str) -> str | None:
    """Loads the config file at ``path`` as absl will, and says in one line what is wrong with it
    (``None`` when it gives a config): missing, not Python, no ``get_config``, ``get_config``
    failing or returning something other than an experiment ``ConfigDict``."""
    fix = "pass a file of configs/ (e.g. --config=configs/dcgan_digits.py)"
    if not os.path.isfile(path):
        return f"--config={path}: no such file; {fix}."
    try:
        with open(path, "rb") as f:
            code = compile(f.read(), path, "exec")
    except (SyntaxError, ValueError) as error:
        where = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
        return (f"--config={path} is not valid Python{where}: "
                f"{getattr(error, 'msg', None) or error}; {fix}.")
    namespace = {"__file__": os.path.abspath(path), "__name__": "config_file"}
    try:
        exec(code, namespace)  # noqa: S102 -- the user's own config file, as absl runs it
        if not callable(namespace.get("get_config")):
            return f"--config={path} defines no get_config() function; {fix}."
        config = namespace["get_config"]()
    except Exception as error:  # noqa: BLE001 -- any failure of the user's file is one line
        return f"--config={path} failed to load: {type(error).__name__}: {error}."
    if not isinstance(config, config_dict.ConfigDict):
        return (f"--config={path}: get_config() returned {type(config).__name__!r}, not an "
                f"ml_collections.ConfigDict; {fix}.")
    if "scheme" not in config and "task" not in config:
        return (f"--config={path}: the config names no `scheme` (or `task`); {fix}.")
    return None


def parse_flags(argv):
    """absl flag parsing, with a one-line error for a bad config file or an unknown key."""
    for arg in argv:
        if arg.startswith("--config="):
            problem = check_config_file(arg.split("=", 1)[1].split(":")[0])
            if problem:
                sys.exit(f"error: {problem}")
    try:
        return flags.FLAGS(argv)
    except flags.Error as error:
        sys.exit(f"error: {error}\nPass --helpshort to see the flags.")
    except (AttributeError, KeyError) as error:
        sys.exit(f"error: {_unknown_key_message(argv) or error}")


def _unknown_key_message(argv) -> str | None:
    """Names the first ``--config.a.b`` override whose key the config file lacks, and the valid keys."""
    import runpy

    paths = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--config=")]
    if not paths:
        return None
    config = runpy.run_path(paths[0].split(":")[0])["get_config"]()
    for arg in argv:
        if not arg.startswith("--config."):
            continue
        node, parts = config, arg[len("--config."):].split("=", 1)[0].split(".")
        for depth, part in enumerate(parts):
            keys = list(node.keys()) if hasattr(node, "keys") else []
            if part not in keys:
                where = ".".join(["config", *parts[:depth]])
                return (f"unknown config key `{'.'.join(parts)}`: valid keys of `{where}` are "
                        f"{sorted(keys)}.")
            node = node[part]
    return None


def main(argv):
    del argv
    from tfgan_kit.errors import UserError
    from tfgan_kit.preflight import check_export_dir, check_tf_config, check_workdir

    try:  # before TensorFlow starts: a wrong path or cluster is refused at once
        if _EXPORT_DIR.value:
            check_export_dir(_EXPORT_DIR.value, _WORKDIR.value)
        check_workdir(_WORKDIR.value)
        if _STRATEGY.value == "multi_worker":
            check_tf_config(os.environ.get("TF_CONFIG"))
    except UserError as error:
        sys.exit(f"error: {error}")
    from tfgan_kit.training import NonFiniteLossError, TrainingInterrupted, train_and_evaluate
    from tfgan_kit.training.strategy import make_strategy

    try:
        if _DETERMINISTIC.value:
            import tensorflow as tf

            tf.config.experimental.enable_op_determinism()
        strategy = make_strategy(_STRATEGY.value)
        # From here Ctrl-C raises KeyboardInterrupt: the trainer stops cleanly and says where.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        train_and_evaluate(_CONFIG.value, _WORKDIR.value, strategy, export_dir=_EXPORT_DIR.value)
    except (UserError, FileNotFoundError, NonFiniteLossError) as error:
        sys.exit(f"error: {error}")  # a mistake the user can fix; any other exception is a bug
    except OSError as error:  # e.g. a full disk: every write is atomic, saved work is intact
        where = f" writing {error.filename}" if error.filename else ""
        sys.exit(f"error: {error.strerror or error}{where}; the last completed epoch's checkpoint "
                 "is intact: free some space (or fix the path) and rerun the same command.")
    except TrainingInterrupted as interruption:
        print(interruption, file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:  # outside fit: every checkpoint on disk is complete
        print("interrupted; rerun the same command to resume from the last completed epoch.",
              file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    app.run(main, flags_parser=parse_flags)
