"""A progress bar for the command line, without a dependency: redrawn in place on a
terminal, a line every tenth of the way otherwise (logs stay short)."""

from __future__ import annotations

from typing import TextIO


class Progress:
    WIDTH = 30

    def __init__(self, out: TextIO, total: int, label: str) -> None:
        self.out, self.total, self.label = out, max(total, 0), label
        self.done = 0
        self._tty = out.isatty() if hasattr(out, "isatty") else False
        self._last_tenth = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        fraction = self.done / self.total if self.total else 1.0
        if self._tty:
            filled = int(self.WIDTH * fraction)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.out.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            self.out.flush()
        elif int(fraction * 10) != self._last_tenth:
            self._last_tenth = int(fraction * 10)
            self.out.write(f"{self.label}: {self.done}/{self.total}\n")

    def finish(self) -> None:
        if self._tty:
            self.out.write("\n")
