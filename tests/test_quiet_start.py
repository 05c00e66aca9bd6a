"""Issue 10: entry points start without TensorFlow's native start-up lines (tfgan_kit/quiet.py).

Everything that installs the filter runs in a subprocess, so this process's fd 2 is untouched.
"""

import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from tfgan_kit.quiet import filter_stream, is_noise

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Lines seen on this machine (TF 2.21, CPU only, no TF_CPP_MIN_LOG_LEVEL) plus GPU-machine ones.
NOISE = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1795724164.688178    9628 port.cc:153] oneDNN custom operations are on. You may "
    "see slightly different numerical results due to floating-point round-off errors from "
    "different computation orders. To turn them off, set the environment variable "
    "`TF_ENABLE_ONEDNN_OPTS=0`.",
    "I0000 00:00:1795724164.688544    9628 cudart_stub.cc:31] Could not find cuda drivers on "
    "your machine, GPU will not be used.",
    "E0000 00:00:1795724165.696610    9628 cuda_platform.cc:52] failed call to cuInit: INTERNAL: "
    "CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)",
    "I0000 00:00:1795724183.713650    9929 cpu_feature_guard.cc:227] This TensorFlow binary is "
    "optimized to use available CPU instructions in performance-critical operations.",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild "
    "TensorFlow with the appropriate compiler flags.",
    "I0000 00:00:1795724193.586200   10035 service.cc:153] XLA service 0x55ad38b3fe70 "
    "initialized for platform Host (this does not guarantee that XLA will be used). Devices:",
    "I0000 00:00:1795724193.586226   10035 service.cc:161]   StreamExecutor [0]: Host, Default "
    "Version",
    "I0000 00:00:1795724193.612084   10035 device_compiler.h:208] Compiled cluster using XLA!  "
    "This line is logged at most once for the lifetime of the process.",
    "E0000 00:00:1718000000.000000    1234 cuda_dnn.cc:8310] Unable to register cuDNN factory: "
    "Attempting to register factory for plugin cuDNN when one has already been registered",
    "2024-01-01 12:00:00.123456: E external/local_xla/xla/stream_executor/cuda/cuda_fft.cc:485] "
    "Unable to register cuFFT factory: Attempting to register factory for plugin cuFFT when one "
    "has already been registered",
    "W0000 00:00:1718000000.000000    1234 py_utils.cc:38] TF-TRT Warning: Could not find "
    "TensorRT",
    "E0000 00:00:1718000000.000000    1234 computation_placer.cc:177] computation placer already "
    "registered. Please check linkage and avoid linking the same target more than once.",
]
KEPT = [
    "error: --config=x.py: no such file; pass a file of configs/ (e.g. --config=configs/a.py).",
    "Traceback (most recent call last):",
    "W0000 00:00:1795724190.000000    1234 op_kernel.cc:1857] OP_REQUIRES failed at a.cc:1",
    "E0000 00:00:1795724190.000000    1234 some_file.cc:12] a real native error",
    "UserWarning: failed call to cuInit is mentioned here, but not by TensorFlow",
    "I1126 20:20:22.791984 139840299465600 evaluate.py:368] Computing swd on 64 generated.",
    "",
]
MARKERS = ("oneDNN", "cuInit", "absl::InitializeLog", "cuda drivers", "cpu_feature_guard",
           "Sharding callback")


def test_is_noise_matches_the_known_lines_only():
    for line in NOISE:
        assert is_noise(line) and is_noise(line + "\n") and is_noise(line.encode() + b"\r\n")
    for line in KEPT:
        assert not is_noise(line) and not is_noise(line.encode() + b"\n")


def run_filter(chunks, partial_line_seconds=0.05):
    """Feeds ``chunks`` (bytes, or a float: seconds to wait) through `filter_stream`."""
    read_in, write_in = os.pipe()
    read_out, write_out = os.pipe()

    def feed():
        for chunk in chunks:
            if isinstance(chunk, float):
                time.sleep(chunk)
            else:
                os.write(write_in, chunk)
        os.close(write_in)

    output = []
    drain = threading.Thread(target=lambda: output.extend(iter(lambda: os.read(read_out, 4096),
                                                               b"")))
    drain.start()
    feeder = threading.Thread(target=feed)
    feeder.start()
    filter_stream(read_in, write_out, partial_line_seconds)
    feeder.join()
    os.close(write_out)
    drain.join()
    os.close(read_in)
    os.close(read_out)
    return b"".join(output)


def test_filter_drops_noise_and_keeps_every_other_byte():
    noise = [(line + "\n").encode() for line in NOISE]
    kept = [(line + "\n").encode() for line in KEPT]
    mixed = [noise[0], kept[0] + noise[1] + kept[1], noise[2] + noise[3], kept[2], kept[3],
             noise[4] + noise[5], kept[4] + kept[5] + kept[6]]
    assert run_filter(mixed) == b"".join(kept)
    # A final line without a line end, \r progress updates and \r\n line ends are kept.
    tail = [b"10%\r", b"20%\r", 0.01, b"done\r\n", b"last line, no newline"]
    assert run_filter([noise[1], *tail]) == b"10%\r20%\rdone\r\nlast line, no newline"


