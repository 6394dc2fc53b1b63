"""Child processes: servers that announce their URL, commands run for what they print, CPU pinning.

CPU time is not measured here: each client process measures its own, every
thread, around the calls alone, so its start-up and warm-up stay out of the
figures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .settings import ROOT


def environ(extra: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, **(extra or {})}


class Child:
    """A background process that prints `listening on URL` once it serves."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None, log_path: Path | None = None):
        self.log_file = open(log_path, "w") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log_file, text=True, env=environ(env))
        self.url = ""
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("listening on "):
                self.url = line.split()[-1]
                break
        if not self.url:
            raise RuntimeError(f"{cmd[0]} did not start: {self.lines}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.log_file is not subprocess.DEVNULL:
            self.log_file.close()


def pinned(cpu: int, cmd: list[str]) -> list[str]:
    """Pins a command to one CPU when the machine has more than one."""
    if (os.cpu_count() or 1) > 1 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *cmd]
    return cmd


def output(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """The command's stdout; a failure raises with the end of its stderr, which says why."""
    out = subprocess.run(cmd, env=environ(env), cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout


def json_lines(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> list[dict[str, Any]]:
    """The JSON objects a command prints, one a line."""
    return [json.loads(line) for line in output(cmd, env, cwd).splitlines() if line.startswith("{")]
