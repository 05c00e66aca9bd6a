"""User errors: the mistakes a user can fix (a config value, a path, a data file), told apart from
bugs.

:class:`UserError` is a ``ValueError`` (code that catches ``ValueError`` keeps working); the
command lines print it as one ``error:`` line and let every other exception show its traceback.
A leaf module: it imports nothing of tfgan_kit.
"""

from __future__ import annotations

import numbers

__all__ = ["UserError", "check_positive_ints", "check_positive_number"]


class UserError(ValueError):
    """A mistake in what the user gave (config, flags, files); the message names the value and
    the fix."""


def check_positive_number(name: str, value) -> float:
    """``float(value)`` if it is a positive real number (not a bool).

    Raises:
        UserError: naming ``name`` and the value otherwise.
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value > 0:
        raise UserError(f"`{name}` must be a positive number. Received: {name}={value!r}")
    return float(value)


def check_positive_ints(**values) -> None:
    """Checks that every keyword's value is a positive integer (not a bool).

    Raises:
        UserError: naming the first keyword whose value is not.
    """
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise UserError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
