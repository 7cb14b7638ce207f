"""Which config file applies to a path, and the settings and rules in force there."""

from __future__ import annotations

import json
from pathlib import Path

from .config import Config, config_for, find_config_file
from .pipeline import select_rules
from .rules import load_ruleset


def _value(value: object) -> str:
    """A setting's value written as TOML (strings, lists of strings, booleans, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_value(v)}" for k, v in value) + " }"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def describe_config(path: Path, explicit: Path | None = None, config: Config | None = None) -> str:
    """Lines naming the config file that applies to path and every setting in force.

    ``config`` (the settings with command-line flags applied) defaults to the
    file's own settings.  Raises ConfigError or RuleFileError as a run would.
    """
    file = explicit.resolve() if explicit is not None else find_config_file(path)
    config = config or config_for(path, explicit)
    if file is None:
        lines = [f"# {path}: no cleaner.toml or pyproject.toml with [tool.cleaner] applies; built-in defaults"]
    else:
        lines = [f"# {path}: settings from {file}"]
    if config.select is None:
        lines.append("# select: not set (the rules on by default)")
    else:
        lines.append(f"select = {_value(config.select)}")
    lines.append(f"ignore = {_value(config.ignore)}")
    lines.append(f"extend-rules = {_value(config.extend_rules)}")
    lines.append(f"line-ending = {_value(config.line_ending)}")
    lines.append(f"include = {_value(config.include)}")
    lines.append(f"exclude = {_value(config.exclude)}")
    for stage, items in config.stage_options:
        lines.append(f"[{stage}]")
        for key, value in items:
            if key.endswith(("-file", "-files")):
                lines.append(f"# {key}: {len(value)} lines read")
            else:
                lines.append(f"{key} = {_value(value)}")
    rules = select_rules(load_ruleset(config.extend_rules), config)
    lines.append(f"# {len(rules)} rules in force, in running order:")
    lines += [f"#   {rule.id}" for rule in rules]
    return "\n".join(lines) + "\n"
