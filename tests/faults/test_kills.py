"""Kills and signals against a real `reprints scan` subprocess: never a mixed result set, no
temporary files left after the next run, no spill folder left by SIGTERM or SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.faults.helpers import corpus_rows, result_set, start, write_rows


def run_to_end(args, tmp):
    proc = start(args, tmp)
    _, errors = proc.communicate(timeout=120)
    assert proc.returncode == 0, errors.decode()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpora")
    old = write_rows(folder / "old.jsonl", corpus_rows(400, seed=1))
    new = write_rows(folder / "new.jsonl", corpus_rows(3000, seed=2))
    return old, new


def leftovers(parent, tmp):
    found = [p.name for p in parent.iterdir() if ".reprints-" in p.name]
    found += [p.name for p in tmp.iterdir() if p.name.startswith("reprints-spill-")]
    return found


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_set(tmp_path, corpora):
    old, new = corpora
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    args_new = ["scan", str(new), "--out", str(out), "--workers", "2"]
    # the two complete sets, for reference
    clock = time.monotonic()
    run_to_end(args_new, tmp)
    duration = time.monotonic() - clock
    new_set = result_set(out)
    run_to_end(["scan", str(old), "--out", str(out), "--workers", "2"], tmp)
    old_set = result_set(out)
    assert old_set != new_set
    killed = 0
    for k in range(8):  # kill moments spread over the whole run, the write included
        proc = start(args_new, tmp)
        time.sleep(duration * (0.35 + 0.09 * k))
        proc.send_signal(signal.SIGKILL)
        killed += proc.wait(timeout=30) == -signal.SIGKILL
        now = result_set(out)
        assert now in (old_set, new_set), f"a mixed result set after a kill at step {k}"
        if now == new_set:  # start again from the old set
            run_to_end(["scan", str(old), "--out", str(out), "--workers", "2"], tmp)
    assert killed, "every kill came after the run had ended: the test proved nothing"
    run_to_end(args_new, tmp)  # the next run cleans what the killed ones left
    assert result_set(out) == new_set
    assert leftovers(tmp_path, tmp) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def stopped_errors(proc: subprocess.Popen) -> str:
    """What a stopped scan printed on stderr, once it ended (killed if it ran a minute more)."""
    try:
        _, errors = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return errors.decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_clean_up_and_exit_quietly(tmp_path, corpora, signum):
    _, new = corpora
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    proc = start(["scan", str(new), "--out", str(out), "--workers", "2"], tmp)
    deadline = time.monotonic() + 60
    while not any(tmp.glob("reprints-spill-*")) and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until the scan is under way (its spill folder exists)
    time.sleep(0.3)
    proc.send_signal(signum)
    text = stopped_errors(proc)
    assert proc.returncode == 128 + signum, text
    assert "Traceback" not in text and "BrokenPipeError" not in text, text
    assert "interrupted" in text
    assert leftovers(tmp_path, tmp) == []
    assert not out.exists()


def children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    try:
        with open(path) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads /proc (Linux)")
def test_a_worker_killed_mid_scan_stops_it_with_an_error(tmp_path, corpora):
    """A worker the system kills (the out-of-memory killer) takes its batch with it: the scan
    says so and exits, writing nothing and leaving no spill folder (``multiprocessing.Pool``
    started a new worker and waited for the lost batch forever)."""
    _, new = corpora
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    proc = start(["scan", str(new), "--out", str(out), "--workers", "2"], tmp)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        if any(tmp.glob("reprints-spill-*")):
            workers = children(proc.pid)
        time.sleep(0.02)
    assert workers, "the scan ran no worker process to kill"
    os.kill(workers[0], signal.SIGKILL)
    text = stopped_errors(proc)
    assert proc.returncode == 2, text
    assert "worker process ended abruptly" in text and "Traceback" not in text, text
    assert leftovers(tmp_path, tmp) == []
    assert not out.exists()


HUNG_WORKER = """
import time
from reprints.engine import local

local.STOP_GRACE_S = 2.0

def hang(records):  # a batch that never ends (a pathological document, a stuck read)
    time.sleep(3600)

