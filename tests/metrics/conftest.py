"""Fixtures shared by the metrics tests."""

import pytest

from tfgan_kit.metrics import train_digits_classifier


@pytest.fixture(scope="session")
def digits_classifier(tmp_path_factory):
    """The 8x8 digits classifier (trained once per session, ~5 s) and its cached file."""
    path = str(tmp_path_factory.mktemp("classifier") / "digits8.keras")
    return train_digits_classifier(8, cache_path=path), path
