"""Configuration: defaults < pyproject.toml / cleaner.toml < command-line flags.

One frozen ``Config`` object carries every setting, so a worker process gets
the same settings as the parent by pickling one value.  Keys in files are the
kebab-case names of the fields (``line-ending``, ``extend-rules``); in
``pyproject.toml`` they live under ``[tool.cleaner]``, in ``cleaner.toml`` at
the top level.  When both files sit in one folder, ``cleaner.toml`` wins, and
the file nearest to the input wins over files further up, as in ruff.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .rules import STAGES, not_utf8
from .suggest import did_you_mean

DEFAULT_INCLUDE = (
    "*.txt", "*.text", "*.md", "*.markdown",
    # corpus shards: one document per record (cleaner/corpus)
    "*.jsonl", "*.jsonl.gz", "*.jsonl.zst", "*.json.gz", "*.json.zst", "*.parquet",
)
LINE_ENDINGS = ("lf", "keep")


class ConfigError(Exception):
    """A setting that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Config:
    # Rule ids or stage names to run; None means every rule enabled by default.
    select: tuple[str, ...] | None = None
    # Rule ids or stage names never to run.
    ignore: tuple[str, ...] = ()
    # Extra rule files, run after the built-in rules of their stage.
    extend_rules: tuple[str, ...] = ()
    # "lf" writes LF line endings; "keep" writes the file's own (CRLF or CR).
    line_ending: str = "lf"
    # Globs for files found by walking folders (files named directly always run).
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    # Corpus shards (JSONL, Parquet): the field holding a record's text (a
    # dotted path reaches a nested field), the field naming a record in
    # reports (None: shard:LINE), and the field --annotate adds (None: none).
    text_field: str = "text"
    id_field: str | None = None
    annotate: str | None = None
    # Per-stage settings, e.g. {"spelling": {"protected-words": (...)}}.
    stage_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    # The config file these settings came from, if any (for messages).
    source: str | None = None

    def __post_init__(self) -> None:
        _check_library_values(self)

    def options_for(self, stage: str) -> dict[str, Any]:
        for name, items in self.stage_options:
            if name == stage:
                return dict(items)
        return {}

    def with_overrides(self, **overrides: Any) -> "Config":
        """Flags override file settings; None means 'not given'."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **given)


_FIELD_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name not in ("source", "stage_options")}
_STRING_KEYS = ("text_field", "id_field", "annotate")


def _as_tuple(value: Any, key: str, file: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{file}: {key}: expected a string or a list of strings")


def stage_option_keys(stage: str) -> dict[str, str]:
    """The settings a stage reads from [tool.cleaner.<stage>]: ``OPTIONS`` of its
    module, which every stage declares (an empty one when it reads none)."""
    import importlib

    module = importlib.import_module(f"cleaner.stages.{stage}")
    return module.OPTIONS


def _read_lines(names: tuple[str, ...], base: Path, key: str, file: Path) -> tuple[str, ...]:
    lines: list[str] = []
    for name in names:
        path = base / name
        try:
            lines += path.read_bytes().decode("utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{file}: {key}: cannot read {path}: {not_utf8(exc)}") from None
        except OSError as exc:
            raise ConfigError(f"{file}: {key}: cannot read {path}: {exc.strerror or exc}") from None
    return tuple(lines)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


def config_from_table(table: dict[str, Any], file: Path) -> Config:
    """Build a Config from a [tool.cleaner] table; paths are relative to the file."""
    base = file.parent
    values: dict[str, Any] = {}
    stage_options: list[tuple[str, Any]] = []
    for key, value in table.items():
        if key in STAGES and isinstance(value, dict):
            known_options = stage_option_keys(key)
            for opt in value:
                if opt not in known_options:
                    known = ", ".join(sorted(known_options)) or "none"
                    hint = did_you_mean(opt, known_options)
                    raise ConfigError(f"{file}: unknown setting {key}.{opt!r}{hint} (known: {known})")
                check_stage_value(key, opt, value[opt], file)
            # Files named by -file/-files keys (word lists and the like) are read
            # here, once, so that stages never do I/O: they get the lines.
            resolved = {}
            for opt, v in value.items():
                if opt.endswith(("-file", "-files")):
                    resolved[opt] = _read_lines(_as_tuple(v, f"{key}.{opt}", file), base, f"{key}.{opt}", file)
                else:
                    resolved[opt] = v
            stage_options.append((key, _freeze(resolved)))
            continue
        name = _FIELD_KEYS.get(key)
        if name is None:
            known = ", ".join(sorted(_FIELD_KEYS))
            hint = did_you_mean(key, list(_FIELD_KEYS) + list(STAGES))
            raise ConfigError(f"{file}: unknown setting {key!r}{hint} (known: {known})")
        if isinstance(value, dict):
            raise ConfigError(f"{file}: {key}: expected a string or a list of strings, not a table")
        if name == "line_ending":
            if value not in LINE_ENDINGS:
                raise ConfigError(f"{file}: line-ending: expected one of {', '.join(LINE_ENDINGS)}")
            values[name] = value
        elif name in _STRING_KEYS:
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{file}: {key}: expected a non-empty string")
            values[name] = value
        elif name == "extend_rules":
            values[name] = tuple(str((base / p).resolve()) for p in _as_tuple(value, key, file))
        else:
            values[name] = _as_tuple(value, key, file)
    return Config(**values, stage_options=tuple(stage_options), source=str(file))


def _read_toml(file: Path) -> dict[str, Any]:
    import tomllib  # only a run that finds a config file reads one

    try:
        with open(file, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: {not_utf8(exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None


def load_config_file(file: Path) -> Config:
    data = _read_toml(file)
    if file.name == "pyproject.toml":
        table = _tool_table(data).get("cleaner", {})
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.cleaner] must be a table")
    return config_from_table(table, file)


def _config_file_in(folder: Path) -> Path | None:
    candidate = folder / "cleaner.toml"
    if candidate.is_file():
        return candidate
    candidate = folder / "pyproject.toml"
    if candidate.is_file():
        if "cleaner" in _tool_table(_read_toml(candidate)):
            return candidate
    return None


def _tool_table(pyproject: dict[str, Any]) -> dict[str, Any]:
    """A pyproject.toml's [tool] table; a ``tool`` that is not a table holds no settings of ours."""
    tool = pyproject.get("tool", {})
    return tool if isinstance(tool, dict) else {}


