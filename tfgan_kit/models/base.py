"""`AdversarialModel`: the scheme contract (v2) every adversarial training scheme is written on.

A scheme subclasses :class:`AdversarialModel`, names its nets and the optimizers that train them,
and writes its paper's algorithm box as ``train_step``. This class supplies, once:

* **named nets and optimizers**: ``optimizer_nets`` (class attribute) maps each optimizer name to
  the nets it trains (``{"g": ("generator",), "d": ("discriminator",)}``); ``frozen_nets`` are
  held and saved but never trained (a teacher). ``compile(g_optimizer=..., d_optimizer=...)``
  takes one ``<name>_optimizer`` per optimizer and builds each on its nets' variables (inside the
  strategy scope: under ``MirroredStrategy`` an optimizer built lazily in ``fit`` fails, and a
  checkpoint restores only optimizers that exist); config, compile-config and ``.keras`` round trips;
* **seeded draws** (:meth:`draw`): every random tensor of a step is a pure function of
  ``(seed, step counter, stream)``. The counter is the scheme's own checkpointed ``step_count``
  (not an optimizer's ``iterations``, which a reset or two updates per step would repeat); each
  replica draws the global batch and keeps its slice, so 1 and N replicas draw the same numbers
  and a resumed run continues with the noise the uninterrupted run would have drawn;
* **distribution-correct updates** (:meth:`optimize`): each loss is a mean over the local batch
  and is divided by the number of replicas before differentiation, because ``apply_gradients``
  sums gradients across replicas (2 replicas would otherwise take a 2x step); mixed-precision
  loss scaling;
* **logs** (:meth:`record`) as ``keras.metrics.Mean`` trackers, reset by Keras each epoch;
* **serving endpoints and pictures** the scheme declares (:meth:`serving_endpoints`,
  :meth:`picture`), used by ``tfgan_kit.export``, ``tfgan_kit.sample`` and ``SampleGrid``.

Reference: Goodfellow et al. 2014, Algorithm 1 (the alternating updates every scheme refines).
"""

from __future__ import annotations

import copy
import inspect
from typing import Any, Callable, Mapping

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.data import spec as batches
from tfgan_kit.distribute import is_multi_worker
from tfgan_kit.errors import UserError
from tfgan_kit.types import Endpoint, Picture

# Draw streams per training step: stream i < _STREAMS_PER_STEP keeps the draws of a step apart.
_STREAMS_PER_STEP = 1024
DISTRIBUTIONS = ("normal", "uniform", "categorical")


def _num_replicas() -> int:
    return tf.distribute.get_strategy().num_replicas_in_sync


def _replica_id():
    context = tf.distribute.get_replica_context()
    return 0 if context is None else context.replica_id_in_sync_group


def _maybe_loss_scale(optimizer: keras.optimizers.Optimizer) -> keras.optimizers.Optimizer:
    """Wraps ``optimizer`` in a LossScaleOptimizer under the mixed_float16 policy, as Keras does."""
    if keras.config.dtype_policy().name == "mixed_float16" and not isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer
    ):
        return keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


