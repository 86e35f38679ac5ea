"""Run one command in a fresh process under /usr/bin/time, with a time limit and a memory limit.

`timed_run` returns a dict with status ("ok", "timeout", "oom", "crash" or "error"), the wall time
(time.perf_counter around the process, so process start-up and exit are included), the CPU
seconds (%U + %S), the peak resident set size from GNU time's %M (KiB; the largest of the process and the descendants it
waited for, not their sum), the return code, stdout and stderr. On timeout the whole process group
is killed (the command runs in its own session), so no orphaned worker keeps running. The memory
limit is RLIMIT_AS (address space) for the command and its children; numpy then raises
MemoryError instead of the machine running out of memory.
"""
from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import tempfile
import time

TIME_BIN = "/usr/bin/time"
OOM_MARKERS = ("MemoryError", "Unable to allocate", "memory allocation of", "std::bad_alloc",
               "Cannot allocate memory", "out of memory", "Out of memory")


def _limit(mem_bytes):
    def fn():
        if mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
    return fn


def timed_run(cmd: list[str], env: dict | None = None, timeout: float | None = None,
              mem_limit_bytes: int | None = None) -> dict:
    have_time = os.access(TIME_BIN, os.X_OK)
    fd, tpath = tempfile.mkstemp(prefix="stagbench-time-")
    os.close(fd)
    full = ([TIME_BIN, "-f", "%e %M %U %S", "-o", tpath] if have_time else []) + list(cmd)
    rec: dict = {"status": "ok"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, preexec_fn=_limit(mem_limit_bytes))
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        rec["status"] = "timeout"
        rec["error"] = f"timeout after {timeout:.0f} s"
    rec["wall_s"] = time.perf_counter() - t0
    rec["returncode"] = proc.returncode
    rec["stdout"], rec["stderr"] = out, err
    rec["max_rss_kib"] = None
    time_text = ""
    if have_time:
        try:
            with open(tpath) as fh:
                time_text = fh.read()
        except OSError:
            pass
    try:
        os.unlink(tpath)
    except OSError:
        pass
    lines = [ln for ln in time_text.strip().splitlines() if ln.strip()]
    if lines:
        parts = lines[-1].split()
        try:
            rec["time_wall_s"] = float(parts[0])
            rec["max_rss_kib"] = int(parts[1])
            # CPU seconds (user + system) of the process and its waited-for children: less
            # inflated than the wall time when other work shares the cores.
            rec["cpu_s"] = float(parts[2]) + float(parts[3])
        except (IndexError, ValueError):
            pass
    if rec["status"] == "ok" and proc.returncode != 0:
        m = re.search(r"terminated by signal (\d+)", time_text)
        sig = int(m.group(1)) if m else (-proc.returncode if proc.returncode < 0 else None)
        limit = f" (address-space limit {mem_limit_bytes / 2**30:g} GiB)" if mem_limit_bytes else ""
        if sig == signal.SIGKILL:
            rec["status"] = "oom"
            rec["error"] = "killed by signal 9 (probably the kernel's OOM killer)" + limit
        elif any(mk in (err or "") for mk in OOM_MARKERS) or proc.returncode == 3:
            rec["status"] = "oom"
            rec["error"] = "out of memory: " + _tail(err, 500) + limit
        elif sig is not None:
            rec["status"] = "crash"
            rec["signal"] = sig
            rec["error"] = (f"crashed with signal {sig} ({_signame(sig)})" +
                            (f" under the {mem_limit_bytes / 2**30:g} GiB address-space limit: a run that "
                             "needs more memory than that can die this way" if mem_limit_bytes else "") +
                            (": " + _tail(err, 500) if (err or "").strip() else ""))
        else:
            rec["status"] = "error"
            rec["error"] = _tail(err) or _tail(out) or f"exit status {proc.returncode}"
    return rec


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def _tail(text: str | None, n: int = 1500) -> str:
    return (text or "").strip()[-n:]
