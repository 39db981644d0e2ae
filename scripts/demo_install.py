"""`make install` with progress: pip's output reduced to one line per package collected, then a last line.

Usage: python scripts/demo_install.py VENV_PYTHON PIP_ARGS...  (exits with pip's code; on failure prints pip's
last lines, which say why).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import deque


def main(argv: list[str]) -> int:
    python, pip_args = argv[0], argv[1:]
    started = time.monotonic()
    command = [python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", *pip_args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail: deque = deque(maxlen=30)
    collected = 0
    for line in process.stdout:
        tail.append(line)
        if line.startswith("Collecting ") or line.startswith("Obtaining "):
            collected += 1
            name = line.split()[1]
            print(f"  [{collected:3}] {name:40} {time.monotonic() - started:6.0f} s", flush=True)
        elif line.startswith("Installing collected packages"):
            print(f"  installing {collected} packages ...", flush=True)
    code = process.wait()
    if code:
        print("".join(tail), end="", file=sys.stderr)
        print(f"  pip failed (exit code {code})", file=sys.stderr)
    else:
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
