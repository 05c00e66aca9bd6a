"""A quiet start for the command-line entry points: TensorFlow's native start-up lines filtered out.

Every entry point (``train.py``, ``python -m tfgan_kit.sample|evaluate|explain``, the explain
demos, ``benchmarks/*.py``) calls :func:`quiet_start` before TensorFlow (or Keras, or anything
importing them) is imported::

    if __name__ == "__main__":
        from tfgan_kit.quiet import quiet_start

        quiet_start()

Why at the file-descriptor level: TensorFlow's C++ start-up lines (``oneDNN custom operations
are on``, ``Could not find cuda drivers``, ``failed call to cuInit``, ``WARNING: All log messages
before absl::InitializeLog() is called are written to STDERR``, ...) are written by native code
straight to file descriptor 2, some before the TensorFlow log level is read: measured with TF
2.21, neither ``TF_CPP_MIN_LOG_LEVEL=2`` or ``3``, ``GLOG_minloglevel`` nor ``ABSL_MIN_LOG_LEVEL``
removes them, and replacing Python's ``sys.stderr`` cannot either. So fd 2 itself is replaced by
a pipe, and a filter drops the lines matching :data:`NOISE_PATTERNS` and passes every other byte
through unchanged, in order, to the original stderr (real warnings, tracebacks, ``error: ...``).

Why for the whole process: the noise is not only at import. ``failed call to cuInit`` comes at
the first device use (the first op, e.g. when train.py makes its strategy), the XLA lines at the
first compile (and ``import tensorflow`` prints its own lines twice, 1.5 s apart, measured on a
CPU machine). So the filter stays in place until exit.

Why a filter process, not a thread: whatever is in the pipe when the process dies (``abort()``
after a native ``F...] Check failed``, SIGKILL, ``os._exit``, a segfault's faulthandler dump)
would die with a reader thread; measured: a line written just before ``os.abort()`` was lost 10
times out of 10. A separate process sees end-of-file only once every writer is gone, and then
forwards what is left, so nothing written to fd 2 is lost however the process ends. It also
needs no GIL, so native code writing much to stderr while holding the GIL cannot deadlock it.
The filter is this file run by the same interpreter with ``-I -S`` (standard library only,
about 15 ms to start), in its own session so that Ctrl-C in a terminal reaches only the real
process, whose last words (``interrupted; rerun ...``) then still come through.

At normal exit (including ``sys.exit("error: ...")`` and uncaught exceptions, whose tracebacks
are printed before ``atexit`` runs) the original stderr is put back on fd 2 and the filter is
waited for, so everything is written before the process ends; the exit code is not touched.
Subprocesses inherit the filtered fd 2. Partial lines are kept: a line start is held at most
:data:`PARTIAL_LINE_SECONDS` for its end (native lines are written whole), then passed on, and
the rest of that line is passed on as it comes (progress bars drawn with ``\\r`` keep working).

``TFGAN_KIT_VERBOSE_START=1`` turns the filter and the logger changes off, to see TensorFlow's
start-up output when debugging (``TF_CPP_MIN_LOG_LEVEL`` still defaults to 2, as the entry points
always did: add ``TF_CPP_MIN_LOG_LEVEL=0`` for its INFO lines too).
"""

import functools
import os
import re
import select
import sys

VERBOSE_START_ENV = "TFGAN_KIT_VERBOSE_START"

# absl's app.run sets the root logging level to INFO (absl's default --verbosity), so libraries'
# INFO lines print. Raised to WARNING: TF's own Python logger and matplotlib's ("generated new
# fontManager", first run only).
QUIET_LOGGERS = ("tensorflow", "matplotlib")
# Packages whose INFO (and DEBUG) lines sent through absl's logger are dropped, e.g. TF's
# checkpoint saver's "Sharding callback duration: 28 microseconds" at every save. absl's logger
# also carries our own `logging.info` lines (tfgan_kit/evaluate.py): those, and every warning,
# still print.
QUIET_ABSL_PACKAGES = ("tensorflow",)

PARTIAL_LINE_SECONDS = 0.05

# The prefix of a native TensorFlow / XLA log line: absl's (``I0000 00:00:1795724190.527185
# 10035 port.cc:153] ``, before and after absl::InitializeLog) and older TF's (``2024-01-01
# 12:00:00.123456: I tensorflow/core/util/port.cc:113] ``).
_NATIVE_PREFIX = (r"(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ "
                  r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] )\S+:\d+\] ")

# Known start-up noise, one regular expression per line (without its line end). Native log lines
# must carry the prefix above, so that nothing of ours (or a real error) can match by accident.
NOISE_PATTERNS = (
    # absl, once per native library, before the first native log line.
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR",
    # import tensorflow (CPU machines print these twice).
    _NATIVE_PREFIX + r"oneDNN custom operations are on\. .*",
    _NATIVE_PREFIX + r"Could not find cuda drivers on your machine, GPU will not be used\.",
    _NATIVE_PREFIX + r"This TensorFlow binary is optimized to use available CPU instructions .*",
    r"To enable the following instructions: .*, in other operations, rebuild TensorFlow with "
    r"the appropriate compiler flags\.",  # second line of the one above
    # import tensorflow on machines with CUDA libraries.
    _NATIVE_PREFIX + r"Unable to register cu(?:DNN|FFT|BLAS) factory: .*",
    _NATIVE_PREFIX + r"TF-TRT Warning: Could not find TensorRT",
    _NATIVE_PREFIX + r"computation placer already registered\. .*",
    # First device use (first op): CUDA libraries present, no GPU or driver.
    _NATIVE_PREFIX + r"failed call to cuInit: .*",
    # First XLA compile (INFO lines: only when TF_CPP_MIN_LOG_LEVEL is below 2).
    _NATIVE_PREFIX + r"XLA service 0x[0-9a-f]+ initialized for platform .*",
    _NATIVE_PREFIX + r" +StreamExecutor \[\d+\]: .*",
    _NATIVE_PREFIX + r"Compiled cluster using XLA!  This line is logged at most once .*",
)

