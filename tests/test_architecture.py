"""How the package holds together: imports one way, every default in one home.

- every module of cleaner imports on its own, in a fresh interpreter;
- no module imports a private name (``_name``) from another, and no import circle;
- every option a built-in rule uses is declared once, in its rule file: the
  fixer declares no default for it (a missing or unknown one is reported when
  the rule file loads);
- the list of stages is written once, every stage is a module or package of
  cleaner/stages declaring its fixers and its settings, and an unknown key
  under ``[tool.cleaner.<stage>]`` is an error for every stage.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.config import ConfigError, config_from_table
from cleaner.rules import STAGES, BuiltinRule, RuleFileError, load_rule_file, load_ruleset

PACKAGE = Path(__file__).resolve().parent.parent / "cleaner"


def _modules() -> dict[str, Path]:
    """Every module of cleaner by dotted name (a package by its __init__)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in a module, lazy ones too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            # "from . import words": the submodule itself is imported.
            submodules = [n for n in names if f"{target}.{n}" in MODULES]
            found += [(f"{target}.{n}", [], node.lineno) for n in submodules]
            found.append((target, [n for n in names if n not in submodules], node.lineno))
    return found


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    # All at once (each its own process): a module that imports only because
    # another was imported first fails here, whatever the test order.
    procs = {
        name: subprocess.Popen([sys.executable, "-c", f"import {name}"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        for name in MODULES
        if name != "cleaner.__main__"  # runs the command line when imported, by design
    }
    failed = {}
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=120)
        if proc.returncode:
            failed[name] = err.strip().splitlines()[-1:]
    assert len(MODULES) > 25 and not failed, failed


def test_no_module_imports_a_private_name_from_another():
    private = [
        f"{name}:{line}: {name_taken} from {target}"
        for name, path in MODULES.items()
        for target, names, line in _imports(name, path)
        for name_taken in names
        if target.startswith("cleaner") and name_taken.startswith("_") and not name_taken.startswith("__")
    ]
    assert not private, private


def _graph() -> dict[str, set[str]]:
    return {
        name: {target for target, _, _ in _imports(name, path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_circle():
    graph = _graph()
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))
    # The check finds a circle where there is one.
    assert _cycle({**graph, "cleaner.rules": graph["cleaner.rules"] | {"cleaner.pipeline"}})


def test_core_modules_import_no_stage():
    core = [name for name in MODULES if not name.startswith("cleaner.stages")]
    into_stages = {name: sorted(t for t in _graph()[name] if t.startswith("cleaner.stages")) for name in core}
    assert not any(into_stages.values()), into_stages


# --------------------------------------------------------------------------- one home for each default


def _settings_option_fields(settings_type) -> dict[str, dataclasses.Field]:
    """The option fields of a Settings dataclass, nested settings included."""
    hints = inspect.get_annotations(settings_type, eval_str=True)
    out = {}
    for f in dataclasses.fields(settings_type):
        kind = hints.get(f.name)
        if dataclasses.is_dataclass(kind):
            out.update((k, v) for k, v in _settings_option_fields(kind).items()
                       if k not in getattr(kind, "NOT_OPTIONS", ()))
        else:
            out[f.name] = f
    return out


# Options that are themselves a table of options for a helper of the fixer.
NESTED = {
    # (rule, option): (module, function, parameters before the options)
    ("boilerplate.page-edges", "article_end"): ("cleaner.stages.boilerplate.article_end", "article_end_line", 1),
    ("boilerplate.page-edges", "article_end.teaser_run"): ("cleaner.stages.boilerplate.article_end", "_dated_run", 2),
}


def _keyword_parameters(function, skip: int) -> dict[str, inspect.Parameter]:
    parameters = list(inspect.signature(function).parameters.values())[skip:]
    return {p.name: p for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}


BUILTINS = [r for r in load_ruleset().rules if isinstance(r, BuiltinRule)]


@pytest.mark.parametrize("rule", BUILTINS, ids=lambda r: r.id)
def test_each_option_a_rule_uses_is_declared_once_in_its_rule_file(rule):
    settings_type = getattr(rule.function, "settings_type", None)
    if settings_type is not None:
        fields = _settings_option_fields(settings_type)
        with_default = [name for name, f in fields.items()
                        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING]
        assert not with_default, f"{rule.id}: defaults in code for {with_default}"
        assert set(rule.options) == set(fields)
        return
    parameters = list(inspect.signature(rule.function).parameters.values())
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        # encoding.mojibake: its options are ftfy's TextFixerConfig, passed through.
        assert rule.id == "encoding.mojibake"
        return
    checks = [(rule.options, rule.function, 2, "")]
    seen = []
    while checks:
        options, function, skip, where = checks.pop()
        seen.append(where)
        named = _keyword_parameters(function, skip)
        with_default = [n for n, p in named.items() if p.default is not p.empty]
        assert not with_default, f"{rule.id} {where}: defaults in code for {with_default}"
        assert set(options) == set(named), f"{rule.id} {where}"
        for key, value in options.items():
            path = f"{where}.{key}" if where else key
            if (rule.id, path) in NESTED and isinstance(value, dict):
                module, name, before = NESTED[rule.id, path]
                checks.append((value, getattr(sys.modules[module], name), before, path))
    assert sorted(seen) == sorted([""] + [path for rid, path in NESTED if rid == rule.id])


def test_a_rule_file_missing_an_option_or_naming_an_unknown_one_is_reported(tmp_path):
    nav_runs = next(r for r in BUILTINS if r.id == "boilerplate.nav-runs")
    options = dict(nav_runs.options)
    del options["min_run_nav"]
    options["min_run_navs"] = 2
    rendered = ", ".join(f"{k} = {v!r}".replace("True", "true").replace("False", "false") for k, v in options.items())
    rule_file = tmp_path / "mine.toml"
    rule_file.write_text(
        '[[rule]]\nid = "boilerplate.my-nav-runs"\nkind = "builtin"\nfunction = "boilerplate.nav-runs"\n'
        'description = "Menus, with my settings."\n'
        'examples = [{ input = "a\\n", output = "b\\n" }]\n'
        f"options = {{ {rendered} }}\n",
        encoding="utf-8",
    )
    rules, problems = load_rule_file(rule_file)
    messages = [str(p) for p in problems]
    assert not rules
    assert any("options.min_run_nav: missing option" in m for m in messages), messages
    assert any("options.min_run_navs: unknown option" in m for m in messages), messages


def test_a_settings_rule_missing_an_option_is_reported(tmp_path):
    words = next(r for r in BUILTINS if r.id == "spelling.words")
    options = {k: v for k, v in words.options.items() if k != "margin"}
    rendered = ", ".join(f"{k} = {v!r}".replace("True", "true").replace("False", "false").replace("'", '"')
                         for k, v in options.items())
    rule_file = tmp_path / "mine.toml"
    rule_file.write_text(
        '[[rule]]\nid = "spelling.my-words"\nkind = "builtin"\nfunction = "spelling.words"\n'
        'description = "Words, with my settings."\n'
        'examples = [{ input = "recieved\\n", output = "received\\n" }]\n'
        f"options = {{ {rendered} }}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="missing option.*margin"):
        load_ruleset((str(rule_file),))


# --------------------------------------------------------------------------- stages


def test_the_stage_list_is_written_once():
    """Only rules.py spells out the stages; every other module imports STAGES."""
    spelled = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List)) and {
                e.value for e in node.elts if isinstance(e, ast.Constant)
            } >= set(STAGES):
                spelled.append(f"{name}:{node.lineno}")
    assert spelled == ["cleaner.rules:" + spelled[0].split(":")[1]] and len(spelled) == 1, spelled


def test_every_stage_is_a_module_or_package_with_fixers_and_settings():
    import importlib

    folder = PACKAGE / "stages"
    found = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    found |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(STAGES), "every module or package of cleaner/stages is a stage (helpers go inside one)"
    for stage in STAGES:
        module = importlib.import_module(f"cleaner.stages.{stage}")
        assert isinstance(module.FIXERS, dict) and isinstance(module.OPTIONS, dict), stage
        assert all(key.startswith(f"{stage}.") for key in module.FIXERS), stage


@pytest.mark.parametrize("stage", STAGES)
def test_an_unknown_setting_under_a_stage_is_an_error(stage, tmp_path):
    config_file = tmp_path / "cleaner.toml"
    with pytest.raises(ConfigError, match=f"unknown setting {stage}.'no-such-key'"):
        config_from_table({stage: {"no-such-key": 1}}, config_file)