# Folder -> its resolved path, and folder -> the config file nearest to it.
# Both are filled walking up a tree once: a folder below a known one costs one
# lstat and one or two stats of its own, not one lstat per component of its
# path (Path.resolve) for every folder, which was cubic in the depth of a tree
# (985 folders deep: 10 s of system time).
_RESOLVED: dict[Path, Path] = {}
_NEAREST: dict[Path, Path | None] = {}
_REMEMBERED = 4096  # folders; both maps start again beyond this


def _resolved_folder(path: Path) -> Path:
    """``path.resolve()``, reusing what is known of its ancestors."""
    path = path.absolute()
    if len(_RESOLVED) > _REMEMBERED:
        _RESOLVED.clear()
    below: list[Path] = []
    folder = path
    while folder not in _RESOLVED:
        if folder.parent == folder or folder.name == "..":
            _RESOLVED[folder] = folder.resolve()
            break
        below.append(folder)
        folder = folder.parent
    resolved = _RESOLVED[folder]
    for folder in reversed(below):
        resolved = resolved / folder.name
        try:
            link = stat.S_ISLNK(os.lstat(resolved).st_mode)
        except OSError:  # as Path.resolve: missing, unreadable, too long: taken as it is
            link = False
        if link:
            resolved = resolved.resolve()
        _RESOLVED[folder] = resolved
    return resolved


def _nearest_config_file(folder: Path) -> Path | None:
    """The config file in folder or the nearest folder above it (folder is resolved)."""
    if len(_NEAREST) > _REMEMBERED:
        _NEAREST.clear()
    below: list[Path] = []
    found = None
    while folder not in _NEAREST:
        below.append(folder)
        found = _config_file_in(folder)
        if found is not None or folder.parent == folder:
            break
        folder = folder.parent
    else:
        found = _NEAREST[folder]
    for folder in below:
        _NEAREST[folder] = found
    return found


def find_config_file(start: Path) -> Path | None:
    """The config file nearest to a file or folder, searching upwards."""
    start = _resolved_folder(start)
    folder = start if start.is_dir() else start.parent
    return _nearest_config_file(folder)


@lru_cache(maxsize=256)
def _load_cached(file: Path) -> Config:
    return load_config_file(file)


def config_for(path: Path, explicit: Path | None = None) -> Config:
    """The settings that apply to path: an explicit file, else the nearest one, else defaults."""
    if explicit is not None:
        return _load_cached(explicit.resolve())
    file = find_config_file(path)
    return _load_cached(file) if file else Config()


# --------------------------------------------------------------------------- value checks
# Values are checked for type as keys are checked for spelling: a value of the
# wrong type is one config error naming the file and key, before any file is
# cleaned, never a setting silently read another way (``fuzzy = "false"`` is a
# true string) nor an error in every file's stage.

_STRINGS = "a string or a list of strings"
# Stage settings that are not file names (those are read as lines), by type.
_STAGE_VALUE_TYPES: dict[str, str] = {
    "fuzzy": "bool",
    "protected-words": "strings",
    "corrections": "string table",
    "protected-patterns": "regexes",
}


def check_stage_value(stage: str, key: str, value: Any, file: Path) -> None:
    """Raise ConfigError when [tool.cleaner.<stage>] key = value has the wrong type."""
    where = f"{file}: {stage}.{key}"
    if key.endswith(("-file", "-files")):
        _as_tuple(value, f"{stage}.{key}", file)
        return
    kind = _STAGE_VALUE_TYPES.get(key)
    if kind == "bool" and not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, not {_toml_repr(value)}")
    if kind in ("strings", "regexes"):
        items = _as_tuple(value, f"{stage}.{key}", file)
        if kind == "regexes":
            import re

            for pattern in items:
                try:
                    re.compile(pattern)
                    re.compile(f"(?:{pattern})")  # as the stage uses it: one alternative of a larger regex
                except re.error as exc:
                    raise ConfigError(f"{where}: bad regex {pattern!r}: {exc}") from None
    if kind == "string table":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise ConfigError(f"{where}: expected a table of strings (typo = \"correction\")")


def _toml_repr(value: Any) -> str:
    if isinstance(value, str):
        return f'the string "{value}"'
    return f"{type(value).__name__} {value!r}"


_LIST_FIELDS = ("select", "ignore", "extend_rules", "include", "exclude")


def _check_library_values(config: Config) -> None:
    """Config(...) from code: a list is taken for a tuple, a wrong type is a TypeError."""
    for name in _LIST_FIELDS:
        value = getattr(config, name)
        if value is None and name == "select":
            continue
        if isinstance(value, str):
            value = (value,)
        elif isinstance(value, list):
            value = tuple(value)
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"Config({name}=...) wants a list of strings, not {value!r}")
        object.__setattr__(config, name, value)
    if config.line_ending not in LINE_ENDINGS:
        raise ValueError(f"Config(line_ending=...) wants one of {', '.join(LINE_ENDINGS)}, not {config.line_ending!r}")
