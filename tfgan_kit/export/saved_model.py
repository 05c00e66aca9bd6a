"""SavedModel export of a trained scheme's serving endpoints (TF Serving, ``tf.saved_model.load``).

A scheme declares its endpoints (:meth:`tfgan_kit.models.AdversarialModel.serving_endpoints`):
a GAN ``serving_default(z) -> {"images"}``, a conditional scheme ``(z, label)``, a translation
scheme ``images -> images`` (CycleGAN ``a_to_b`` and ``b_to_a``), a classifier
``images -> probabilities``. :func:`export_model` writes every one as a signature, with the nets
in inference mode. An input of the wrong shape fails with a message that names the expected shape
(a signature does not check static dimensions: a wrong width would otherwise fail deep inside
the net with a generic matrix-size error).
"""

from __future__ import annotations

import os

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.types import Endpoint
from tfgan_kit.preflight import check_export_dir


def _shape_text(spec: tf.TensorSpec) -> str:
    return "[" + ", ".join("batch" if i == 0 else ("any" if d is None else str(d))
                           for i, d in enumerate(spec.shape)) + "]"


def _checked(name: str, endpoint: Endpoint):
    """``endpoint.fn`` with a shape check of every input and float32 (or int) outputs."""
    names = list(endpoint.inputs)

    def serve(*args):
        checks = []
        for input_name, value in zip(names, args):
            spec = endpoint.inputs[input_name]
            shape = tf.shape(value)
            checks += [tf.debugging.assert_equal(
                shape[axis], size,
                message=f"`{input_name}` of {name} must have shape {_shape_text(spec)}",
            ) for axis, size in enumerate(spec.shape) if axis and size is not None]
        with tf.control_dependencies(checks):  # check before the nets run
            args = [tf.identity(value) for value in args]
        outputs = endpoint.fn(**dict(zip(names, args)))
        return {k: v if v.dtype.is_integer else tf.cast(v, tf.float32) for k, v in outputs.items()}

    signature = [tf.TensorSpec(s.shape, s.dtype, name=n) for n, s in endpoint.inputs.items()]
    return serve, signature


def export_model(model, export_dir: str, **endpoint_options) -> str:
    """Writes every serving endpoint ``model`` declares into one SavedModel.

    Args:
        model: a :class:`tfgan_kit.models.AdversarialModel` (anything with
            ``serving_endpoints(**options) -> {name: Endpoint}``).
        export_dir: output folder (created; must not already hold a SavedModel).
        **endpoint_options: passed to ``serving_endpoints`` (e.g. ``resolution=8`` for a
            progressive GAN).

    Returns:
        ``export_dir``.

    Raises:
        ValueError: if the model declares no endpoints or ``export_dir`` holds a SavedModel.
    """
    if not hasattr(model, "serving_endpoints"):
        raise UserError(
            f"Cannot export {type(model).__name__}: it declares no serving endpoints; export a "
            "tfgan_kit scheme model."
        )
    check_export_dir(export_dir)
    endpoints = model.serving_endpoints(**endpoint_options)
    if not endpoints:
        raise UserError(f"{type(model).__name__} declares no serving endpoints to export.")
    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, endpoint in endpoints.items():
        fn, signature = _checked(name, endpoint)
        archive.add_endpoint(name=name, fn=fn, input_signature=signature)
    archive.write_out(export_dir, verbose=False)
    return export_dir


def load_generator(export_dir: str):
    """Loads the ``serving_default(z[, label]) -> {"images"}`` signature of an export.

    Returns ``(fn, latent_dim)``: ``fn(z, labels=None)`` returns the images for a float32 ``z``
    of shape ``[n, latent_dim]``; a conditional generator (a ``label`` input, Mirza & Osindero
    2014) also needs ``labels`` (int ``[n]``), and ``fn.conditional`` is then ``True``.

    Raises:
        FileNotFoundError: if ``export_dir`` holds no SavedModel.
        ValueError: if it has no ``serving_default`` signature taking ``z`` (and at most a
            ``label``), or when a conditional generator is called without labels.
    """
    if not os.path.exists(os.path.join(export_dir, "saved_model.pb")):
        raise FileNotFoundError(
            f"No SavedModel in {export_dir}: pass the --export_dir of a train.py run (or a "
            "folder written by tfgan_kit.export.export_model)."
        )
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures.get("serving_default")
    inputs = signature.structured_input_signature[1] if signature is not None else {}
    if "z" not in inputs or set(inputs) - {"z", "label"}:
        raise UserError(
            f"The SavedModel in {export_dir} has no serving_default signature taking `z` (and "
            f"optionally `label`); its inputs are {sorted(inputs)}: use python -m "
            "tfgan_kit.sample, which feeds any signature."
        )
    latent_dim = int(inputs["z"].shape[-1])
    conditional = "label" in inputs

    def fn(z, labels=None):
        feed = {"z": tf.convert_to_tensor(z, tf.float32)}
        if conditional:
            if labels is None:
                raise UserError(f"The generator in {export_dir} is conditional (input `label`): "
                                "pass labels (--labels_cycle=K on the command line).")
            feed["label"] = tf.convert_to_tensor(labels, inputs["label"].dtype)
        return signature(**feed)["images"]

    fn.conditional = conditional
    fn.loaded = loaded  # keep the loaded object (and its variables) alive
    return fn, latent_dim
