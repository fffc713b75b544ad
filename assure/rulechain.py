"""Rules files that extend another one (``extend: default`` or ``extend: other.yaml``).

A team keeps its own phrases in a small file instead of a copy of the built-in rules.yaml:
the file names the rules it extends and only adds or replaces entries. The chain is read
base first and merged into one mapping shaped like a standalone rules file, so the rest of
the loader (cross-checks, the typed model) does not know a chain was involved. Each merged
entry remembers the file and key path it came from, so an error names the file a user
must edit rather than the file at the end of the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assure.errors import ConfigError, ConfigProblems, Problem
from assure.patterns import check_patterns
from assure.resources import default_rules_path
from assure.validation import Problems, read_yaml, read_yaml_located, rule_owner

DEFAULT = "default"  # extend: default is the built-in rules.yaml
BY_ID = ("rules", "exclusions")  # lists of entries with an id: same id replaces, new id appends
KEYED = ("places", "scoring", "questions", "lemma_overrides", "corroboration", "confidence")  # merged key by key
APPENDED = ("commitment_sections",)  # lists of phrases: appended, without repeats
CONTEXT_LISTS = ("terminators", "pseudo", "out_of_scope_sections")


@dataclass
class MergedRules:
    """The merged mapping, the files it came from (base first) and where each entry was written."""

    data: dict[str, Any]
    files: list[Path]
    # merged key path ("rules[12]", "signals.owner", "context.cues[40]") -> (file, key path in that file)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def origin(self, where: str) -> tuple[str, str]:
        """The file and key path in it of the entry at merged key path ``where``."""
        return origin_of(self.origins, where, str(self.files[-1]))

    def entry_origins(self) -> dict[str, tuple[str, str]]:
        """Where each rule, exclusion, signal and cue was written, by the names the matcher
        compiler gives them ("rule Q04.x", "signal owner", "context.cues[40]"); empty for a
        standalone file, whose entries all come from it."""
        if len(self.files) < 2:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for key, label in (("rules", "rule"), ("exclusions", "exclusion")):
            for i, entry in enumerate(self.data.get(key, [])):
                out[f"{label} {entry['id']}"] = (self.origin(f"{key}[{i}]")[0], f"{label} {entry['id']}")
        for name in self.data.get("signals", {}):
            out[f"signal {name}"] = (self.origin(f"signals.{name}")[0], f"signal {name}")
        for i in range(len(self.data.get("context", {}).get("cues", []))):
            out[f"context.cues[{i}]"] = self.origin(f"context.cues[{i}]")
        return out

    def blame(self, exc: ConfigError) -> ConfigError:
        """``exc`` (raised about the merged data, ``KEY.PATH: message``) naming the file the
        offending entry came from; unchanged for a standalone file."""
        if len(self.files) < 2 or ": " not in exc.message:
            return exc
        where, message = exc.message.split(": ", 1)
        file, at = self.origin(where)
        return ConfigError(f"{at}: {message}", path=file)


def origin_of(origins: dict[str, tuple[str, str]], where: str, default: str) -> tuple[str, str]:
    """The file and name in it of the entry ``where`` names, by its longest recorded prefix
    (``rules[3].near`` by ``rules[3]``); ``default`` and ``where`` unchanged when none is."""
    best = ""
    for key in origins:
        if len(key) > len(best) and (where == key or where.startswith((key + ".", key + "["))):
            best = key
    if not best:
        return default, where
    file, at = origins[best]
    return file, at + where[len(best) :]


def _missing_parent(parent: str, following: Path) -> str:
    """Why ``extend: parent`` leads nowhere, with the likely fix."""
    if following.is_dir():
        return f"{parent} is a folder ({following}); extend names a rules file, or default"
    import difflib

    hint = "; did you mean default?" if difflib.get_close_matches(parent.lower(), [DEFAULT], n=1, cutoff=0.6) else ""
    return f"{parent}: rules file not found ({following}){hint}"


def read_chain(path: Path, schema_problems: list[Problem] | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """The rules file and every file it extends, base first; each checked against the schema.

    A cycle is an error naming the files in it. With ``schema_problems``, a file's schema
    problems are added to it and the chain is read on, so the merged rules can still be
    cross-checked and every problem listed at once; without it they are raised."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: list[Path] = []
    current = path
    while True:
        resolved = current.resolve()
        if resolved in seen:
            loop = [str(p) for p, _ in chain[seen.index(resolved) :]] + [str(current)]
            raise ConfigError(f"extend: cycle: {' -> '.join(loop)}", path=str(chain[-1][0]))
        seen.append(resolved)
        data, positions = read_yaml_located(current)
        if not isinstance(data, dict):
            raise ConfigError("expected a mapping at the top level", path=str(current))
        found = Problems(str(current), positions, owner=rule_owner(data))
        found.add_schema_errors(data, "rules.schema.json")
        if found.found and not built_in(current):  # listed with the schema's problems (else after the cross-checks)
            check_patterns(data, found)
        if schema_problems is None:
            found.raise_any()
        else:
            schema_problems.extend(found.found)
            found.found.clear()
        chain.append((current, data))
        extended = _extended(current, data)
        if extended is None:
            return chain[::-1]
        parent, following = extended
        if not following.is_file():
            found.add(["extend"], _missing_parent(parent, following))  # at the extend: key's line and column
            raise ConfigProblems([*(schema_problems or []), *found.found])  # the chain stops here
        current = following


