"""Files the user names on a command line: outputs checked before the work, written whole, and
``.keras`` archives read with a message that names the file.

* :func:`check_writable`: an output path that cannot be written (a folder, a path under a regular
  file, a read-only file system, no permission) is refused before any computation, so a long run
  never ends with its results lost at the last step;
* :func:`write_atomically` / :func:`write_text_atomically`: the new file replaces the old one in
  one step (a temporary file in the same folder, then ``os.replace``), so a run that is killed or
  fails while writing leaves the earlier file as it was;
* :func:`weights_file_problem`: a weights file that is not HDF5 at all is named before the work
  that needs it;
* :func:`load_keras_file`: a ``.keras`` file that is not a readable zip archive (truncated by a
  full disk or an interrupted copy, or corrupt) is named as such; Keras itself says "File not
  found" for a file that exists.

A leaf module (it imports only the leaf tfgan_kit.errors), so any layer (metrics, nets, command
lines) uses it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile

from tfgan_kit.errors import UserError

__all__ = ["check_folder_writable", "check_writable", "keras_archive_problem", "load_keras_file",
           "replace_folder_atomically", "weights_file_problem", "write_atomically",
           "write_text_atomically"]


def _nearest_existing(folder: str) -> str:
    while folder and not os.path.exists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def _probe(folder: str) -> None:
    """Creates and removes a file in ``folder`` (raises the OSError of a folder that cannot be
    written: read-only, no permission, full)."""
    handle, probe = tempfile.mkstemp(dir=folder, prefix=".write_check_")
    os.close(handle)
    os.remove(probe)


def check_writable(path: str, flag: str) -> None:
    """Refuses an output ``path`` that cannot be written, without changing anything on disk.

    An existing file is opened for appending (its contents and time stamps are not touched); for
    a new file, a probe file is created and removed in the nearest existing folder (the folders
    between are created only when the output is written).

    Args:
        path: the output file.
        flag: how the user gave it, for the message (``"--out"``).

    Raises:
        ValueError: naming ``flag=path``, why it cannot be written and the fix.
    """
    target = os.path.abspath(path)
    if os.path.isdir(target):
        raise UserError(f"{flag}={path} is a folder: pass a file path.")
    folder = _nearest_existing(os.path.dirname(target))
    if not os.path.isdir(folder):
        raise UserError(f"{flag}={path} cannot be written: {folder} is a file, not a folder; "
                        "pass a path in a writable folder.")
    try:
        if os.path.exists(target):
            with open(target, "ab"):
                pass
        else:
            _probe(folder)
    except OSError as error:
        raise UserError(f"{flag}={path} cannot be written ({error.strerror or error}): pass a "
                        "path in a writable folder.") from None


def check_folder_writable(path: str, flag: str) -> None:
    """Refuses an output folder ``path`` (existing or not) in which files cannot be written.

    A probe file is created and removed in ``path``, or in its nearest existing folder when it
    does not exist yet (nothing else is created).

    Args:
        path: the output folder.
        flag: how the user gave it, for the message (``"--workdir"``).

    Raises:
        ValueError: naming ``flag=path``, why it cannot be written and the fix.
    """
    folder = _nearest_existing(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UserError(f"{flag}={path} is under the file {folder}: pass a folder path.")
    try:
        _probe(folder)
    except OSError as error:
        raise UserError(f"{flag}={path} is not writable ({error.strerror or error} in "
                        f"{folder}): pass a folder in a writable place, or free some "
                        "space.") from None


def write_atomically(path: str, write) -> str:
    """Calls ``write(temporary_path)``, then moves that file over ``path`` with ``os.replace``.

    The temporary file sits next to ``path`` (same file system) and ends with ``path``'s own name
    (``.partial.<random>.model.keras``), so writers that choose a format by extension (Keras'
    ``save``, ``savefig``) work. A kill at any moment leaves the previous file (or none), never a
    half-written one; if ``write`` raises, the temporary file is removed. Creates the folders on
    the way; returns ``path``.

    Raises:
        OSError: when the folder cannot be written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial.",
                                         suffix="." + os.path.basename(path))
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def replace_folder_atomically(path: str, write) -> str:
    """Calls ``write(temporary_folder)`` (a new folder beside ``path``), then puts that folder in
    ``path``'s place: an earlier folder at ``path`` is moved away only once the new one is
    complete, then removed. A failure of ``write`` leaves the earlier folder as it was; a kill
    leaves it in place, or (between the two renames) inside the ``.partial.*`` folder beside it;
    never a half-written folder at ``path``. Returns ``path``.

    Raises:
        OSError: when the parent folder cannot be written.
    """
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(dir=parent, prefix=f".partial.{os.path.basename(path)}.")
    new = os.path.join(temporary, "new")
    try:
        write(new)
        old = os.path.join(temporary, "old")
        if os.path.exists(path):
            os.replace(path, old)
        os.replace(new, path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return path


def write_text_atomically(path: str, text: str) -> str:
    """Writes ``text`` to ``path`` atomically (:func:`write_atomically`); returns ``path``.

    Raises:
        OSError: when the folder cannot be written.
    """
    def write(temporary: str) -> None:
        with open(temporary, "w") as f:
            f.write(text)

    return write_atomically(path, write)


def weights_file_problem(path: str) -> str | None:
    """Why ``path`` cannot be a Keras weights file (``.weights.h5`` or legacy ``.h5``), or ``None``.

    A cheap check of the HDF5 signature; whether the file holds the weights of the right network
    is known only when they are loaded.
    """
    import h5py

    if not os.path.isfile(path):
        return "no such file"
    if os.path.getsize(path) == 0:
        return "an empty file"
    if not h5py.is_hdf5(path):
        return "not an HDF5 file"
    return None


def keras_archive_problem(path: str) -> str | None:
    """Why ``path`` is not a readable ``.keras`` zip archive, or ``None`` if it is one.

    Reads the zip directory and every member's checksum (a ``.keras`` file is a zip of
    ``config.json``, ``metadata.json`` and ``model.weights.h5``): a truncated file has no zip
    directory, a corrupt one a member that fails its CRC.
    """
    if not zipfile.is_zipfile(path):
        size = os.path.getsize(path)
        return ("an empty file" if size == 0 else
                f"truncated or corrupt: no zip directory in its {size:,} bytes")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        return f"truncated or corrupt: {error}"
    if bad is not None:
        return f"corrupt: its member {bad} fails its checksum"
    if "config.json" not in names:
        return "a zip without config.json, not a Keras model"
    return None


def load_keras_file(path: str, flag: str, fix: str, safe_mode: bool = True):
    """``keras.saving.load_model(path)`` with every failure a one-line ``ValueError``.

    Register the custom classes first (``import tfgan_kit.models`` registers every tfgan_kit
    layer, net and scheme class).

    Args:
        path: the ``.keras`` file.
        flag: how the user gave it, for the message (``"--keras_model"``).
        fix: what to do instead, ending the message (``"pass a .keras file written by
            model.save()"``).
        safe_mode: Keras' ``safe_mode`` (no lambda deserialisation). Defaults to `True`.

    Raises:
        FileNotFoundError: if ``path`` is not a file.
        ValueError: if it is not a readable ``.keras`` archive (truncated or corrupt), or Keras
            cannot rebuild the model from it; the message names ``flag=path`` and the fix.
    """
    import keras

    if not os.path.isfile(path):
        raise FileNotFoundError(f"{flag}={path} is not a file: {fix}.")
    problem = keras_archive_problem(path)
    if problem is not None:
        raise UserError(f"{flag}={path} is not a readable .keras archive ({problem}): {fix}.")
    try:
        return keras.saving.load_model(path, safe_mode=safe_mode)
    except (ValueError, TypeError, KeyError, OSError) as error:
        lines = str(error).strip().splitlines() or [type(error).__name__]
        reason = lines[0] if len(lines[0]) <= 300 else lines[0][:300] + " ..."
        raise UserError(f"Cannot load {flag}={path} ({reason}): {fix}.") from None
