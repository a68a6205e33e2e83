"""jupyter_kernel_test's conformance suite on the Callisto kernelspec found on JUPYTER_PATH."""
import unittest

import jupyter_kernel_test


class CallistoKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "callisto"
    language_name = "java"
    file_extension = ".java"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "%time 1 + 1"]
    incomplete_code_samples = ["void f() {", "for (int i = 0;", "1 +"]
    invalid_code_samples = [")", "int x = 1; )"]
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": '"a" + "b"', "result": "ab"}]
    code_display_data = [{"code": 'display(html("<b>hi</b>"));', "mime": "text/html"}]
    code_clear_output = "clearOutput(false);"
    completion_samples = [{"text": "Math.absE", "matches": {"absExact("}}, {"text": "%ti", "matches": {"%time"}}]
    code_inspect_sample = "Math.abs"
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *"
    # left unset (skipped): code_page_something (Callisto has no pager payloads)


if __name__ == "__main__":
    unittest.main(verbosity=2)
