"""SavedModel export of the serving endpoints a scheme declares (``export_model``)."""

from tfgan_kit.export.saved_model import export_model, load_generator

__all__ = ["export_model", "load_generator"]