@keras.saving.register_keras_serializable(package="tfgan_kit")
class AdversarialModel(keras.Model):
    """Base class of the schemes: named nets, named optimizers, seeded draws, endpoints.

    Subclasses set the class attributes ``paper``, ``optimizer_nets``, ``frozen_nets`` (optional),
    ``log_names`` and ``batch_kinds``, pass their nets by name to ``__init__``, and implement
    ``train_step(data)`` from :meth:`draw`, :meth:`optimize` and :meth:`record` (which ends the
    step). Constructor arguments that are nets carry the net's name, so ``from_config`` can
    rebuild them generically; other arguments go in the subclass's ``get_config``.

    Args:
        nets: net name -> ``keras.Model``: exactly the nets of ``optimizer_nets`` and
            ``frozen_nets``; each becomes an attribute (``model.generator``).
        latent_dim: width of the latent code ``z``, or ``None`` for schemes without one.
            Defaults to `None`.
        seed: seed of every draw; the same seed and data give the same run. Defaults to `0`.
        **kwargs: passed to ``keras.Model`` (e.g. ``name``).

    Raises:
        ValueError: for a missing or unexpected net, a non-Keras net, or a bad ``latent_dim``.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1.
    """

    #: The paper (and algorithm/equation) the scheme implements, shown in the run's banner.
    paper: str = ""
    optimizer_nets: Mapping[str, tuple[str, ...]] = {"g": ("generator",), "d": ("discriminator",)}
    frozen_nets: tuple[str, ...] = ()
    log_names: tuple[str, ...] = ("d_loss", "g_loss")
    batch_kinds: tuple[str, ...] = ("image", "labelled")

    def __init__(self, nets: Mapping[str, keras.Model], latent_dim: int | None = None,
                 seed: int = 0, **kwargs: Any):
        super().__init__(**kwargs)
        self._check_nets(nets)
        if latent_dim is not None and (
            not isinstance(latent_dim, int) or isinstance(latent_dim, bool) or latent_dim <= 0
        ):
            raise UserError(
                f"`latent_dim` must be a positive integer. Received: latent_dim={latent_dim!r}"
            )
        self._net_names = tuple(nets)
        for name, net in nets.items():
            setattr(self, name, net)
            if name in self.frozen_nets:
                net.trainable = False
        for name in self.optimizer_nets:
            setattr(self, f"{name}_optimizer", None)
        self.latent_dim = latent_dim
        self.seed = int(seed)
        self._log_trackers = {name: keras.metrics.Mean(name=name) for name in self.log_names}
        self.step_count = self.add_weight(
            name="step_count", shape=(), dtype="int64", initializer="zeros", trainable=False,
            aggregation="only_first_replica",
        )
        # A scheme has no `call` graph to trace; Keras' fit needs it marked built (its nets are).
        self.built = True

    def steps_done(self) -> int:
        """The training steps taken so far (``step_count`` as a Python int, under any strategy:
        ``int()`` of a distributed variable fails)."""
        return int(keras.ops.convert_to_numpy(self.step_count))

    @classmethod
    def net_names(cls) -> tuple[str, ...]:
        """Every net the scheme holds: the trained ones, then the frozen ones."""
        owned = [n for names in cls.optimizer_nets.values() for n in names]
        return tuple(dict.fromkeys(owned + list(cls.frozen_nets)))

    def _check_nets(self, nets: Mapping[str, keras.Model]) -> None:
        expected, given = set(self.net_names()), set(nets)
        if expected != given:
            raise UserError(
                f"{type(self).__name__} takes the nets {sorted(expected)}. Received: "
                f"{sorted(given)} (missing {sorted(expected - given)}, unexpected "
                f"{sorted(given - expected)})."
            )
        for name, net in nets.items():
            if not isinstance(net, keras.layers.Layer):
                raise UserError(
                    f"`{name}` must be a keras.Model. Received: {name}={type(net).__name__}"
                )

    @property
    def nets(self) -> dict[str, keras.Model]:
        """Net name -> net, trained and frozen."""
        return {name: getattr(self, name) for name in self._net_names}

    @property
    def optimizers(self) -> dict[str, keras.optimizers.Optimizer | None]:
        """Optimizer name -> optimizer (``None`` before ``compile``)."""
        return {name: getattr(self, f"{name}_optimizer") for name in self.optimizer_nets}

    def variables_of(self, optimizer_name: str) -> list:
        """The trainable variables of the nets that optimizer ``optimizer_name`` trains."""
        variables = {}
        for net in self.optimizer_nets[optimizer_name]:
            for variable in getattr(self, net).trainable_variables:
                variables.setdefault(id(variable), variable)
        return list(variables.values())

    # ----------------------------------------------------------------------------- compile
    def compile(self, **kwargs: Any) -> None:
        """Attaches and builds one optimizer per entry of ``optimizer_nets``.

        Call inside ``strategy.scope()`` under ``tf.distribute``. Under the ``mixed_float16``
        policy each optimizer is wrapped in a ``LossScaleOptimizer``.

        Args:
            **kwargs: ``<name>_optimizer=keras.optimizers.Optimizer`` for each optimizer name
                (``g_optimizer``, ``d_optimizer`` for a GAN); the rest is passed to
                ``keras.Model.compile`` (``jit_compile``, ``steps_per_execution``, ...).

        Raises:
            ValueError: if an optimizer is missing, unknown, not an optimizer, or shared.
        """
        keys = [f"{name}_optimizer" for name in self.optimizer_nets]
        stray = [k for k in kwargs if k not in keys and (k.endswith("_optimizer") or k == "optimizer")]
        if stray:
            raise UserError(
                f"{type(self).__name__}.compile takes the optimizers {keys}. Received unknown "
                f"{stray}."
            )
        given = {key: kwargs.pop(key, None) for key in keys}
        for key, optimizer in given.items():
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                raise UserError(
                    f"`{key}` must be a keras.optimizers.Optimizer instance, e.g. "
                    f"keras.optimizers.Adam(2e-4, beta_1=0.5). Received: {key}={optimizer!r}"
                )
        if len({id(o) for o in given.values()}) < len(given):
            raise UserError(
                f"{' and '.join(f'`{k}`' for k in keys)} must be {len(keys)} optimizer objects: "
                "one optimizer cannot hold the slots of two sets of nets. Create one instance each."
            )
        given = {key: _maybe_loss_scale(o) for key, o in given.items()}
        # Keras' own `optimizer` is the first one: compile() without one would add an RMSprop.
        super().compile(optimizer=given[keys[0]], **kwargs)
        for name, key in zip(self.optimizer_nets, keys):
            setattr(self, key, given[key])
            given[key].build(self.variables_of(name))

    def get_compile_config(self) -> dict | None:
        """The serialized optimizers, ``jit_compile`` and ``steps_per_execution``."""
        if any(o is None for o in self.optimizers.values()):
            return None
        config = {f"{name}_optimizer": keras.optimizers.serialize(optimizer)
                  for name, optimizer in self.optimizers.items()}
        return {**config, "jit_compile": bool(self.jit_compile),
                "steps_per_execution": int(self.steps_per_execution)}

    def compile_from_config(self, config: dict) -> None:
        """Re-compiles from :meth:`get_compile_config` output (used when loading ``.keras``)."""
        config = dict(config)
        for key in list(config):
            if key.endswith("_optimizer"):
                config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)

    # ------------------------------------------------------------------- step plumbing
    def draw(self, stream: int, batch_size, shape=(), distribution: str = "normal",
             minval: float = 0.0, maxval: float = 1.0, num_classes: int | None = None):
        """The one primitive for every random draw of a step: ``[batch_size, *shape]`` per replica.

        The draw is stateless, a function of ``(seed, step_count, stream)``. Every replica draws
        the whole global batch and keeps its own slice, so 1 and N replicas use identical numbers
        for the same global batch, and a resumed run (which restores ``step_count``) continues
        with the same draws. Give every draw of a step its own ``stream``.

        Args:
            stream: index of this draw within the step, in ``[0, 1024)``.
            batch_size: local (per-replica) batch size, int or scalar tensor.
            shape: shape of one example's draw (``(latent_dim,)``; ``()`` for a scalar).
            distribution: ``"normal"`` (N(0, 1)), ``"uniform"`` (U[minval, maxval)) or
                ``"categorical"`` (int32 labels uniform over ``num_classes``).
                Defaults to `"normal"`.
            minval, maxval: range of ``"uniform"``. Default to `0.0`, `1.0`.
            num_classes: number of classes of ``"categorical"``.

        Returns:
            float32 (int32 for categorical) tensor ``[batch_size, *shape]``.

        Raises:
            ValueError: for a stream out of range or an unknown distribution.
        """
        if not 0 <= stream < _STREAMS_PER_STEP:
            raise UserError(
                f"`stream` must be in [0, {_STREAMS_PER_STEP}). Received: stream={stream}"
            )
        if distribution not in DISTRIBUTIONS:
            raise UserError(
                f"`distribution` must be one of {DISTRIBUTIONS}. Received: {distribution!r}"
            )
        if distribution == "categorical" and (num_classes is None or num_classes < 1):
            raise UserError(
                f"A categorical draw needs `num_classes` >= 1. Received: {num_classes!r}"
            )
        seed = self.stream_seed(stream)
        batch_size = tf.cast(batch_size, tf.int32)
        global_shape = tf.concat([[batch_size * _num_replicas()],
                                  tf.constant(list(shape), tf.int32)], axis=0)
        if distribution == "normal":
            values = tf.random.stateless_normal(global_shape, seed=seed, alg="philox")
        elif distribution == "uniform":
            values = tf.random.stateless_uniform(global_shape, seed=seed, minval=minval,
                                                 maxval=maxval, alg="philox")
        else:
            values = tf.random.stateless_uniform(global_shape, seed=seed, minval=0,
                                                 maxval=num_classes, dtype=tf.int32, alg="philox")
        start = tf.cast(_replica_id(), tf.int32) * batch_size
        return values[start : start + batch_size]

    def stream_seed(self, stream: int) -> tf.Tensor:
        """The stateless seed ``[seed, step * 1024 + stream]`` of draw ``stream`` in this training
        step: a function of the scheme's seed, its checkpointed step counter and the stream, so
        a resumed run draws what the uninterrupted one would. :meth:`draw` uses it; a scheme
        whose randomness is not a tensor draw (CycleGAN's image pool) passes it on."""
        step = tf.cast(self.step_count, tf.int64)
        return tf.stack([tf.constant(self.seed, tf.int64), step * _STREAMS_PER_STEP + stream])

    def noise(self, batch_size, stream: int = 0) -> tf.Tensor:
        """``z ~ N(0, I)`` of shape ``[batch_size, latent_dim]``: :meth:`draw` of the latent code."""
        if self.latent_dim is None:
            raise UserError(f"{type(self).__name__} has no latent code (latent_dim=None).")
        return self.draw(stream, batch_size, (self.latent_dim,))

    def optimize(self, optimizer_name: str, loss_fn: Callable[[], Any],
                 variables: list | None = None) -> Any:
        """One step of optimizer ``optimizer_name`` down the loss that ``loss_fn`` returns.

        ``loss_fn()`` returns a scalar loss (a mean over the local batch) or a tuple whose first
        element is that loss. The loss is divided by the number of replicas before
        differentiation (gradients are summed across replicas), cast to float32, multiplied by
        the loss scale under ``mixed_float16`` (``LossScaleOptimizer.scale_loss``; its
        ``apply_gradients`` divides the gradients by the scale and skips a step whose gradients
        are not finite, lowering the scale), and the gradients are applied.

        Args:
            optimizer_name: a key of ``optimizer_nets``.
            loss_fn: computes the loss inside the gradient tape.
            variables: the variables to update; ``None`` for all of the optimizer's nets.

        Returns:
            Whatever ``loss_fn`` returned.
        """
        optimizer = getattr(self, f"{optimizer_name}_optimizer")
        if optimizer is None:
            keys = ", ".join(f"{n}_optimizer=..." for n in self.optimizer_nets)
            raise UserError(
                f"{type(self).__name__} is not compiled: call model.compile({keys}) before fit()."
            )
        variables = self.variables_of(optimizer_name) if variables is None else variables
        with tf.GradientTape() as tape:
            outputs = loss_fn()
            loss = outputs[0] if isinstance(outputs, (tuple, list)) else outputs
            # float32 under a mixed policy too (the nets' outputs are float32 layers already).
            loss = tf.cast(loss, tf.float32)
            scaled = loss / tf.cast(_num_replicas(), loss.dtype)
            if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
                scaled = optimizer.scale_loss(scaled)
        gradients = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return outputs

    def record(self, **values) -> dict:
        """Ends the step: updates the ``Mean`` of each named value and advances ``step_count``.

        Call it once, last, in ``train_step``; return its result.

        Raises:
            ValueError: for a name missing from the class attribute ``log_names``.
        """
        for name, value in values.items():
            if name not in self._log_trackers:
                raise UserError(
                    f"Log `{name}` is not declared: add it to {type(self).__name__}.log_names "
                    f"(currently {self.log_names})."
                )
            self._log_trackers[name].update_state(value)
        self.step_count.assign_add(1)
        logs = {name: tracker.result() for name, tracker in self._log_trackers.items()}
        if is_multi_worker():
            # Keras 3.15 cannot reduce scalar logs across workers ("Invalid reduction dimension").
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    @property
    def metrics(self) -> list:
        """The ``Mean`` trackers of ``log_names``; Keras resets them at each epoch."""
        return list(self._log_trackers.values())

    real_images = staticmethod(batches.samples)
    real_labels = staticmethod(batches.labels)

    # ------------------------------------------------------------------------ sampling
    def generate(self, z, labels=None, training: bool = False) -> tf.Tensor:
        """``G(z)`` in the training value range ([-1, 1] images).

        Raises:
            ValueError: if ``labels`` is given to an unconditional scheme.
        """
        if labels is not None:
            raise UserError(
                f"{type(self).__name__} is unconditional: call generate(z) without `labels`."
            )
        return self.generator(z, training=training)

    def call(self, z, training: bool = False) -> tf.Tensor:
        """``model(z)`` is ``model.generate(z)``."""
        return self.generate(z, training=training)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """The SavedModel signatures: ``serving_default(z) -> {"images": generate(z)}``."""
        spec = tf.TensorSpec((None, self.latent_dim), tf.float32, name="z")
        return {"serving_default": Endpoint(
            fn=lambda z: {"images": self.generate(z, training=False)}, inputs={"z": spec})}

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        """Samples from a fixed z (seed ``seed``): a grid of images, or a scatter of 2-D points.

        Args:
            spec: the training :class:`tfgan_kit.data.DataSpec` (for reference points), or
                ``None``.
            num_samples: how many samples to draw.
            seed: seed of the fixed z.
        """
        z = tf.random.stateless_normal([num_samples, self.latent_dim], seed=[seed, 0])
        samples = np.asarray(self.generate(z, training=False))
        if samples.ndim == 2 and samples.shape[1] == 2:
            return Picture(points=samples,
                           reference=None if spec is None else spec.reference_points)
        return Picture(images=samples)

    # ------------------------------------------------------------------ per-epoch behaviour
    # What a scheme does between epochs, read by the trainer (a scheme owns no Keras callbacks).
    def learning_rate_factor(self, epoch: int) -> float:
        """The multiplier of every optimizer's configured learning rate in 0-based ``epoch``,
        applied by the trainer at the epoch's start (times the ``train.decay_start_epoch``
        decay). ``1.0``: constant rates."""
        del epoch
        return 1.0

    def epoch_logs(self) -> dict[str, float]:
        """Values the trainer adds to each epoch's logs after the epoch (history, TensorBoard,
        progress figures, the summary); none by default."""
        return {}

    # ------------------------------------------------------------------ serialization
    def get_config(self) -> dict:
        """Keras' model config (name, trainable, dtype), the seed, the latent width and the
        serialized nets; subclasses add their own arguments with ``{**super().get_config(), ...}``."""
        config = {**super().get_config(), "seed": self.seed}
        if self.latent_dim is not None:
            config["latent_dim"] = self.latent_dim
        for name in self.net_names():
            config[name] = keras.saving.serialize_keras_object(getattr(self, name))
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Rebuilds the scheme from :meth:`get_config` output: the nets by name, then
        ``cls(**config)`` (or ``cls(nets={...}, **config)`` for a constructor that takes the nets
        as one mapping, as this base class does)."""
        config = copy.deepcopy(dict(config))  # Keras' deserialization consumes nested dicts
        nets = {name: keras.saving.deserialize_keras_object(config.pop(name))
                for name in cls.net_names()}
        if "nets" in inspect.signature(cls.__init__).parameters:
            return cls(nets=nets, **config)
        return cls(**nets, **config)
