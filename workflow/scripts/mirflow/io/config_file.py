"""Config files read strictly: a YAML syntax error named by file, line and column, and a key
given twice in one mapping refused (YAML keeps the last silently: ``covariates: [age]`` then
``covariates: []`` would drop the covariate without a word)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mirflow.errors import InputError


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses a key given twice in one mapping."""


class _Duplicate(Exception):
    """A key given twice: the key, where it is again and where it was first (0-based lines)."""

    def __init__(self, key: Any, mark: yaml.Mark, first: yaml.Mark) -> None:
        super().__init__(key)
        self.key, self.mark, self.first = key, mark, first


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _Duplicate(key, key_node.start_mark, seen[key].start_mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_config_file(path: str | Path) -> Any:
    """A YAML (or JSON) config file; a syntax error or a duplicated key is an
    :class:`InputError` naming the file, the line and the column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot be read ({error})", "check the path given to --configfile") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _Duplicate as twice:
        raise InputError(
            path,
            f"the key '{twice.key}' is given twice in one section (first at line {twice.first.line + 1}): "
            "YAML would silently keep only the last",
            f"keep one '{twice.key}:' in that section",
            where=f"line {twice.mark.line + 1}, column {twice.mark.column + 1}",
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = " ".join(filter(None, [error.context, error.problem]))
        raise InputError(
            path,
            f"is not valid YAML: {problem}",
            "fix the line (indent with spaces, not tabs; put text with ':' or '#' in quotes)",
            where=where,
        ) from None
