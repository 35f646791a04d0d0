"""Writing a report: the format from the file suffix, atomic writes, bytes for the web.

Every format is written to a temporary file beside the target and renamed into
place, so a failure (or Ctrl-C) never leaves a partial report behind. Markdown
writes its chart images into `<name>_files/` beside the `.md` (also renamed into
place); `render_bytes(report, "md")` embeds them as data URIs instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from zonescope.errors import ZoneScopeError
from zonescope.report.model import Report

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".md": "md",
           ".json": "json"}


def format_of(path: Path | str) -> str:
    """The report format a file name asks for; an unknown suffix is a clear error."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ZoneScopeError("report.bad_format", suffix=suffix or Path(path).name,
                             formats=sorted(set(FORMATS) - {".htm"}))
    return FORMATS[suffix]


def check_target(path: Path | str) -> str:
    """Fail before any work if the file cannot be written: its format, or an unwritable place."""
    fmt = format_of(path)
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZoneScopeError("report.unwritable", path=str(target), reason=_why(exc)) from None
    if target.is_dir():
        raise ZoneScopeError("report.unwritable", path=str(target), reason="is a directory")
    try:  # a probe, not os.access: root passes access checks on read-only file systems
        handle, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe",
                                         dir=target.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise ZoneScopeError("report.unwritable", path=str(target), reason=_why(exc)) from None
    return fmt


def render_bytes(report: Report, fmt: str) -> bytes:
    """The report as one file's bytes (html | pdf | docx | md | json)."""
    if fmt == "html":
        from zonescope.report.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "json":
        from zonescope.report.jsonout import render_json

        return render_json(report).encode("utf-8")
    if fmt == "pdf":
        from zonescope.report.pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from zonescope.report.docx import render_docx

        return render_docx(report)
    if fmt == "md":
        from zonescope.report.markdown import render_markdown

        text, _ = render_markdown(report, images_dir=None)
        return text.encode("utf-8")
    raise ZoneScopeError("report.bad_format", suffix=fmt, formats=sorted(set(FORMATS.values())))


def render(report: Report, fmt: str | None, path: Path | str) -> Path:
    """Write the report to `path` atomically (format from the suffix when `fmt` is None)."""
    target = Path(path).expanduser()
    fmt = fmt or check_target(target)
    check_target(target)
    if fmt == "md":
        return _write_markdown(report, target)
    data = render_bytes(report, fmt)
    _atomic_write(target, data)
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                        dir=target.parent)
    except OSError as exc:
        raise ZoneScopeError("report.unwritable", path=str(target), reason=_why(exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ZoneScopeError("report.unwritable", path=str(target), reason=_why(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_markdown(report: Report, target: Path) -> Path:
    from zonescope.report.markdown import render_markdown

    images = target.with_name(f"{target.stem}_files")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.stem}_files.", dir=target.parent))
    try:
        text, _ = render_markdown(report, images_dir=staging, link_dir=images.name)
        os.chmod(staging, 0o777 & ~_umask())
        if images.exists():
            shutil.rmtree(images)
        os.replace(staging, images)
        _atomic_write(target, text.encode("utf-8"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
