"""A command run as a person runs it at a terminal: on a pseudo-terminal of its own, the person
typing at its prompts."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys

WAIT = 60.0  # generous: the helper waits for the command's output, it never times anything
PROMPT = re.compile(rb"annotator: (?:password for|passphrase of the key) [^\n]*: ")


def at_terminal(*args: str, answers: tuple[str, ...]) -> tuple[int, str]:
    """``annotator ARGS`` on a terminal of its own (a pseudo-terminal that is its controlling
    terminal), typing the next of ``answers`` at each of its prompts (a password, a key's
    passphrase); returns the exit code and all the terminal showed. Waits on the terminal's
    output, never sleeps."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, and nothing else
        os.execve(sys.executable, [sys.executable, "-m", "annotator", *args], dict(os.environ))
    shown = b""
    left = list(answers)
    prompts = 0
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], WAIT)
            assert ready, f"the command said nothing for {WAIT} s: {shown!r}"
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the command ended and closed the terminal
                break
            if not data:
                break
            shown += data
            if len(PROMPT.findall(shown)) > prompts:
                prompts += 1
                assert left, f"asked more often than answered: {shown!r}"
                os.write(fd, left.pop(0).encode() + b"\n")
    finally:
        os.close(fd)
        ended, status = os.waitpid(pid, os.WNOHANG)
        if not ended:  # still waiting for what no one will type
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")
