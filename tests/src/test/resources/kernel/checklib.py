"""What client_checks.py and manager_checks.py share."""
import time


def passed(name):
    print("PASS " + name, flush=True)


def interrupt_loop(kc, how):
    """Runs `while (true) {}`, calls how() once the cell runs, and returns the seconds from then to the
    execute_reply, which must say Interrupted."""
    msg_id = kc.execute("while (true) {}")
    end = time.time() + 30
    while True:
        m = kc.get_iopub_msg(timeout=max(0.1, end - time.time()))
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    time.sleep(0.5)
    t = time.time()
    how()
    reply = kc.get_shell_msg(timeout=10)
    took = time.time() - t
    assert reply["parent_header"]["msg_id"] == msg_id, reply
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted", reply["content"]
    return took
