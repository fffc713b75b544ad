"""The start-up cache (assure.startcache): a warm compile is the cold one, an edited rule or a
damaged entry is a miss, the cache can be switched off, and it is written only where it belongs."""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assure import startcache
from assure.engine import CompiledRules

TEXT = (
    "The council will fund 300 home adaptations through the Disabled Facilities Grant by March 2026. "
    "We may review warm homes support for people living with dementia, led by the Head of Housing. "
    "It offers home hazard checks; 10% of new homes will be wheelchair accessible."
)


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of its own, the cache switched on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(startcache.DISABLE_VARIABLE, raising=False)
    return tmp_path / "xdg" / "assure" / "startup"


def _entries(folder: Path, kind: str = "compiled") -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.bin")) if folder.is_dir() else []


def _state(compiled: CompiledRules) -> tuple[Any, ...]:
    """Everything a compile hands the checks, and what its matchers find in TEXT."""
    doc = compiled.nlp(TEXT)
    sentences = [(s.start, s.end) for s in doc.sents]
    return (
        [(a, len(m)) for a, m in compiled.token_groups],
        compiled.token_patterns,
        compiled.unanchored_patterns,
        compiled.anchor_words,
        compiled.hit_words,
        compiled.relevance_words,
        compiled.matches(doc),
        compiled.matches(doc, sentences),
    )


def test_a_warm_compile_is_the_cold_one(ruleset: Any, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _state(CompiledRules(ruleset))
    [entry] = _entries(cache_home)
    warm = _state(CompiledRules(ruleset))
    assert os.stat(entry).st_mtime_ns == os.stat(_entries(cache_home)[0]).st_mtime_ns  # read, not rewritten
    monkeypatch.setenv(startcache.DISABLE_VARIABLE, "1")
    uncached = _state(CompiledRules(ruleset))
    assert warm == cold == uncached


def test_an_edited_rule_is_a_miss_and_takes_effect(ruleset: Any, cache_home: Path) -> None:
    CompiledRules(ruleset)
    assert len(_entries(cache_home)) == 1
    rule = next(r for r in ruleset.rules if r.kind == "phrase" and r.terms)
    edited_rule = dataclasses.replace(rule, matchers=dataclasses.replace(rule.matchers, terms=(*rule.terms, "zyxwv quokka")))
    edited = dataclasses.replace(ruleset, rules=tuple(edited_rule if r is rule else r for r in ruleset.rules))
    compiled = CompiledRules(edited)
    assert len(_entries(cache_home)) == 2  # its own entry; the first is still there for the old rules
    assert compiled.hit_words is None or "quokka" in compiled.hit_words
    doc = compiled.nlp("Every zyxwv quokka counts.")
    assert any(m.name == rule.id for m in compiled.matches(doc))
    assert not any(m.name == rule.id for m in CompiledRules(ruleset).matches(compiled.nlp("Every zyxwv quokka counts.")))


def test_edited_lemma_overrides_are_a_miss(ruleset: Any, cache_home: Path) -> None:
    CompiledRules(ruleset)
    CompiledRules(dataclasses.replace(ruleset, lemma_overrides={**ruleset.lemma_overrides, "quokkas": "quokka"}))
    assert len(_entries(cache_home)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-10] + bytes(10),  # payload changed: its digest no longer agrees
        lambda data: b"not a cache entry at all\n" * 10,
        lambda data: data.replace(startcache.FORMAT, b"assure-start-cache 999\n", 1),
    ],
)
def test_a_damaged_entry_is_ignored_and_replaced(ruleset: Any, cache_home: Path, damage: Any) -> None:
    cold = _state(CompiledRules(ruleset))
    for entry in [*_entries(cache_home), *_entries(cache_home, "lemmas")]:
        entry.write_bytes(damage(entry.read_bytes()))
    assert _state(CompiledRules(ruleset)) == cold
    [entry] = _entries(cache_home)
    key = entry.read_bytes().split(b"\n")[1].decode()
    assert startcache.load("compiled", key) is not None  # written again, whole


def test_an_entry_of_the_wrong_shape_is_a_miss(ruleset: Any, cache_home: Path) -> None:
    cold = _state(CompiledRules(ruleset))
    [entry] = _entries(cache_home)
    key = entry.read_bytes().split(b"\n")[1].decode()
    startcache.store("compiled", key, ([], {}, False, frozenset(), None, None))  # intact, but not these rules'
    assert _state(CompiledRules(ruleset)) == cold


def test_switched_off_nothing_is_read_or_written(ruleset: Any, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(startcache.DISABLE_VARIABLE, "1")
    CompiledRules(ruleset)
    assert not cache_home.exists()
    assert startcache.folder() is None


def test_an_unwritable_folder_is_silent(ruleset: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(startcache.DISABLE_VARIABLE, raising=False)
    CompiledRules(ruleset)  # no error
    assert blocker.read_text() == "a file where the cache folder would go"


def test_entries_are_whole_private_and_few(cache_home: Path) -> None:
    for i in range(12):
        startcache.store("probe", startcache.digest(str(i)), {"i": i})
    names = os.listdir(cache_home)
    assert len(names) == 8  # pruned to the newest few; no temporary file left behind
    assert all(n.startswith("probe-") and n.endswith(".bin") for n in names)
    assert stat.S_IMODE(os.stat(cache_home).st_mode) == 0o700
    assert startcache.load("probe", startcache.digest("11")) == {"i": 11}
    assert startcache.load("probe", startcache.digest("0")) is None


def test_a_non_file_entry_is_a_miss(cache_home: Path) -> None:
    key = startcache.digest("fifo")
    cache_home.mkdir(parents=True)
    os.mkfifo(cache_home / f"probe-{key[:40]}.bin")
    assert startcache.load("probe", key) is None  # not opened for a blocking read


def test_the_folder_is_the_users_never_the_project(tmp_path: Path) -> None:
    """A relative $XDG_CACHE_HOME is ignored (the XDG rule), so a check run in a project folder
    never writes there; the default is ~/.cache/assure/startup."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": "relative"}
    env.pop(startcache.DISABLE_VARIABLE, None)
    probe = "from assure.startcache import folder; print(folder())"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env, cwd=tmp_path)
    assert out.stdout.strip() == str(tmp_path / "home" / ".cache" / "assure" / "startup")


def test_a_bad_pattern_is_still_named_with_a_warm_cache(ruleset: Any, cache_home: Path) -> None:
    """A cache hit skips checking the patterns it saw compile; a new, bad one is a miss and named."""
    from assure.errors import ConfigError

    CompiledRules(ruleset)
    rule = next(r for r in ruleset.rules if r.patterns)
    bad = dataclasses.replace(rule, matchers=dataclasses.replace(rule.matchers, patterns=(*rule.patterns, ({"LOWER": {"NOT_AN_OP": 1}},))))
    broken = dataclasses.replace(ruleset, rules=tuple(bad if r is rule else r for r in ruleset.rules))
    with pytest.raises(ConfigError, match=rf"patterns\[{len(rule.patterns)}\]: invalid spaCy pattern"):
        CompiledRules(broken)
