"""Discovery: recursion, sorted order, include/exclude globs, .assureignore, duplicates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assure.discover import content_hash, discover, discover_documents
from assure.errors import ConfigError


def make(root: Path, rel: str, text: str | None = None) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text if text is not None else f"content of {rel}\n", encoding="utf-8")
    return p


def rels(root: Path, files) -> list[str]:  # noqa: ANN001
    return [os.path.relpath(f, root).replace(os.sep, "/") for f in files]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for rel in ["b.pdf", "a.md", "sub/z.txt", "sub/deep/y.docx", "sub-a.txt", "archive/old.pdf",
                "notes.csv", ".hidden/x.txt", "~$lock.docx", "UPPER.PDF", "old/plan.doc"]:
        make(tmp_path, rel)
    return tmp_path


def test_recursive_sorted_and_supported_only(tree: Path) -> None:
    d = discover_documents([str(tree)])
    assert rels(tree, d.files) == ["UPPER.PDF", "a.md", "archive/old.pdf", "b.pdf", "old/plan.doc", "sub/deep/y.docx", "sub/z.txt",
                                   "sub-a.txt"]
    assert d.duplicates == () and d.problems == ()
    assert all(d.hashes[f] == content_hash(f) for f in d.files)


def test_order_is_independent_of_creation_order(tmp_path: Path) -> None:
    for rel in ["c/1.txt", "a/2.txt", "b.txt", "a/1.txt"]:
        make(tmp_path, rel)
    first = discover_documents([str(tmp_path)]).files
    os.utime(tmp_path / "a" / "1.txt")
    make(tmp_path, "c/0.txt")
    assert rels(tmp_path, discover_documents([str(tmp_path)]).files) == ["a/1.txt", "a/2.txt", "b.txt", "c/0.txt", "c/1.txt"]
    assert rels(tmp_path, first) == ["a/1.txt", "a/2.txt", "b.txt", "c/1.txt"]


def test_include_and_exclude_globs(tree: Path) -> None:
    d = discover_documents([str(tree)], include=["*.pdf"])
    assert rels(tree, d.files) == ["archive/old.pdf", "b.pdf"]  # gitignore globs are case-sensitive
    d = discover_documents([str(tree)], exclude=["archive/", "sub/deep/", "*.doc"])
    assert rels(tree, d.files) == ["UPPER.PDF", "a.md", "b.pdf", "sub/z.txt", "sub-a.txt"]
    d = discover_documents([str(tree)], include=["sub/"], exclude=["*.docx"])
    assert rels(tree, d.files) == ["sub/z.txt"]


def test_globs_do_not_filter_files_named_directly(tree: Path) -> None:
    d = discover_documents([str(tree / "archive" / "old.pdf"), str(tree / "notes.csv")], exclude=["*.pdf"])
    assert rels(tree, d.files) == ["archive/old.pdf", "notes.csv"]


def test_assureignore_root_and_nested_with_negation(tree: Path) -> None:
    (tree / ".assureignore").write_text("# drafts and archives\narchive/\nold/\n*.md\n", encoding="utf-8")
    (tree / "sub" / ".assureignore").write_text("*.txt\n!z.txt\ndeep/\n", encoding="utf-8")
    make(tree, "sub/w.txt")
    d = discover_documents([str(tree)])
    assert rels(tree, d.files) == ["UPPER.PDF", "b.pdf", "sub/z.txt", "sub-a.txt"]
    # the nested file's patterns are relative to its own folder, not the root
    make(tree, "other/w.txt")
    assert "other/w.txt" in rels(tree, discover_documents([str(tree)]).files)
    assert "archive/old.pdf" in rels(tree, discover_documents([str(tree)], use_ignore_files=False).files)


def test_duplicates_skipped_by_content_and_reported(tmp_path: Path) -> None:
    make(tmp_path, "a/plan.txt", "same bytes\n")
    make(tmp_path, "b/plan-copy.txt", "same bytes\n")
    make(tmp_path, "c/other.txt", "different\n")
    d = discover_documents([str(tmp_path)])
    assert rels(tmp_path, d.files) == ["a/plan.txt", "c/other.txt"]
    assert len(d.duplicates) == 1
    assert rels(tmp_path, [d.duplicates[0].path, d.duplicates[0].same_as]) == ["b/plan-copy.txt", "a/plan.txt"]
    assert len(discover_documents([str(tmp_path)], dedupe=False).files) == 3


def test_same_path_twice_is_listed_once(tmp_path: Path) -> None:
    p = make(tmp_path, "x.txt")
    d = discover_documents([str(p), str(tmp_path), str(tmp_path / "." / "x.txt")])
    assert d.files == (str(p),) and d.duplicates == ()


def test_missing_file_kept_for_an_error_entry_and_empty_folder_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    d = discover_documents([str(tmp_path / "nope.pdf"), str(tmp_path / "empty")])
    assert d.files == (str(tmp_path / "nope.pdf"),)
    assert d.hashes[str(tmp_path / "nope.pdf")] is None
    assert d.problems == (f"{tmp_path / 'empty'}: no documents found (assure reads PDF, DOCX, OpenDocument, HTML, "
                          "Word 97-2003 (through LibreOffice), RTF (through LibreOffice), text or Markdown)",)


def test_unreadable_ignore_file_is_a_config_error(tmp_path: Path) -> None:
    make(tmp_path, "a.txt")
    (tmp_path / ".assureignore").write_bytes(b"\xff\xfe\xfa bad")
    with pytest.raises(ConfigError, match=r"\.assureignore"):
        discover_documents([str(tmp_path)])


def test_legacy_discover_wrapper(tree: Path) -> None:
    files, problems = discover([str(tree)])
    assert files == list(discover_documents([str(tree)], dedupe=False).files) and problems == []


def test_checking_dot_keeps_duplicates_in_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: `assure check .` named files "./a.pdf" while the report said "a.pdf", so a copy's
    entry found no original and was dropped from every report, and error entries kept "./"."""
    import json

    from typer.testing import CliRunner

    from assure.cli import app

    sample = Path(__file__).resolve().parents[1] / "samples" / "weak.docx"
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.docx").write_bytes(sample.read_bytes())
    (tmp_path / "sub" / "a-copy.docx").write_bytes(sample.read_bytes())
    (tmp_path / "empty.pdf").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    found = discover_documents(["."])
    assert found.files == ("a.docx", "empty.pdf") and [(d.path, d.same_as) for d in found.duplicates] == [("sub/a-copy.docx", "a.docx")]
    result = CliRunner().invoke(app, ["check", ".", "-f", "json", "--fail-on", "never"], env={"ASSURE_CONFIG": None})
    paths = [d["path"] for d in json.loads(result.stdout)["documents"]]
    assert sorted(paths) == ["a.docx", "empty.pdf", "sub/a-copy.docx"], paths


