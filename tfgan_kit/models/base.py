"""`AdversarialModel`: the shared plumbing of every adversarial training scheme.

A scheme subclasses :class:`AdversarialModel` and writes its paper's algorithm box as
``train_step``; this base class supplies what every scheme needs and must get right once:

* **noise** that is a pure function of ``(seed, training step, stream, replica)``, so runs are
  reproducible, a resumed run draws exactly the noise the uninterrupted run would have drawn, and
  N replicas draw, between them, exactly the noise one replica draws for the same global batch;
* **distribution-correct updates**: every loss is a mean over the replica's local batch, and
  ``optimize`` divides it by the number of replicas before taking gradients, because under
  ``tf.distribute`` ``apply_gradients`` *sums* gradients across replicas (DESIGN.md, fact 4); the
  update then equals the single-replica update on the global batch;
* both optimizers built at ``compile`` time (inside the strategy scope), so ``MirroredStrategy``
  and ``BackupAndRestore`` work (DESIGN.md, facts 3 and 6); mixed-precision loss scaling;
* logs tracked with ``keras.metrics.Mean`` (``metrics`` property, so Keras resets them per epoch);
* ``get_config``/``from_config`` and compile-config round trips for the ``.keras`` format.

Reference: Goodfellow et al. 2014, Algorithm 1 (the alternating D / G updates every scheme refines).
"""

from __future__ import annotations

from typing import Any, Callable

import keras
import tensorflow as tf

# Noise streams per training step: stream i < _STREAMS_PER_STEP keeps draws of one step apart.
_STREAMS_PER_STEP = 1024


def _num_replicas() -> int:
    return tf.distribute.get_strategy().num_replicas_in_sync


def _replica_id():
    context = tf.distribute.get_replica_context()
    return 0 if context is None else context.replica_id_in_sync_group


def _is_multi_worker() -> bool:
    return isinstance(
        tf.distribute.get_strategy(),
        (tf.distribute.MultiWorkerMirroredStrategy,
         tf.distribute.experimental.MultiWorkerMirroredStrategy),
    )


def _maybe_loss_scale(optimizer: keras.optimizers.Optimizer) -> keras.optimizers.Optimizer:
    """Wraps ``optimizer`` in a LossScaleOptimizer under the mixed_float16 policy, as Keras does."""
    policy = keras.config.dtype_policy()
    if policy.name == "mixed_float16" and not isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer
    ):
        return keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


