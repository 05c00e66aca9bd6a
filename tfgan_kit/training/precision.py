"""``config.train.precision``: the Keras dtype policy of a run, and why it was chosen.

Under a mixed policy (Micikevicius et al. 2018) layers compute in bfloat16 or float16 while
their variables stay float32; the nets' output layers (generated images and points,
discriminator logits) are float32 layers, so losses, gradient penalties, metrics and exported
outputs are float32. The fully connected discriminators, auto-encoders and classifiers also read
their samples with a float32 first layer: bfloat16 keeps 8 significant bits, a step of 0.008 at
1.0, as wide as the ring of 8 Gaussians' standard deviation (0.01). ``mixed_float16`` needs loss scaling (``AdversarialModel.compile`` wraps each
optimizer in ``keras.optimizers.LossScaleOptimizer``); bfloat16 has float32's exponent range and
needs none.

``"auto"`` picks by hardware: ``mixed_bfloat16`` where bfloat16 runs natively (NVIDIA compute
capability >= 8.0, Ampere and later; with no GPU, x86 CPUs with the ``avx512_bf16`` or ``amx_bf16``
instructions, which TensorFlow's oneDNN kernels use), ``mixed_float16`` on GPUs of compute
capability 7.x (Volta, Turing: float16 tensor cores, no bfloat16), ``float32`` otherwise.
:func:`resolve_precision` is the pure rule; :func:`detect_precision` feeds it this machine's facts.

Reference:
    Micikevicius et al., "Mixed Precision Training", ICLR 2018, Sections 3.1-3.3 (float32 master
    weights, loss scaling, float32 accumulation) (https://arxiv.org/abs/1710.03740); Kalamkar et
    al., "A Study of BFLOAT16 for Deep Learning Training", 2019 (bfloat16 needs no loss scaling)
    (https://arxiv.org/abs/1905.12322).
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator, Sequence

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = ["BF16_CPU_FLAGS", "DEFAULT_PRECISION", "PRECISIONS", "check_precision",
           "check_resume_precision", "config_precision", "cpu_flags", "detect_precision",
           "dtype_policy", "gpu_capabilities", "resolve_precision"]

PRECISIONS = ("auto", "float32", "mixed_bfloat16", "mixed_float16")
#: The trainer's choice when ``config.train.precision`` is absent (issue 16). A config whose
#: figures were measured in float32 only, or for which bfloat16 measurably does not pay, sets
#: ``precision = "float32"`` and says why in its docstring.
DEFAULT_PRECISION = "auto"
#: /proc/cpuinfo flags of x86 CPUs with native bfloat16 arithmetic (Cooper Lake, Sapphire Rapids,
#: AMD Zen 4 and later).
BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")


def check_precision(setting) -> str:
    """Returns ``setting`` if it is one of :data:`PRECISIONS`.

    Raises:
        ValueError: naming the bad value and the valid ones.
    """
    if setting not in PRECISIONS:
        raise UserError(f"config.train.precision must be one of {', '.join(PRECISIONS)}. "
                        f"Received: {setting!r}")
    return setting


def _capability_text(capability: tuple[int, int]) -> str:
    return f"{capability[0]}.{capability[1]}"


def resolve_precision(setting, cpu_flags: Iterable[str],
                      gpu_capabilities: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """The Keras dtype policy for ``setting`` on a machine with these facts, and the reason.

    ``"auto"``: with GPUs, the lowest compute capability decides (every replica must run the
    policy): >= 8.0 -> ``mixed_bfloat16``, >= 7.0 -> ``mixed_float16``, else ``float32``; with no
    GPU, ``mixed_bfloat16`` if the CPU has ``avx512_bf16`` or ``amx_bf16``, else ``float32``.
    Any other setting is returned as is.

    Args:
        setting: one of :data:`PRECISIONS`.
        cpu_flags: the CPU's feature flags (``/proc/cpuinfo``), e.g. ``{"avx2", "avx512_bf16"}``.
        gpu_capabilities: ``(major, minor)`` compute capability of each GPU; empty for none.

    Returns:
        ``(policy_name, reason)``, e.g. ``("mixed_bfloat16", "auto: CPU has avx512_bf16, no
        GPU")``.

    Raises:
        ValueError: for a setting not in :data:`PRECISIONS`.

    Reference:
        Micikevicius et al. 2018; Kalamkar et al. 2019 (see the module docstring).
    """
    check_precision(setting)
    if setting != "auto":
        return setting, "set in config.train.precision"
    if gpu_capabilities:
        lowest = min(tuple(int(part) for part in c) for c in gpu_capabilities)
        gpu = f"GPU compute capability {_capability_text(lowest)}"
        if lowest >= (8, 0):
            return "mixed_bfloat16", f"auto: {gpu} >= 8.0 runs bfloat16 natively"
        if lowest >= (7, 0):
            return "mixed_float16", f"auto: {gpu} in [7.0, 8.0): float16, with loss scaling"
        return "float32", f"auto: {gpu} < 7.0 has no fast half precision"
    found = [flag for flag in BF16_CPU_FLAGS if flag in set(cpu_flags)]
    if found:
        return "mixed_bfloat16", f"auto: CPU has {' and '.join(found)}, no GPU"
    return "float32", f"auto: no GPU, and the CPU lacks {' and '.join(BF16_CPU_FLAGS)}"


def cpu_flags(path: str = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU feature flags of the first ``flags`` line of ``path`` (empty if unreadable:
    not Linux)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def gpu_capabilities() -> list[tuple[int, int]]:
    """``(major, minor)`` compute capability of each visible GPU (TensorFlow's device details)."""
    capabilities = []
    for gpu in tf.config.list_physical_devices("GPU"):
        capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        if capability is not None:
            capabilities.append(tuple(int(part) for part in capability))
    return capabilities


def detect_precision(setting) -> tuple[str, str]:
    """:func:`resolve_precision` on this machine's CPU flags and GPUs (GPUs read only for
    ``"auto"``).

    Raises:
        ValueError: for a setting not in :data:`PRECISIONS`.
    """
    if check_precision(setting) != "auto":
        return resolve_precision(setting, (), ())
    return resolve_precision(setting, cpu_flags(), gpu_capabilities())


def config_precision(config) -> tuple[str, str]:
    """:func:`detect_precision` of ``config.train.precision``, or of :data:`DEFAULT_PRECISION`
    when the key is absent (the reason then says so): what a run of ``config`` trains under."""
    setting = config.train.get("precision")
    policy, reason = detect_precision(setting or DEFAULT_PRECISION)
    if setting is None:
        reason = f"config.train.precision unset, so {reason}"
    return policy, reason


def check_resume_precision(saved_setting, policy: str, workdir: str) -> None:
    """Refuses to resume under ``policy`` a run whose checkpoint holds optimizers of the other
    kind: ``mixed_float16`` wraps each optimizer in a ``LossScaleOptimizer`` (its own variables),
    the other policies do not. float32 <-> mixed_bfloat16 changes resume (float32 variables).

    Args:
        saved_setting: the run's saved ``config.train.precision`` (``None``: the default).
        policy: the policy this invocation resolved to.
        workdir: the run folder, for the message.

    Raises:
        ValueError: naming both policies and the fix.
    """
    saved = detect_precision(saved_setting or DEFAULT_PRECISION)[0]
    if (saved == "mixed_float16") != (policy == "mixed_float16"):
        raise UserError(
            f"The run in {workdir} trained under {saved} and this config gives {policy}: only one "
            "of them scales the loss, so the optimizers in its checkpoint do not fit. Set "
            f"config.train.precision={saved_setting or DEFAULT_PRECISION!r}, or pass a new "
            "--workdir."
        )


@contextlib.contextmanager
def dtype_policy(name: str) -> Iterator[None]:
    """Sets Keras' global dtype policy to ``name`` inside the block and restores the previous one
    after it (a run called in-process, e.g. by tests, leaves the caller's policy as it was)."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)