def test_assure_reports_in_a_searched_folder_are_left_out(tmp_path: Path) -> None:
    """Regression: a Markdown or HTML report of an earlier run in the audited folder was scored as
    a plan (76/100 on its own "Add: ..." advice)."""
    from typer.testing import CliRunner

    from assure.cli import app

    sample = Path(__file__).resolve().parents[1] / "samples" / "weak.docx"
    (tmp_path / "weak.docx").write_bytes(sample.read_bytes())
    runner = CliRunner()
    env = {"ASSURE_CONFIG": None}
    for fmt, name in (("markdown", "report.md"), ("html", "report.html"), ("text", "report.txt")):
        runner.invoke(app, ["check", str(tmp_path / "weak.docx"), "-f", fmt, "-o", str(tmp_path / name), "--fail-on", "never"], env=env)
    (tmp_path / "notes.md").write_text("# Housing notes\n\nThe council will fund adaptations.\n", encoding="utf-8")
    found = discover_documents([str(tmp_path)])
    assert [Path(f).name for f in found.files] == ["notes.md", "weak.docx"]
    assert sorted(Path(r).name for r in found.reports) == ["report.html", "report.md", "report.txt"]
    assert [Path(f).name for f in discover_documents([str(tmp_path / "report.md")]).files] == ["report.md"]  # named: checked


def test_a_folder_with_nothing_through_the_filters_names_the_filters(tmp_path: Path) -> None:
    """Regression (new-user run, 2026-12-08): a folder of PDFs under --include '*.txt' said only "no documents
    found", as if the folder were empty."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.pdf").write_bytes(b"%PDF-1.4\n")
    d = discover_documents([str(tmp_path / "plans")], include=["*.txt"])
    assert d.files == ()
    assert d.problems[0].startswith(f"{tmp_path / 'plans'}: no documents found matching --include *.txt (")