def _extended(current: Path, data: dict[str, Any]) -> tuple[str, Path] | None:
    """The ``extend:`` value of ``current``'s rules and the file it names (``default``: the
    built-in rules; a path: beside ``current``), or None when it extends nothing."""
    parent = data.get("extend")
    if parent is None:
        return None
    name = str(parent).strip()
    return name, default_rules_path() if name == DEFAULT else current.parent / name


def built_in(path: Path) -> bool:
    """Whether ``path`` is the rules.yaml that ships with assure."""
    return path.resolve() == default_rules_path().resolve()


def merge_chain(chain: list[tuple[Path, dict[str, Any]]]) -> MergedRules:
    """One mapping from the chain, each file merged over the ones it extends (docs/rule-authoring.md)."""
    merged = MergedRules({}, [p for p, _ in chain])
    for path, data in chain:
        _merge_file(merged, str(path), data)
    return merged


def _merge_file(merged: MergedRules, file: str, data: dict[str, Any]) -> None:
    out, origins = merged.data, merged.origins
    for key, value in data.items():
        if key == "extend":
            continue
        origins.setdefault(key, (file, key))
        if key in BY_ID:
            entries: list[dict[str, Any]] = out.setdefault(key, [])
            earlier = len(entries)  # only an earlier file's entry is replaced: a repeat within one file stays an error
            mine: set[str] = set()
            for k, entry in enumerate(value):
                index = len(entries)
                if entry["id"] not in mine:
                    index = next((i for i, old in enumerate(entries[:earlier]) if old["id"] == entry["id"]), index)
                mine.add(entry["id"])
                if index == len(entries):
                    entries.append(entry)
                else:
                    entries[index] = entry
                origins[f"{key}[{index}]"] = (file, f"{key}[{k}]")
        elif key == "signals" or key in KEYED:
            for name, entry in value.items():
                out.setdefault(key, {})[name] = entry
                origins[f"{key}.{name}"] = (file, f"{key}.{name}")
        elif key in APPENDED:
            out[key] = _appended(out.get(key, []), value)
        elif key == "context":
            _merge_context(merged, file, value)
        else:  # version, relevance: the later file's value replaces
            out[key] = value
            origins[key] = (file, key)


def _merge_context(merged: MergedRules, file: str, context: dict[str, Any]) -> None:
    out: dict[str, Any] = merged.data.setdefault("context", {})
    for key, value in context.items():
        if key == "cues":
            cues: list[dict[str, Any]] = out.setdefault("cues", [])
            for k, cue in enumerate(value):
                merged.origins[f"context.cues[{len(cues)}]"] = (file, f"context.cues[{k}]")
                cues.append(cue)
        elif key in CONTEXT_LISTS:
            out[key] = _appended(out.get(key, []), value)
        else:  # enumerations: key by key
            out.setdefault(key, {}).update(value)
            merged.origins[f"context.{key}"] = (file, f"context.{key}")


def _appended(old: list[Any], new: list[Any]) -> list[Any]:
    return [*old, *(item for item in new if item not in old)]


def chain_files(path: Path) -> list[Path]:
    """Every file of ``path``'s chain, as far as it can be read: inputs an output must never
    overwrite. Only the ``extend:`` keys are followed, with no schema check (a broken chain is
    reported when the rules load), so guarding the outputs costs a parse, not a validation."""
    files: list[Path] = []
    current = path
    while current.resolve() not in {f.resolve() for f in files}:
        files.append(current)
        try:
            data = read_yaml(current)
        except ConfigError:
            break
        extended = _extended(current, data) if isinstance(data, dict) else None
        if extended is None or not extended[1].is_file():
            break
        current = extended[1]
    return files


def load_rules_data(path: Path, schema_problems: list[Problem] | None = None) -> MergedRules:
    """Read ``path`` and every file it extends into one merged mapping (``schema_problems``:
    see :func:`read_chain`)."""
    return merge_chain(read_chain(path, schema_problems))
