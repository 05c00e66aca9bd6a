"""SavedModel export of generators with a ``serving_default`` signature (z -> images)."""

from tfgan_kit.export.saved_model import load_generator, save_generator

__all__ = ["load_generator", "save_generator"]
