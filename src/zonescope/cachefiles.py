"""Derived files kept in the user cache between processes: where, written how, versioned by what.

Everything here can be deleted at any time and is rebuilt on the next use; a cache
that cannot be written only costs that rebuild. Files are NumPy archives read with
`allow_pickle=False`, so nothing executable is ever loaded from them.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

from zonescope.config import cache_dir

__all__ = ["cache_dir", "load_arrays", "package_version", "save_arrays"]


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an .npz atomically; any OS error leaves no file and is not raised (a cache)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def load_arrays(path: Path, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The named arrays of an .npz, in memory; None if it is missing, damaged or lacks one."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in names}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def package_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
