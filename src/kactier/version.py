"""The installed version of kactier, in one place every module can import without importing the package."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kactier")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
