"""SavedModel export of a trained generator for serving (TF Serving, ``tf.saved_model.load``).

The SavedModel has one signature, ``serving_default``: input ``z`` (float32 ``[None,
latent_dim]``) and output ``{"images": G(z)}`` in the training value range ([-1, 1] for images),
the generator run in inference mode. A ``z`` of the wrong width fails with a message that names
the expected width (the signature alone does not check it; DESIGN.md, fact 8).
"""

from __future__ import annotations

import os

import keras
import tensorflow as tf


def save_generator(model, export_dir: str, resolution: int | None = None) -> str:
    """Writes ``model``'s generator as a SavedModel with a ``serving_default`` signature.

    Args:
        model: an :class:`tfgan_kit.models.AdversarialModel` (anything with ``latent_dim`` and
            ``generate(z, training=False)``).
        export_dir: output folder (created; must not already hold a SavedModel).
        resolution: for progressive models, the output resolution to export; ``None`` exports
            the final generator. It is passed as ``generate(z, resolution=...)``.

    Returns:
        ``export_dir``.

    Raises:
        ValueError: if the model has no ``latent_dim``, or ``export_dir`` holds a SavedModel.

    Reference: DESIGN.md, "The scheme model contract" (export).
    """
    latent_dim = getattr(model, "latent_dim", None)
    if not isinstance(latent_dim, int):
        raise ValueError(
            f"Cannot export {type(model).__name__}: it has no integer `latent_dim`; export a "
            "tfgan_kit scheme model."
        )
    if os.path.exists(os.path.join(export_dir, "saved_model.pb")):
        raise ValueError(
            f"{export_dir} already holds a SavedModel: choose a new --export_dir or delete it."
        )
    kwargs = {} if resolution is None else {"resolution": resolution}

    def serve(z):
        width = tf.shape(z)[-1]
        tf.debugging.assert_equal(
            width, latent_dim,
            message=f"`z` must have shape [batch, {latent_dim}] (the generator's latent width)",
        )
        images = model.generate(z, training=False, **kwargs)
        return {"images": tf.cast(images, tf.float32)}

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        name="serving_default",
        fn=serve,
        input_signature=[tf.TensorSpec((None, latent_dim), tf.float32, name="z")],
    )
    archive.write_out(export_dir, verbose=False)
    return export_dir


def load_generator(export_dir: str):
    """Loads a SavedModel written by :func:`save_generator`; returns ``(fn, latent_dim)``.

    ``fn(z)`` returns the images array for a float32 ``z`` of shape ``[n, latent_dim]``.

    Raises:
        FileNotFoundError: if ``export_dir`` holds no SavedModel.
        ValueError: if it has no ``serving_default`` signature with input ``z``.
    """
    if not os.path.exists(os.path.join(export_dir, "saved_model.pb")):
        raise FileNotFoundError(
            f"No SavedModel in {export_dir}: pass the --export_dir of a train.py run (or a "
            "folder written by tfgan_kit.export.save_generator)."
        )
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures.get("serving_default")
    if signature is None or "z" not in signature.structured_input_signature[1]:
        raise ValueError(
            f"The SavedModel in {export_dir} has no serving_default signature taking `z`: "
            "export it with tfgan_kit.export.save_generator."
        )
    latent_dim = int(signature.structured_input_signature[1]["z"].shape[-1])

    def fn(z):
        return signature(z=tf.convert_to_tensor(z, tf.float32))["images"]

    fn.loaded = loaded  # keep the loaded object (and its variables) alive
    return fn, latent_dim
