"""Release versions: ``MAJOR.MINOR[.PATCH...][{a|b|rc}N]`` ordered as PEP 440 orders them.

Only the subset the project publishes is accepted (no epochs, local or post/dev parts):
``2.1a1 < 2.1b1 < 2.1rc1 < 2.1 = 2.1.0 < 2.1.1``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"^\s*v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?\s*$",
                      re.IGNORECASE)
_PHASES = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_PHASE_NAMES = {0: "a", 1: "b", 2: "rc"}
_FINAL = 3


class InvalidVersion(ValueError):
    pass


@dataclass(frozen=True, order=False)
class Version:
    release: tuple[int, ...]
    phase: int = _FINAL
    serial: int = 0

    @classmethod
    def parse(cls, text: str) -> "Version":
        match = _VERSION.match(str(text))
        if not match:
            raise InvalidVersion(f"not a release version: {text!r} (expected e.g. 2.1 or 2.1rc1)")
        release = tuple(int(part) for part in match.group(1).split("."))
        if match.group(2):
            return cls(release, _PHASES[match.group(2).lower()], int(match.group(3) or 0))
        return cls(release)

    @property
    def is_prerelease(self) -> bool:
        return self.phase != _FINAL

    def _key(self) -> tuple:
        release = list(self.release)
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        return tuple(release), self.phase, self.serial

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: "Version") -> bool:
        return self._key() < other._key()

    def __le__(self, other: "Version") -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: "Version") -> bool:
        return self._key() > other._key()

    def __ge__(self, other: "Version") -> bool:
        return self._key() >= other._key()

    def __str__(self) -> str:
        text = ".".join(str(part) for part in self.release)
        if self.is_prerelease:
            text += f"{_PHASE_NAMES[self.phase]}{self.serial}"
        return text


def parse(text: str) -> Version:
    return Version.parse(text)


def windows_file_version(text: str) -> str:
    """The four-number ``VIProductVersion`` form Windows wants (``2.1rc1`` → ``2.1.0.2``)."""
    version = Version.parse(text)
    numbers = list(version.release[:3]) + [0] * (3 - min(3, len(version.release)))
    build = 1000 if not version.is_prerelease else version.phase * 100 + min(version.serial, 99)
    return ".".join(str(n) for n in numbers[:3] + [build])