@keras.saving.register_keras_serializable(package="tfgan_kit")
class AdversarialModel(keras.Model):
    """Base class of adversarial training schemes: a generator, a discriminator, two optimizers.

    Subclasses implement ``train_step(data)`` as their paper's algorithm, built from
    :meth:`noise`, :meth:`optimize` and :meth:`record`, and list the names they log in the class
    attribute ``log_names``.

    Args:
        generator: Keras model mapping ``z`` of shape ``[batch, latent_dim]`` to samples.
        discriminator: Keras model mapping samples to logits.
        latent_dim: width of the latent code ``z``.
        seed: seed of the noise; two runs with the same seed and data draw the same noise.
            Defaults to `0`.
        **kwargs: passed to ``keras.Model`` (e.g. ``name``).

    Raises:
        ValueError: if ``latent_dim`` is not a positive integer.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1.
    """

    log_names: tuple[str, ...] = ("d_loss", "g_loss")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not isinstance(latent_dim, int) or isinstance(latent_dim, bool) or latent_dim <= 0:
            raise ValueError(
                f"`latent_dim` must be a positive integer. Received: latent_dim={latent_dim!r}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.seed = int(seed)
        self._log_trackers = {name: keras.metrics.Mean(name=name) for name in self.log_names}
        self.g_optimizer = None
        self.d_optimizer = None
        # A GAN wrapper has no `call` graph to trace: its nets are built (DESIGN.md, fact 1).
        self.built = True

    # ----------------------------------------------------------------------------- compile
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer,
        d_optimizer: keras.optimizers.Optimizer,
        **kwargs: Any,
    ) -> None:
        """Attaches and builds the generator and discriminator optimizers.

        Call inside ``strategy.scope()`` when training under ``tf.distribute``: both optimizers
        are built here on their nets' trainable variables (DESIGN.md, fact 3). Under the
        ``mixed_float16`` policy each is wrapped in a ``LossScaleOptimizer``.

        Args:
            g_optimizer: optimizer of the generator.
            d_optimizer: optimizer of the discriminator.
            **kwargs: passed to ``keras.Model.compile`` (``jit_compile``, ``steps_per_execution``,
                ``run_eagerly``).

        Raises:
            ValueError: if an optimizer is missing, or both are the same object.
        """
        for name, optimizer in (("g_optimizer", g_optimizer), ("d_optimizer", d_optimizer)):
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                raise ValueError(
                    f"`{name}` must be a keras.optimizers.Optimizer instance, e.g. "
                    f"keras.optimizers.Adam(2e-4, beta_1=0.5). Received: {name}={optimizer!r}"
                )
        if g_optimizer is d_optimizer:
            raise ValueError(
                "`g_optimizer` and `d_optimizer` must be two optimizer objects: one optimizer "
                "cannot hold the slots of both nets. Create two instances."
            )
        # Passing g_optimizer as Keras' `optimizer` avoids a default RMSprop (DESIGN.md, fact 7).
        g_optimizer = _maybe_loss_scale(g_optimizer)
        d_optimizer = _maybe_loss_scale(d_optimizer)
        super().compile(optimizer=g_optimizer, **kwargs)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    def get_compile_config(self) -> dict | None:
        """Returns the serialized optimizers so ``keras.models.load_model`` can re-compile."""
        if self.g_optimizer is None:
            return None
        return {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "jit_compile": bool(self.jit_compile),
        }

    def compile_from_config(self, config: dict) -> None:
        """Re-compiles from :meth:`get_compile_config` output (used when loading ``.keras``)."""
        self.compile(
            g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
            d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
            jit_compile=config.get("jit_compile", False),
        )

    # ------------------------------------------------------------------- step plumbing
    def _require_compiled(self) -> None:
        if self.g_optimizer is None:
            raise ValueError(
                f"{type(self).__name__} is not compiled: call "
                "model.compile(g_optimizer=..., d_optimizer=...) before fit()."
            )

    def noise(self, batch_size, stream: int = 0) -> tf.Tensor:
        """Draws ``z ~ N(0, I)`` of shape ``[batch_size, latent_dim]`` for this replica.

        The draw is stateless: a function of ``(seed, g_optimizer.iterations, stream)``. Every
        replica draws the noise of the whole global batch and keeps its own slice, so one replica
        and N replicas use identical noise for the same global batch, and a run resumed from a
        checkpoint (which restores ``iterations``) continues with the same noise.

        Args:
            batch_size: local (per-replica) batch size, int or scalar tensor.
            stream: index telling apart the draws of one step (e.g. one per D update and one for
                the G update), in ``[0, 1024)``.

        Returns:
            float32 tensor ``[batch_size, latent_dim]``.
        """
        self._require_compiled()
        if not 0 <= stream < _STREAMS_PER_STEP:
            raise ValueError(
                f"`stream` must be in [0, {_STREAMS_PER_STEP}). Received: stream={stream}"
            )
        step = tf.cast(self.g_optimizer.iterations, tf.int64)
        seed = tf.stack([tf.constant(self.seed, tf.int64), step * _STREAMS_PER_STEP + stream])
        batch_size = tf.cast(batch_size, tf.int32)
        z = tf.random.stateless_normal(
            tf.stack([batch_size * _num_replicas(), self.latent_dim]), seed=seed
        )
        start = tf.cast(_replica_id(), tf.int32) * batch_size
        return z[start : start + batch_size]

    def optimize(
        self,
        optimizer: keras.optimizers.Optimizer,
        variables: list,
        loss_fn: Callable[[], Any],
    ) -> Any:
        """Takes one optimizer step on ``variables`` down the loss that ``loss_fn`` returns.

        ``loss_fn()`` returns a scalar loss (a mean over the local batch) or a tuple whose first
        element is that loss. The loss is divided by the number of replicas before
        differentiation (gradients are summed across replicas), scaled for mixed precision when
        the optimizer is a ``LossScaleOptimizer``, and the gradients are applied.

        Returns:
            Whatever ``loss_fn`` returned (the unscaled loss and any auxiliary outputs).
        """
        with tf.GradientTape() as tape:
            outputs = loss_fn()
            loss = outputs[0] if isinstance(outputs, (tuple, list)) else outputs
            scaled = loss / tf.cast(_num_replicas(), loss.dtype)
            if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
                scaled = optimizer.scale_loss(scaled)
        gradients = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return outputs

    def record(self, **values) -> dict:
        """Updates the ``keras.metrics.Mean`` of each named value; returns the logs of the step.

        Raises:
            ValueError: for a name missing from the class attribute ``log_names``.
        """
        for name, value in values.items():
            if name not in self._log_trackers:
                raise ValueError(
                    f"Log `{name}` is not declared: add it to {type(self).__name__}.log_names "
                    f"(currently {self.log_names})."
                )
            self._log_trackers[name].update_state(value)
        logs = {name: tracker.result() for name, tracker in self._log_trackers.items()}
        if _is_multi_worker():
            # Keras 3.15 cannot reduce scalar logs across workers (DESIGN.md, fact 5).
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    @property
    def metrics(self) -> list:
        """The ``Mean`` trackers of ``log_names``; Keras resets them at each epoch."""
        return list(self._log_trackers.values())

    @staticmethod
    def real_images(data) -> tf.Tensor:
        """Returns the images of a batch: ``x``, the first element of ``(x, y)``, or ``x["image"]``."""
        if isinstance(data, dict):
            return data["image"]
        if isinstance(data, (tuple, list)):
            return data[0]
        return data

    # ------------------------------------------------------------------------ sampling
    def generate(self, z, labels=None, training: bool = False) -> tf.Tensor:
        """Maps latent codes to samples: ``G(z)``, in the training value range ([-1, 1] images).

        Args:
            z: float tensor ``[batch, latent_dim]``.
            labels: unused by unconditional schemes; conditional schemes take class labels.
            training: run the generator in training mode (BatchNorm batch statistics).

        Raises:
            ValueError: if ``labels`` is given to an unconditional scheme.
        """
        if labels is not None:
            raise ValueError(
                f"{type(self).__name__} is unconditional: call generate(z) without `labels`."
            )
        return self.generator(z, training=training)

    def call(self, z, training: bool = False) -> tf.Tensor:
        """``model(z)`` is ``model.generate(z)``."""
        return self.generate(z, training=training)

    def training_callbacks(self, config, workdir: str) -> list:
        """Scheme-specific callbacks the trainer adds to ``fit`` (none by default)."""
        del config, workdir
        return []

    # ------------------------------------------------------------------ serialization
    def get_config(self) -> dict:
        """Nets and constructor arguments, for the ``.keras`` format."""
        return {
            "name": self.name,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict):
        """Rebuilds the scheme from :meth:`get_config` output."""
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
