"""The result cache: keys, round trips, corrupt entries, and re-running after an edit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assure.batch import BatchOptions, run_batch
from assure.cache import ResultCache, cache_key, result_from_dict, result_to_dict
from assure.discover import content_hash, discover_documents
from assure.extract import ExtractOptions
from assure.report.json import render
from assure.runner import CheckOptions, check_file, error_result

ROOT = Path(__file__).resolve().parents[1]
PLAN = ("# Joint health and wellbeing strategy\n\nThe council will fund a warm homes service to reduce fuel poverty "
        "and excess winter deaths, led by the housing team, with a target of 500 homes a year.\n\n"
        "Health and wellbeing of older people in cold homes is a priority.\n")



def write_plans(folder: Path, n: int = 3) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"plan{i}.md"
        p.write_text(PLAN + f"\nPlan number {i} for the borough.\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def test_round_trip_keeps_everything(ruleset) -> None:  # noqa: ANN001
    result = check_file(str(ROOT / "samples" / "mixed.pdf"), ruleset, CheckOptions())
    assert any(q.candidates for q in result.questions)
    back = result_from_dict(json.loads(json.dumps(result_to_dict(result))))
    assert back == result


def test_round_trip_keeps_a_not_applicable_result_and_its_count(ruleset, tmp_path: Path) -> None:  # noqa: ANN001
    """Regression: the (found, needed) count came back as a list, so the entry failed its type
    check and a not-applicable document was re-checked on every run."""
    from assure.typecheck import dataclass_conforms

    draft = tmp_path / "parking.md"
    draft.write_text("# Car parking\n\nThe car park opens at 8am. Our GP surgery has a car park.\n", encoding="utf-8")
    result = check_file(str(draft), ruleset, CheckOptions())
    assert result.health_sentences == (1, 2)
    back = result_from_dict(json.loads(json.dumps(result_to_dict(result))))
    assert back == result and dataclass_conforms(back)


def test_key_depends_on_content_rules_and_options(ruleset) -> None:  # noqa: ANN001
    base = cache_key("a" * 64, ruleset, CheckOptions())
    assert base == cache_key("a" * 64, ruleset, CheckOptions())
    assert base != cache_key("b" * 64, ruleset, CheckOptions())
    assert base != cache_key("a" * 64, ruleset, CheckOptions(screen=False))
    assert base != cache_key("a" * 64, ruleset, CheckOptions(extract=ExtractOptions(pdf_engine="pdfplumber")))
    assert base != cache_key("a" * 64, ruleset, CheckOptions(extract=ExtractOptions(password="secret")))
    assert base != cache_key("a" * 64, ruleset.select(["Q1"]), CheckOptions())
    assert base != cache_key("a" * 64, dataclasses.replace(ruleset, fingerprint="0" * 16), CheckOptions())


def test_put_get_replaces_path_and_skips_errors(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    cache = ResultCache(tmp_path / "c")
    result = check_file(write_plans(tmp_path / "docs", 1)[0], ruleset)
    key = cache_key(content_hash(result.path), ruleset, CheckOptions())
    assert cache.get(key, "x") is None and cache.misses == 1
    assert cache.put(key, result)
    got = cache.get(key, "elsewhere/renamed.md")
    assert got == dataclasses.replace(result, path="elsewhere/renamed.md")
    assert not cache.put("f" * 64, error_result("bad.pdf", "timeout", "slow"))
    assert not list((tmp_path / "c").rglob("ff*.json"))
    assert not list((tmp_path / "c").rglob("*.tmp"))  # atomic writes leave nothing behind


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": "other", "result": {}}', b"\xff\xfe\x00garbage",
                                    b'{"key": "KEY", "result": {"path": 1}}'])
def test_corrupt_entry_is_ignored(tmp_path: Path, ruleset, damage: bytes) -> None:  # noqa: ANN001
    cache = ResultCache(tmp_path / "c")
    result = check_file(write_plans(tmp_path / "docs", 1)[0], ruleset)
    key = cache_key(content_hash(result.path), ruleset, CheckOptions())
    cache.put(key, result)
    entry = next((tmp_path / "c").rglob(f"{key}.json"))
    entry.write_bytes(damage.replace(b"KEY", key.encode()))
    assert cache.get(key, result.path) is None
    assert cache.ignored == 1


def test_rerun_after_editing_one_plan_only_reprocesses_it(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    paths = write_plans(tmp_path / "docs", 3)
    opts = BatchOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    d = discover_documents([str(tmp_path / "docs")])
    first = run_batch(d.files, ruleset, batch=opts, hashes=d.hashes)
    assert (first.cache_hits, first.checked) == (0, 3)
    second = run_batch(d.files, ruleset, batch=opts, hashes=d.hashes)
    assert (second.cache_hits, second.checked) == (3, 0)
    assert render(second.report) == render(first.report)
    Path(paths[1]).write_text(PLAN.replace("warm homes service", "damp and mould service") + "\nEdited.\n", encoding="utf-8")
    d = discover_documents([str(tmp_path / "docs")])
    third = run_batch(d.files, ruleset, batch=opts, hashes=d.hashes)
    assert (third.cache_hits, third.checked) == (2, 1)
    uncached = run_batch(d.files, ruleset, batch=BatchOptions(jobs=1))
    assert render(third.report) == render(uncached.report)


def test_corrupt_entry_is_recomputed_and_rewritten(tmp_path: Path, ruleset) -> None:  # noqa: ANN001
    paths = write_plans(tmp_path / "docs", 2)
    opts = BatchOptions(jobs=1, cache_dir=str(tmp_path / "cache"))
    first = run_batch(paths, ruleset, batch=opts)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{truncated", encoding="utf-8")
    again = run_batch(paths, ruleset, batch=opts)
    assert (again.cache_hits, again.checked) == (0, 2)
    assert render(again.report) == render(first.report)
    assert run_batch(paths, ruleset, batch=opts).cache_hits == 2
