"""Drives a running Callisto kernel with Jupyter's own client (jupyter_client), one check per PASS line.

Usage: client_checks.py CONNECTION_FILE. Any failed check raises, naming what came back.
"""
import queue
import sys
import time

from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

import checklib
from checklib import passed

kc = BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file()
kc.start_channels()


# wait_for_ready would trust the heartbeat, which a JVM still starting does not answer yet: ask until it replies
deadline = time.time() + 120
while True:
    kc.kernel_info()
    try:
        info = kc.get_shell_msg(timeout=1)
        break
    except queue.Empty:
        assert time.time() < deadline, "no kernel_info_reply in 120 s"
for get in (kc.get_shell_msg, kc.get_iopub_msg):  # replies and statuses of the other kernel_info requests
    while True:
        try:
            get(timeout=0.5)
        except queue.Empty:
            break

c = info["content"]
assert c["status"] == "ok" and c["protocol_version"] == "5.3" and c["implementation"] == "callisto", c
li = c["language_info"]
assert li["name"] == "java" and li["file_extension"] == ".java" and li["mimetype"] == "text/x-java-source", li
assert li["version"].split(".")[0].isdigit(), li
passed("kernel_info")


def iopub_for(msg_id, timeout=30):
    """The iopub messages of one request, busy to idle, checking that every one names it as parent."""
    msgs = []
    end = time.time() + timeout
    while True:
        m = kc.get_iopub_msg(timeout=max(0.1, end - time.time()))
        if m["parent_header"].get("msg_id") != msg_id:
            continue  # a leftover of an earlier request
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    first = msgs[0]
    assert first["msg_type"] == "status" and first["content"]["execution_state"] == "busy", msgs
    return msgs


def execute(code, **kw):
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    outputs = [m for m in iopub_for(msg_id) if m["msg_type"] not in ("status", "execute_input")]
    return reply["content"], outputs


reply, out = execute("1 + 1")
assert reply["status"] == "ok", reply
results = [m["content"] for m in out if m["msg_type"] == "execute_result"]
assert len(results) == 1 and results[0]["data"]["text/plain"] == "2", out
assert results[0]["execution_count"] == reply["execution_count"], (results, reply)
passed("execute_result")

reply, out = execute('System.out.println("hello from java"); System.err.println("to stderr");')
streams = {(m["content"]["name"], m["content"]["text"]) for m in out if m["msg_type"] == "stream"}
assert ("stdout", "hello from java\n") in streams and ("stderr", "to stderr\n") in streams, out
passed("stream")

reply, out = execute('var h = display(html("<b>one</b>")); h.update(html("<b>two</b>"));')
types = [m["msg_type"] for m in out]
assert types == ["display_data", "update_display_data"], out
shown, updated = out[0]["content"], out[1]["content"]
assert shown["data"]["text/html"] == "<b>one</b>" and updated["data"]["text/html"] == "<b>two</b>", out
assert shown["transient"]["display_id"] == updated["transient"]["display_id"], out
passed("display_data")

# a progress bar and a live output: one display_data, then update_display_data with the same display_id
reply, out = execute('for (int i : Progress.range(3, "steps")) Thread.sleep(150);')
assert reply["status"] == "ok", reply
types = [m["msg_type"] for m in out]
assert types[0] == "display_data" and set(types[1:]) == {"update_display_data"} and len(types) >= 2, out
assert len({m["content"]["transient"]["display_id"] for m in out}) == 1, out
final = out[-1]["content"]["data"]
assert "3/3" in final["text/plain"] and '<progress value="3" max="3"' in final["text/html"], final
reply, out = execute('int[] n = {0}; try (var v = live(() -> "n=" + n[0])) { for (int i = 0; i <= 3; i++) { n[0] = i; v.refreshNow(); } }')
assert [m["content"]["data"]["text/plain"] for m in out] == ["n=0", "n=1", "n=2", "n=3"], out
assert [m["msg_type"] for m in out] == ["display_data"] + ["update_display_data"] * 3, out
passed("progress and live")

reply, out = execute('int x = "not a number";')
assert reply["status"] == "error" and reply["ename"] == "CompileError", reply
assert any("Cell In[" in line for line in reply["traceback"]), reply["traceback"]
assert [m["msg_type"] for m in out] == ["error"], out
passed("compile_error")