local._work = hang
from reprints.cli import main
main()
"""


def test_a_stop_ends_a_scan_whose_worker_hangs(tmp_path, corpora):
    """A worker that never finishes its batch must not keep a stop from stopping: the running
    batches get a grace period (``STOP_GRACE_S``, 2 s here), then their workers are killed and
    the scan exits as interrupted, leaving nothing behind."""
    import sys

    _, new = corpora
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    args = ["scan", str(new), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-c", HUNG_WORKER, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(tmp.glob("reprints-spill-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    assert proc.poll() is None, proc.communicate()[1].decode()
    stopped = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    text = stopped_errors(proc)
    assert proc.returncode == 128 + signal.SIGTERM, text
    assert "interrupted" in text and "Traceback" not in text, text
    assert time.monotonic() - stopped < 30
    assert leftovers(tmp_path, tmp) == []
    assert not out.exists()


SLOW_WRITER = """
import sys, time
import reprints
from reprints.output import write
from reprints.output.write import write_results

plain = write.write_jsonl

def slow(path, rows):  # one file written, then a long pause: the kill lands mid-set
    count = plain(path, rows)
    print("wrote", path.name, flush=True)
    time.sleep(30)
    return count

write.write_jsonl = slow
write_results(reprints.scan([sys.argv[1]]), sys.argv[2])
"""


def test_a_kill_between_two_result_files_leaves_the_old_set(tmp_path, corpora):
    import os
    import sys

    old, new = corpora
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    run_to_end(["scan", str(old), "--out", str(out), "--workers", "1"], tmp)
    old_set = result_set(out)
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(new), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert b"wrote pairs.jsonl" in proc.stdout.readline()  # the new pairs file is written
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert result_set(out) == old_set
    assert [p.name for p in tmp_path.iterdir() if ".reprints-staging-" in p.name]  # left over
    run_to_end(["scan", str(old), "--out", str(out), "--workers", "1"], tmp)
    assert leftovers(tmp_path, tmp) == []


def test_an_old_set_left_aside_by_a_kill_is_put_back(tmp_path):
    from reprints.output.publish import remove_stale

    out = tmp_path / "out"
    aside = tmp_path / ".out.reprints-old-999999999-abcd"  # no such process
    aside.mkdir()
    (aside / "pairs.jsonl").write_text("old\n")
    remove_stale(out)
    assert (out / "pairs.jsonl").read_text() == "old\n" and not aside.exists()


def test_a_stop_during_cleanup_is_taken_once_it_is_done():
    """signals_deferred holds SIGINT back even with other threads in the process (any thread
    may take a process-wide signal), and delivers it after the block."""
    import os
    import threading

    from reprints.engine.local import signals_deferred

    # a known handler: a process started in the background inherits SIGINT ignored
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            steps.append("cleanup finished")
    finally:
        stop.set()
        other.join()
        signal.signal(signal.SIGINT, inherited)
    assert steps == ["cleanup finished"]


def test_a_stop_swallowed_by_a_callback_prints_no_traceback():
    """A signal landing in an import-lock or weakref callback cannot propagate; Python would
    print it as "Exception ignored" with a traceback. The CLI's hook drops those (the stop is
    taken afterwards) and passes every other unraisable exception on."""
    from types import SimpleNamespace

    from reprints.cli import Interrupted, _unraisable

    seen = []
    hook = _unraisable(lambda unraisable: seen.append(unraisable.exc_value))
    hook(SimpleNamespace(exc_value=Interrupted(2)))
    other = ValueError("a real problem")
    hook(SimpleNamespace(exc_value=other))
    assert seen == [other]


def test_a_worker_that_cannot_start_says_why(corpora, monkeypatch):
    """A worker whose start fails (no space left for its shingle file) raises that error, not
    only that a worker broke: the executor reports a failed initializer as a broken pool."""
    import reprints
    from reprints.engine import local

    def no_space(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(local, "_init_worker", no_space)
    _, new = corpora
    with pytest.raises(OSError, match="No space left on device"):
        reprints.scan([new], workers=2)