def test_filter_joins_a_line_written_in_parts():
    noise = NOISE[3].encode()
    # The parts of a noise line written within the wait are joined, then dropped.
    assert run_filter([noise[:20], 0.02, noise[20:] + b"\n", b"kept\n"], 5.0) == b"kept\n"
    # A line start with no end in sight is passed on (nothing waits for ever), then its rest.
    assert run_filter([b"progress: ", 0.3, b"50% ", 0.3, b"100%\n", noise + b"\n"],
                      0.05) == b"progress: 50% 100%\n"


CHILD = textwrap.dedent("""
    import os, sys, time
    from tfgan_kit.quiet import quiet_start
    quiet_start()
    quiet_start()  # a second call does nothing
    os.write(2, NOISE[0] + b"\\n" + NOISE[1] + b"\\n")
    print("python stderr line", file=sys.stderr)
    os.write(2, NOISE[3] + b"\\nnative kept line\\n")
    print("partial ", end="", file=sys.stderr, flush=True)
    time.sleep(0.2)
    print("line", file=sys.stderr)
    from absl import app, logging

    def main(argv):
        # TF's INFO through absl (its checkpoint saver's "Sharding callback duration"), and ours.
        exec(compile("logging.info('tf info %s', 'chatter')", TF_FILE, "exec"))
        logging.info("our info line")
        sys.stderr.write("no newline at the end, then ")
        MODE

    app.run(main)
""")


def run_child(mode, env_extra=None):
    tf_folder = importlib.util.find_spec("tensorflow").submodule_search_locations[0]
    tf_file = os.path.join(tf_folder, "python", "checkpoint", "functional_saver.py")
    noise = "[" + ", ".join(repr(line.encode()) for line in NOISE[:4]) + "]"
    code = CHILD.replace("NOISE[", f"{noise}[").replace("TF_FILE", repr(tf_file))
    code = code.replace("MODE", mode)
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


EXPECTED = ("python stderr line\nnative kept line\npartial line\n"
            "our info line\nno newline at the end, then ")


def test_quiet_start_filters_fd_2_and_keeps_the_exit_message_and_code():
    result = run_child('sys.exit("error: boom")')
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:3] == ["python stderr line", "native kept line", "partial line"]
    assert lines[3].endswith("] our info line") and "tf info chatter" not in result.stderr
    assert lines[4:] == ["no newline at the end, then error: boom"]


def test_quiet_start_loses_nothing_on_abort_or_a_traceback():
    aborted = run_child('sys.stderr.flush(); os.write(2, b"F0000 check failed\\n"); os.abort()')
    assert aborted.returncode == -signal.SIGABRT
    assert "no newline at the end, then F0000 check failed\n" in aborted.stderr
    assert "Fatal Python error: Aborted" in aborted.stderr  # app.run's faulthandler dump
    assert not any(is_noise(line) for line in aborted.stderr.splitlines())
    crashed = run_child("raise RuntimeError('real failure')")
    assert crashed.returncode == 1
    assert "Traceback (most recent call last)" in crashed.stderr
    assert crashed.stderr.rstrip().endswith("RuntimeError: real failure")


def test_verbose_start_turns_the_filter_off():
    result = run_child("pass", {"TFGAN_KIT_VERBOSE_START": "1"})
    assert result.returncode == 0
    assert NOISE[0] in result.stderr and NOISE[3] in result.stderr
    assert "tf info chatter" in result.stderr


def test_train_py_starts_quietly_without_tf_cpp_min_log_level(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_CONFIG", "TFGAN_KIT_VERBOSE_START")}
    result = subprocess.run(
        [sys.executable, "train.py", "--config=configs/gan_ring.py", f"--workdir={tmp_path}",
         "--config.train.epochs=1", "--config.train.steps_per_epoch=2",
         "--config.train.jit_compile=False", "--config.data.num_examples=512",
         "--config.train.num_samples=64"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert not [line for line in output.splitlines() if is_noise(line)]
    assert not [marker for marker in MARKERS if marker in output], output[:3000]
    assert (tmp_path / "model.keras").exists()


def test_sample_error_after_tensorflow_started_comes_through(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"not a SavedModel")  # fails in tf.saved_model.load
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.sample", f"--saved_model={tmp_path}",
         f"--out={tmp_path / 'grid.png'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Cannot read the SavedModel"), lines
    bad_flag = subprocess.run([sys.executable, "-m", "tfgan_kit.sample", "--bogus_flag"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad_flag.returncode != 0
    assert bad_flag.stderr.splitlines() == [
        "error: Unknown command line flag 'bogus_flag' (see --helpshort)."]
