"""tfgan_kit: adversarial training schemes as Keras 3 models.

Subpackages are imported on demand (``tfgan_kit.models``, ``tfgan_kit.losses``, ...), so that
``import tfgan_kit`` stays cheap.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
