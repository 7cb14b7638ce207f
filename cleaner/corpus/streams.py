"""Compressed byte streams: open a shard for reading or writing by its name.

``.gz`` is gzip, ``.zst`` is Zstandard, anything else is read as it is.  A
stream that ends before its compression format says it should (a shard cut
off by a full disk or an interrupted copy) raises ``TruncatedStream``: the
shard is an error and no output is written for it.

Written streams are reproducible: gzip without a file name or time stamp in
its header, so the same records give the same bytes on every run and on every
worker (the Dask executor's output is compared byte for byte with --jobs 1).
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

# gzip level 3, not gzip's default 6: output about 9% larger, but compressing
# costs about 2% of cleaning time instead of 7% (bench/corpus.py).  zstd: its default.
GZIP_LEVEL = 3
ZSTD_LEVEL = 3
READ_CHUNK = 1 << 20


class TruncatedStream(Exception):
    """A compressed stream that ends early or is corrupt; str() is the reason."""


def compression_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        return "gzip"
    if lower.endswith(".zst"):
        return "zstd"
    return None


class _ZstdReader(io.RawIOBase):
    """Decompress every frame of a zstd stream; a frame cut off is an error.

    (zstandard's own stream reader returns what it has, silently, when the
    input stops mid-frame.)
    """

    def __init__(self, raw: BinaryIO):
        import zstandard

        self._raw = raw
        self._zstd = zstandard
        self._dobj = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._in_frame = False
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._eof:
            chunk = self._raw.read(READ_CHUNK)
            if not chunk:
                self._eof = True
                if self._in_frame:
                    raise TruncatedStream("zstd stream ends in the middle of a frame (truncated file?)")
                break
            self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> None:
        out = []
        while chunk:
            self._in_frame = True
            try:
                out.append(self._dobj.decompress(chunk))
            except self._zstd.ZstdError as exc:
                raise TruncatedStream(f"not a valid zstd stream: {exc}") from None
            if self._dobj.eof:
                chunk = self._dobj.unused_data
                self._dobj = self._zstd.ZstdDecompressor().decompressobj()
                self._in_frame = False
            else:
                chunk = b""
        self._pending += b"".join(out)


class _GzipChecked(io.RawIOBase):
    """gzip.GzipFile's errors, named: truncation and corruption are TruncatedStream."""

    def __init__(self, raw: BinaryIO):
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            return self._gz.readinto(buffer)
        except EOFError:
            raise TruncatedStream("gzip stream ends before its end marker (truncated file?)") from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise TruncatedStream(f"not a valid gzip stream: {exc}") from None


def open_read(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A buffered reader of the decompressed bytes of raw."""
    if compression == "gzip":
        return io.BufferedReader(_GzipChecked(raw), READ_CHUNK)
    if compression == "zstd":
        return io.BufferedReader(_ZstdReader(raw), READ_CHUNK)
    return raw


class _ZstdWriter(io.RawIOBase):
    def __init__(self, raw: BinaryIO):
        import zstandard

        self._cobj = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        self._raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._raw.write(self._cobj.compress(bytes(data)))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.write(self._cobj.flush())
        super().close()


def open_write(raw: BinaryIO, compression: str | None) -> BinaryIO:
    """A writer that compresses into raw; close() finishes the stream (not raw)."""
    if compression == "gzip":
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0)
    if compression == "zstd":
        return io.BufferedWriter(_ZstdWriter(raw), READ_CHUNK)
    return _Uncloseable(raw)


class _Uncloseable(io.RawIOBase):
    """raw as it is, except that close() leaves raw open (the caller owns it)."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._raw.write(data)
