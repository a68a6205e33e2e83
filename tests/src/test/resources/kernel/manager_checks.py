"""Starts Callisto's kernelspecs the way Jupyter does (jupyter_client's KernelManager) and checks what needs the
process around the kernel: start-up time, restart, SIGINT interrupts, CPU after an interrupt, System.exit in a
cell, output of threads that outlive their cell, and user_expressions. One PASS line per check; TIME lines give
the start-up measurements (docs/benchmarks.md).

Usage: manager_checks.py  (kernelspecs "callisto" and "callisto-signal" on JUPYTER_PATH)
"""
import os
import queue
import time

from jupyter_client import KernelManager

import checklib
from checklib import passed


def drain(kc):
    for get in (kc.get_shell_msg, kc.get_iopub_msg):
        while True:
            try:
                get(timeout=0.2)
            except queue.Empty:
                break


def wait_for_info(kc, timeout=120):
    # one request: ZeroMQ queues it until the kernel has bound its socket, so the reply marks readiness exactly
    msg_id = kc.kernel_info()
    deadline = time.time() + timeout
    while True:
        try:
            reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            raise AssertionError("no kernel_info_reply in %d s" % timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def execute(kc, code, timeout=60, **kw):
    """The reply and the iopub messages (status and execute_input left out) of one cell."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        if m["msg_type"] not in ("status", "execute_input"):
            out.append(m)
    return reply["content"], out


def result(out):
    return [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def start(name):
    km = KernelManager(kernel_name=name)
    t0 = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    return km, kc, t0


def interrupt_loop(kc, how):
    took = checklib.interrupt_loop(kc, how)
    drain(kc)
    return took


# --- the default kernelspec (interrupt_mode message)
km, kc, t0 = start("callisto")
wait_for_info(kc)
info_s = time.time() - t0
drain(kc)
km.shutdown_kernel(now=True)  # a second, warm start for the first result: the page cache is now like a user's
kc.stop_channels()
km, kc, t0 = start("callisto")
wait_for_info(kc)
info_warm = time.time() - t0
reply, out = execute(kc, "1 + 1")
first_result = time.time() - t0
assert result(out) == ["2"], out
print("TIME kernel_info_reply %.2f s (first start), %.2f s; first execute_result of 1+1 %.2f s" % (info_s, info_warm, first_result), flush=True)
passed("start")

reply, out = execute(kc, "int seen = 41;", user_expressions={"next": "seen + 1", "text": '"a" + seen', "bad": "nosuch", "stmt": "int q = 1;"})
ue = reply["user_expressions"]
assert ue["next"] == {"status": "ok", "data": {"text/plain": "42"}, "metadata": {}}, ue
assert ue["text"]["data"]["text/plain"] == "a41", ue
assert ue["bad"]["status"] == "error" and "nosuch" in ue["bad"]["evalue"] + "".join(ue["bad"]["traceback"]), ue
assert ue["stmt"]["status"] == "error", ue
assert [m for m in out if m["msg_type"] != "stream"] == [], out  # the expressions show nothing
before = reply["execution_count"]
reply, _ = execute(kc, "seen")
assert reply["execution_count"] == before + 1, "user_expressions must not count as cells"
passed("user_expressions")

reply, out = execute(kc, 'System.out.println("before"); System.exit(3); System.out.println("after");')
assert reply["status"] == "error" and "System.exit(3)" in reply["evalue"], reply
assert [m["content"]["text"] for m in out if m["msg_type"] == "stream"] == ["before\n"], out
reply, out = execute(kc, "seen")
assert result(out) == ["41"], out  # same process, same session
assert km.is_alive()
passed("system_exit")

msg_id = kc.execute('new Thread(() -> { try { Thread.sleep(300); } catch (InterruptedException e) { }\n'
                    '  System.out.println("from a background thread"); }).start();')
assert kc.get_shell_msg(timeout=30)["content"]["status"] == "ok"
late = None
end = time.time() + 10
while late is None and time.time() < end:
    try:
        m = kc.get_iopub_msg(timeout=1)
    except queue.Empty:
        continue
    if m["msg_type"] == "stream" and "background" in m["content"]["text"]:
        late = m
assert late is not None, "the background thread's output never arrived"
assert late["parent_header"]["msg_id"] == msg_id, late  # under the cell that started the thread
passed("background_thread")

pid = km.provisioner.process.pid
took = interrupt_loop(kc, lambda: kc.control_channel.send(kc.session.msg("interrupt_request", {})))
assert took < 2, "execute_reply %.1f s after the interrupt" % took
time.sleep(0.5)
c0 = cpu_seconds(pid)
time.sleep(2)
busy = (cpu_seconds(pid) - c0) / 2
assert busy < 0.25, "the kernel still uses %.0f%% of a core after the interrupt" % (busy * 100)
reply, out = execute(kc, "6 * 7")
assert result(out) == ["42"], out
passed("interrupt_idle")

km.restart_kernel(now=False)  # shutdown_request with restart=true, then a new process on the same ports
assert km.provisioner.process.pid != pid
wait_for_info(kc)
drain(kc)
reply, out = execute(kc, "seen")
assert reply["status"] == "error", reply  # a fresh session
reply, out = execute(kc, "1 + 2")
assert result(out) == ["3"], out
passed("restart")
kc.stop_channels()
km.shutdown_kernel()
assert not km.is_alive()

# --- the kernelspec with interrupt_mode signal: Jupyter sends SIGINT to the process
km, kc, _ = start("callisto-signal")
wait_for_info(kc)
drain(kc)
took = interrupt_loop(kc, km.interrupt_kernel)
assert took < 2, "execute_reply %.1f s after SIGINT" % took
reply, out = execute(kc, "6 * 7")
assert result(out) == ["42"] and km.is_alive(), out
passed("sigint")
kc.stop_channels()
km.shutdown_kernel()
