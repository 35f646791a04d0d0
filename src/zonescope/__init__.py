"""ZoneScope: decision support for China's cross-border e-commerce pilot zones (跨境电商综试区)."""

from importlib.metadata import PackageNotFoundError, version

from zonescope.api import ZoneScope, open

try:
    __version__ = version("zonescope")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["ZoneScope", "__version__", "open"]