before, _ = execute("2 + 2")
reply, out = execute('System.out.println("quiet")', silent=True)
assert reply["status"] == "ok" and out == [], (reply, out)
unstored, _ = execute("3 + 3", store_history=False)
after, _ = execute("4 + 4")
assert after["execution_count"] == before["execution_count"] + 1, (before, after)  # neither counted
passed("silent")


def history(**kw):
    msg_id = kc.history(raw=True, **kw)
    reply = kc.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    return reply["content"]["history"]


tail = history(output=True, hist_access_type="tail", n=2)
assert [h[2] for h in tail] == [["2 + 2", "4"], ["4 + 4", "8"]], tail  # silent and unstored cells are not kept
assert tail[-1][1] == after["execution_count"], tail
session = tail[-1][0]
found = history(output=False, hist_access_type="search", pattern="1 + *")
assert found and found[-1][2] == "1 + 1", found
ranged = history(output=False, hist_access_type="range", session=0, start=1, stop=2)
assert ranged == [[session, 1, "1 + 1"]], ranged
passed("history")


msg_id = kc.execute('var sc = new Scanner(System.in);\nSystem.out.print("name? ");\nString name = sc.nextLine();\n"hello " + name',
                    allow_stdin=True)
request = kc.get_stdin_msg(timeout=30)
assert request["msg_type"] == "input_request" and request["parent_header"]["msg_id"] == msg_id, request
kc.input("world")
reply = kc.get_shell_msg(timeout=30)
assert reply["content"]["status"] == "ok", reply
shown = [m for m in iopub_for(msg_id) if m["msg_type"] in ("stream", "execute_result")]
assert shown[0]["content"]["text"] == "name? ", shown  # the prompt is flushed before the input box
assert shown[-1]["content"]["data"]["text/plain"] == "hello world", shown
reply, out = execute("new Scanner(System.in).hasNextLine()", allow_stdin=False)
assert [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"] == ["false"], out
passed("stdin")


comm = kc.session.msg("comm_open", {"comm_id": "c0ffee", "target_name": "no.such.target", "data": {}})
kc.shell_channel.send(comm)
closes = [m for m in iopub_for(comm["header"]["msg_id"]) if m["msg_type"] == "comm_close"]
assert [m["content"]["comm_id"] for m in closes] == ["c0ffee"], closes
msg_id = kc.comm_info()
info = kc.get_shell_msg(timeout=30)
assert info["msg_type"] == "comm_info_reply" and info["content"] == {"status": "ok", "comms": {}}, info
passed("comm")


# a comm target registered by a cell: open, messages with buffers both ways, comm_info, a failing handler,
# close from either side
reply, _ = execute("""Comms.register("callisto.echo", (comm, first) -> {
    System.out.println("opened with " + first.data().get("greeting"));
    comm.onMessage(m -> {
        if (m.data().containsKey("fail")) throw new IllegalStateException("asked to fail");
        comm.send(Map.of("echo", m.data(), "buffers", m.buffers().size()), m.buffers());
    });
    comm.onClose(m -> System.out.println("closed by frontend: " + m.data().get("why")));
});""")
assert reply["status"] == "ok", reply


def comm_request(msg_type, content, buffers=None):
    """Sends a comm message on shell; returns its iopub messages other than status."""
    msg = kc.session.msg(msg_type, content)
    kc.session.send(kc.shell_channel.socket, msg, buffers=buffers)
    return [m for m in iopub_for(msg["header"]["msg_id"]) if m["msg_type"] != "status"]


out = comm_request("comm_open", {"comm_id": "echo1", "target_name": "callisto.echo", "data": {"greeting": "hi"}})
assert [(m["msg_type"], m["content"].get("text")) for m in out] == [("stream", "opened with hi\n")], out
out = comm_request("comm_msg", {"comm_id": "echo1", "data": {"n": 3, "x": 0.5, "list": [1, "a", None]}},
                   buffers=[b"\x00\x01\x02", b"xyz"])
assert [m["msg_type"] for m in out] == ["comm_msg"], out
echoed = out[0]
assert echoed["content"]["comm_id"] == "echo1", echoed
assert echoed["content"]["data"] == {"echo": {"n": 3, "x": 0.5, "list": [1, "a", None]}, "buffers": 2}, echoed
assert [bytes(b) for b in echoed["buffers"]] == [b"\x00\x01\x02", b"xyz"], echoed["buffers"]
kc.comm_info()
info = kc.get_shell_msg(timeout=30)
assert info["content"]["comms"] == {"echo1": {"target_name": "callisto.echo"}}, info
kc.comm_info(target_name="other.target")
info = kc.get_shell_msg(timeout=30)
assert info["content"]["comms"] == {}, info
out = comm_request("comm_msg", {"comm_id": "echo1", "data": {"fail": True}})
errors = [m["content"]["text"] for m in out if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
assert len(errors) == 1 and "asked to fail" in errors[0] and "comm_msg handler of comm echo1" in errors[0], out
reply, out = execute("Comms.list()")  # the kernel goes on after a failing handler
assert "callisto.echo, echo1" in out[0]["content"]["data"]["text/plain"], out
out = comm_request("comm_close", {"comm_id": "echo1", "data": {"why": "done"}})
assert [m["content"].get("text") for m in out] == ["closed by frontend: done\n"], out
reply, out = execute("Comms.list().size()")
assert out[0]["content"]["data"]["text/plain"] == "0", out

# a comm the session opens: comm_open, comm_msg and comm_close on iopub under the cell that sent them
msg_id = kc.execute('var c = Comms.open("frontend.view", Map.of("v", 1)); c.send(Map.of("v", 2)); c.close(Map.of("v", 3));')
kc.get_shell_msg(timeout=30)
sent = [m for m in iopub_for(msg_id) if m["msg_type"].startswith("comm_")]
assert [(m["msg_type"], m["content"]["data"]) for m in sent] == [
    ("comm_open", {"v": 1}), ("comm_msg", {"v": 2}), ("comm_close", {"v": 3})], sent
assert sent[0]["content"]["target_name"] == "frontend.view", sent
assert len({m["content"]["comm_id"] for m in sent}) == 1, sent
reply, out = execute('c.send(Map.of("after", "close"))')
assert reply["status"] == "error" and "is closed" in reply["evalue"], reply
reply, out = execute('Comms.open("frontend.view", Map.of("bad", new Object()))')
assert reply["status"] == "error" and "comm data.bad is a java.lang.Object" in reply["evalue"], reply
passed("comm round trip")


def is_complete(code):
    msg_id = kc.is_complete(code)
    r = kc.get_shell_msg(timeout=10)
    assert r["parent_header"]["msg_id"] == msg_id
    iopub_for(msg_id)
    return r["content"]


assert is_complete("int y = 1;") == {"status": "complete"}
assert is_complete("1 + 1")["status"] == "complete"
assert is_complete("void f() {") == {"status": "incomplete", "indent": "    "}
assert is_complete("for (int i = 0;")["status"] == "incomplete"
assert is_complete(")")["status"] == "invalid"
passed("is_complete")

# a message signed with another key must be dropped unread: the variable it declares never exists
forger = Session(key=b"not-the-key", username="mallory")
forger.send(kc.shell_channel.socket, "execute_request",
            {"code": "int forgedRan = 1;", "silent": False, "store_history": True, "user_expressions": {},
             "allow_stdin": False, "stop_on_error": True})
try:
    stray = kc.get_shell_msg(timeout=1)
    raise AssertionError("the kernel answered a forged message: %s" % stray)
except queue.Empty:
    pass
reply, out = execute("forgedRan")
assert reply["status"] == "error" and "forgedRan" in "".join(reply["traceback"]), reply
passed("forged_rejected")

def interrupt_by_message():
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    ir = kc.get_control_msg(timeout=5)
    assert ir["msg_type"] == "interrupt_reply" and ir["content"]["status"] == "ok", ir


# interrupt a tight loop through the control channel while the cell runs
took = checklib.interrupt_loop(kc, interrupt_by_message)
assert took < 3, "the interrupted cell ended after %.1f s" % took
reply, out = execute("6 * 7")
assert [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"] == ["42"], out
passed("interrupt")

kc.control_channel.send(kc.session.msg("shutdown_request", {"restart": False}))
sr = kc.get_control_msg(timeout=10)
assert sr["msg_type"] == "shutdown_reply" and sr["content"] == {"status": "ok", "restart": False}, sr
passed("shutdown_reply")
kc.stop_channels()
