"""A plain file too large to hold whole, cleaned block by block.

Cleaning holds many times a document's size in memory (the analyses of every
stage), so a file larger than LARGE_FILE_BYTES is read as a stream, decoded
incrementally and cut into blocks of about BLOCK_CHARS characters at blank
lines; each block is cleaned as a document of its own and written out in
order, so memory stays flat however large the file is.

Where the blank lines between two blocks were, the output holds what cleaning
makes of such a run between two paragraphs (one blank line by default), so
text whose documents each fit in a block comes out as whole-file cleaning
makes it.  What differs is what whole-document rules see: the boilerplate
stage's page-edge and tail rules look at each block's top and bottom, and
its repeated-lines rule finds repeats within a block only; the spelling
stage's evidence (a word written apart elsewhere) is per block.  A stretch
of more than MAX_BLOCK_CHARS without a blank line is cut at a line break,
and a line longer than that (a whole site dumped on one line) between two
sentences (else two words) at about every BLOCK_CHARS: each piece is cleaned
as a line of its own and the pieces are joined again by the one space that
was between them, so rules that look at a whole line (is it a title? a
doubled word across the cut) see the piece.
The encoding is settled on the first megabyte (a byte-order mark, UTF-8, or
detection); a later byte that does not decode is an error for the file and
nothing is written.  With line-ending "keep", the first block's line ending
is the file's.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import BinaryIO, Iterator, TextIO

from ..config import Config
from ..files import BINARY_SNIFF_BYTES, BOMS, BinaryFile, FileProblem, Target, atomic_output, detect_encoding, dominant_newline, encode, is_binary, read_fully
from ..pipeline import clean_text
from ..runner import FileReport, RunOptions, file_identity, unified_diff
from . import LARGE_FILE_BYTES
from .documents import DocumentCleaner, InProcess, clean_in_order
from .reports import writable_destination

BLOCK_CHARS = 1 << 20
MAX_BLOCK_CHARS = 4 * BLOCK_CHARS
READ_BYTES = 1 << 20


@dataclass
class Block:
    text: str  # one or more paragraphs, ending with a line break (but the last block)
    first_line: int  # 0-based line of the file where the block starts
    separator: str  # the blank lines that followed it in the file ("" for none)
    name: str
    # A piece of a line too long for one block: its text is the piece and a
    # line break added for cleaning (taken off again), its separator the
    # space that followed it; first_column: characters of its line before it.
    joined: bool = False
    first_column: int = 0

    def document(self) -> tuple[str, str]:
        return self.name, self.text


@dataclass
class _Encoding:
    codec: str
    detected: bool
    bom_bytes: int
    newline: str = "\n"
    saw_cr: bool = False


def _settle_encoding(head: bytes) -> _Encoding:
    for bom, codec in BOMS:
        if head.startswith(bom):
            return _Encoding(codec, False, len(bom))
    if is_binary(head[:BINARY_SNIFF_BYTES]):
        raise BinaryFile("binary file (NUL byte in the first 8 KB)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return _Encoding("utf-8", False, 0)
    except UnicodeDecodeError:
        pass
    codec = detect_encoding(head)
    if codec is None:
        raise FileProblem("not valid UTF-8 in its first megabyte and no likely encoding decodes it")
    return _Encoding(codec, True, 0)


class _Undecodable(FileProblem):
    """A byte that does not decode in the settled encoding, past the start."""


def _decoded_chunks(raw: BinaryIO, encoding: _Encoding) -> Iterator[str]:
    """The text of raw (read from just after its byte-order mark) in chunks,
    with CRLF and CR as LF (a CR at a chunk's end waits)."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="strict")
    offset = encoding.bom_bytes
    held = ""
    first = True
    while True:
        data = raw.read(READ_BYTES)
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise _Undecodable(f"not valid {encoding.codec} at byte {offset + exc.start} (the encoding is settled on the first megabyte)") from None
        offset += len(data)
        text = held + text
        held = ""
        if data and text.endswith("\r"):
            text, held = text[:-1], "\r"
        if first:
            encoding.newline = dominant_newline(text)
            first = False
        if "\r" in text:
            encoding.saw_cr = True
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text:
            yield text
        if not data:
            return


def split_blocks(chunks: Iterator[str], name: str, block_chars: int = BLOCK_CHARS) -> Iterator[Block]:
    """Blocks of about block_chars, cut after a paragraph, before the blank lines that follow it."""
    buffer = ""
    line = column = 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= block_chars:
            cut = buffer.rfind("\n\n", 0, len(buffer))
            while cut > 0 and buffer[cut - 1] == "\n":
                cut -= 1  # the start of the blank run
            if cut <= 0:
                # the rest of a line already being cut goes on in pieces too
                in_long_line = column > 0 and len(buffer) >= 2 * block_chars
                if len(buffer) < 4 * block_chars and not in_long_line:
                    break  # read on for a blank line
                cut = buffer.rfind("\n", 0, len(buffer) - 1)
                if cut <= 0:
                    space = _line_cut(buffer, block_chars) if buffer[0] != "\n" else None
                    if space is None:
                        break
                    yield Block(buffer[:space] + "\n", line, " ", name, joined=True, first_column=column)
                    column += space + 1
                    buffer = buffer[space + 1:]
                    continue
            end = cut + 1
            stop = end
            while stop < len(buffer) and buffer[stop] == "\n":
                stop += 1
            if stop == len(buffer):
                break  # the blank run may go on in the next chunk
            block = buffer[:end]
            yield Block(block, line, buffer[end:stop], name, first_column=column)
            line += block.count("\n") + (stop - end)
            column = 0
            buffer = buffer[stop:]
    if buffer:
        yield Block(buffer, line, "", name, first_column=column)


# Where a line too long for one block is cut: at a space after a sentence's
# end and before a capital, else at a space between two word characters.
_SENTENCE_SPACE = re.compile(r"(?<=[.!?]) (?=[A-Z])")
_WORD_SPACE = re.compile(r"(?<=\w) (?=\w)")


def _line_cut(buffer: str, block_chars: int) -> int | None:
    """The index of the space where a piece of about block_chars ends, or None."""
    low, high = block_chars // 2, block_chars
    for pattern in (_SENTENCE_SPACE, _WORD_SPACE):
        found = None
        for m in pattern.finditer(buffer, max(0, high - 65536), high):
            found = m.start()
        if found is None:
            for m in pattern.finditer(buffer, low, high):
                found = m.start()
        if found is not None:
            return found
    return None


@lru_cache(maxsize=64)
def _clean_separator(separator: str, config: Config) -> str:
    """What cleaning makes of blank lines between two paragraphs (collapsed to one by default)."""
    paragraph = "Text.\n"
    cleaned = clean_text(paragraph + separator + paragraph, config).text
    if cleaned.startswith(paragraph) and cleaned.endswith(paragraph) and len(cleaned) >= 2 * len(paragraph):
        return cleaned[len(paragraph):-len(paragraph)]
    return separator


def clean_large_file(target: Target, options: RunOptions, cleaner: DocumentCleaner | None = None) -> FileReport:
    """Clean a plain file block by block; never raises for a problem with the file."""
    report = FileReport(target.display, "unchanged")
    cleaner = cleaner or InProcess()
    try:
        config = options.config_for(target.source)
        report.bytes_in = os.path.getsize(target.source)
        with open(target.source, "rb") as raw:
            read = os.fstat(raw.fileno())  # the file read, to check it is still there at the rename
            encoding = _settle_encoding(raw.read(READ_BYTES))
            if encoding.detected:
                report.encoding = encoding.codec
            raw.seek(encoding.bom_bytes)
            blocks = split_blocks(_decoded_chunks(raw, encoding), target.display)
            if options.mode != "fix":
                _clean_blocks(blocks, None, report, config, options, cleaner, encoding)
            else:
                destination = writable_destination(target)
                identity = (False, read.st_dev, read.st_ino, read.st_size, read.st_mtime_ns)
                still_same = None if target.output is not None else (lambda: file_identity(destination) == identity)
                with atomic_output(destination, still_same) as out, open(target.source, "rb") as original:
                    compared = _Comparing(out, original)
                    _clean_blocks(blocks, compared, report, config, options, cleaner, encoding)
                    if target.output is None and compared.same():
                        raise _Same  # never rewrite a file whose bytes stay the same
                report.written = True
    except _Same:
        report.status = "unchanged"
    except BinaryFile as exc:
        report.status, report.message = "skipped", str(exc)
    except FileProblem as exc:
        report.status, report.message = "error", f"{exc}; nothing written" if isinstance(exc, _Undecodable) else str(exc)
    except OSError as exc:
        report.status, report.message = "error", f"{exc.filename or target.display}: {exc.strerror or exc}"
    except Exception as exc:  # a bug must cost one file, not the run
        report.status, report.message = "error", f"internal error: {type(exc).__name__}: {exc}"
    return report


class _Same(Exception):
    pass


def clean_large_stream(
    head: bytes, stream: BinaryIO, name: str, out: BinaryIO | None, diff_out: TextIO | None, config: Config, options: RunOptions
) -> FileReport:
    """Clean a plain text stream (stdin) block by block, as ``clean_large_file``
    cleans a file of the same bytes, writing each block's cleaned bytes to out
    (in diff mode, its diff to diff_out) as soon as it is cleaned.

    ``head`` is what was already read of the stream (at least its first
    READ_BYTES, unless it is shorter).  BinaryFile or FileProblem is raised
    when the start of the stream cannot be cleaned: nothing is written then.
    A problem further on (a byte that does not decode, safe mode refusing a
    block) cannot take back what was written: the report is an error whose
    message says after which input line the output stops.
    """
    from ..pipeline import UnsafeEdit

    report = FileReport(name, "unchanged")
    encoding = _settle_encoding(head[:READ_BYTES])
    if encoding.detected:
        report.encoding = encoding.codec
    reader = _Prefixed(head, encoding.bom_bytes, stream)
    written = _LinesDone(split_blocks(_decoded_chunks(reader, encoding), name))
    try:
        _clean_blocks(written, out, report, config, options, InProcess(), encoding, diff_out)
    except (FileProblem, UnsafeEdit) as exc:
        report.status = "error"
        report.message = f"{exc}; the output stops after input line {written.lines}" if out is not None else str(exc)
    report.bytes_in = reader.bytes_read
    return report


class _Prefixed:
    """A stream with the bytes already read from it put back in front; like a
    file's, a read returns all it is asked for unless the stream ends (the
    blocks of a stream are then those of a file of the same bytes)."""

    def __init__(self, head: bytes, start: int, stream: BinaryIO):
        self._head = memoryview(head)[start:]
        self._stream = stream
        self.bytes_read = len(head)

    def read(self, size: int) -> bytes:
        head = bytes(self._head[:size])
        self._head = self._head[len(head):]
        rest = read_fully(self._stream, size - len(head))
        self.bytes_read += len(rest)
        return head + rest


class _LinesDone:
    """Blocks as they are asked for, counting the input lines of those already
    handled (in this process, a block is written before the next is read)."""

    def __init__(self, blocks: Iterator[Block]):
        self._blocks = blocks
        self.lines = 0

    def __iter__(self) -> Iterator[Block]:
        for block in self._blocks:
            yield block
            if not block.joined:
                self.lines = block.first_line + block.text.count("\n") + len(block.separator)


class _Comparing:
    """Writes through to out, and tells whether what was written is the original's bytes."""

    def __init__(self, out: BinaryIO, original: BinaryIO):
        self._out = out
        self._original = original
        self._equal = True

    def write(self, data: bytes) -> None:
        self._out.write(data)
        if self._equal and self._original.read(len(data)) != data:
            self._equal = False

    def same(self) -> bool:
        return self._equal and not self._original.read(1)


def _clean_blocks(blocks, out, report: FileReport, config: Config, options: RunOptions, cleaner, encoding: _Encoding, diff_out=None) -> None:
    newline = encoding.newline if config.line_ending == "keep" else "\n"
    changed = encoding.bom_bytes > 0 or encoding.codec != "utf-8"
    for block, result in clean_in_order(blocks, Block.document, cleaner, config, options.want_edits):
        if block.joined:
            separator = block.separator
            cleaned = result.text[:-1] if result.text.endswith("\n") else result.text
            text = cleaned + separator
            if cleaned != block.text[:-1]:
                changed = True
        else:
            separator = _clean_separator(block.separator, config) if block.separator else ""
            text = result.text + separator
            if result.text != block.text or separator != block.separator:
                changed = True
        report.counts.update(result.counts)
        shift = block.first_line
        report.edits += [
            replace(e, line=e.line + shift, column=e.column + (block.first_column if e.line == 1 and e.column else 0))
            for e in result.edits
        ]
        report.notes += [replace(n, line=n.line + shift) for n in result.notes]
        if options.mode == "diff" and result.text != block.text:
            # one diff per changed block, named by the line where the block starts
            diff = unified_diff(f"{block.name}:{shift + 1}", block.text, result.text)
            if diff_out is not None:
                diff_out.write(diff)
                diff_out.flush()
            else:
                report.diff += diff
        if out is not None:
            out.write(encode(text, newline))
            if hasattr(out, "flush"):  # a filter's output: each block as soon as it is cleaned
                out.flush()
    if changed or (encoding.saw_cr and newline == "\n"):
        report.status = "changed"