_NOISE = re.compile("|".join(f"(?:{pattern})" for pattern in NOISE_PATTERNS))
_MAX_PENDING = 1 << 16  # no noise line is this long: pass such a line start on at once
_state = {}
_realpath = functools.lru_cache(maxsize=256)(os.path.realpath)


def is_noise(line) -> bool:
    """Whether ``line`` (str or bytes, with or without its line end) is known start-up noise."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    return _NOISE.fullmatch(line.rstrip("\r\n")) is not None


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]


def filter_stream(read_fd: int, write_fd: int,
                  partial_line_seconds: float = PARTIAL_LINE_SECONDS) -> None:
    """Copies ``read_fd`` to ``write_fd`` until end-of-file, dropping lines :func:`is_noise`.

    Lines end at ``\\n`` or ``\\r``; every other byte is copied unchanged and in order. A line
    start is held at most ``partial_line_seconds`` for its end, then copied, and the rest of that
    line is copied as it comes; a last line without a line end is copied at end-of-file.
    """
    pending = b""  # a line start not judged yet
    inside = False  # in a line whose start was already copied: copy the rest unjudged
    while True:
        if pending and not select.select([read_fd], [], [], partial_line_seconds)[0]:
            _write_all(write_fd, pending)
            pending, inside = b"", True
            continue
        data = os.read(read_fd, 1 << 16)
        if not data:
            break
        out = []
        for line in (pending + data).splitlines(keepends=True):
            if not line.endswith((b"\n", b"\r")):
                pending = line
                break
            if inside or not is_noise(line):
                out.append(line)
            inside = False
        else:
            pending = b""
        if len(pending) > _MAX_PENDING:
            out.append(pending)
            pending, inside = b"", True
        if out:
            _write_all(write_fd, b"".join(out))
    if pending and (inside or not is_noise(pending)):
        _write_all(write_fd, pending)


def quiet_start() -> None:
    """Quiets TensorFlow's start-up for a command-line entry point; call before importing TF.

    Sets ``TF_CPP_MIN_LOG_LEVEL=2`` unless set, raises the :data:`QUIET_LOGGERS` to WARNING
    unless their level was set, drops the INFO lines that :data:`QUIET_ABSL_PACKAGES` send
    through absl's logger, and routes fd 2 through a filter process that drops the
    :data:`NOISE_PATTERNS` lines for the rest of the process (see the module docstring).
    ``TFGAN_KIT_VERBOSE_START=1`` leaves stderr and the loggers alone. A second call does
    nothing; so does a call where fd 2 is closed or the filter cannot start (stderr unfiltered).
    """
    if _state:
        return
    _state["called"] = True
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if os.environ.get(VERBOSE_START_ENV, "") not in ("", "0"):
        return
    _quiet_python_logging()
    _start_filter()


def _quiet_python_logging() -> None:
    import importlib.util
    import logging

    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
    folders = []
    for package in QUIET_ABSL_PACKAGES:
        try:
            spec = importlib.util.find_spec(package)  # finds the folder, imports nothing
        except (ImportError, ValueError):
            spec = None
        for folder in (spec and spec.submodule_search_locations) or ():
            folders.append(os.path.join(os.path.realpath(folder), ""))
    try:
        # The absl logger must be made by absl itself (an ABSLLogger): import absl.logging.
        from absl import logging as absl_logging
    except ImportError:
        return
    if folders:
        absl_logging.get_absl_logger().addFilter(_PackageInfoFilter(folders))


class _PackageInfoFilter:
    """Drops the INFO and DEBUG records logged from modules under the given folders."""

    def __init__(self, folders):
        self.folders = tuple(folders)

    def filter(self, record) -> bool:
        """Keeps warnings and worse (level 30 = logging.WARNING), and records from elsewhere."""
        return record.levelno >= 30 or not _realpath(record.pathname).startswith(self.folders)


def _start_filter() -> None:
    import atexit
    import subprocess

    if os.name != "posix" or not sys.executable:
        return
    try:
        original = os.dup(2)
    except OSError:  # fd 2 is closed: nothing to filter
        return
    read_fd, write_fd = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__)], stdin=read_fd,
            stdout=original, stderr=original, start_new_session=True)
    except OSError:
        for fd in (read_fd, write_fd, original):
            os.close(fd)
        return
    os.close(read_fd)
    _flush_stderr()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    _state.update(process=process, original=original)
    atexit.register(_stop_filter)


def _flush_stderr() -> None:
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


def _stop_filter() -> None:
    """At exit: puts the original stderr back on fd 2 and waits for the filter to drain."""
    import subprocess

    process = _state.pop("process", None)
    if process is None:
        return
    _flush_stderr()
    os.dup2(_state["original"], 2)  # closes our end of the pipe: the filter sees end-of-file
    try:  # unless a subprocess still holds the pipe: then the filter keeps serving it
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
    os.close(_state.pop("original"))


if __name__ == "__main__":  # the filter process: fd 0 is the pipe, fd 1 the original stderr
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        filter_stream(0, 1)
    except OSError:  # the original stderr is gone (e.g. a closed pipe): stop, as stderr would
        pass
    os._exit(0)
