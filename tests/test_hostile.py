"""Hostile files, built here: each is refused with a clear reason or read within bounded time and memory.

Each extraction runs in a fresh subprocess under an address-space limit (RLIMIT_AS) and a
wall-clock timeout, and reports its own peak RSS, so a blow-up shows as a failure rather
than taking the test run down.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

AS_LIMIT = 2 * 1024**3  # bytes of address space allowed to the extracting process
TIMEOUT = 60  # seconds before the subprocess counts as hung
RSS_BOUND_MB = 400  # peak RSS allowed for any one hostile file

_PROBE = r"""
import json, resource, sys, time
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from assure.errors import ExtractionError
from assure.extract import ExtractOptions, extract
options = ExtractOptions(**json.loads(sys.argv[2]))
start = time.monotonic()
try:
    doc = extract(sys.argv[1], options)
    out = {"ok": True, "pages": doc.pages, "blocks": len(doc.blocks),
           "max_block": max((len(b.text) for b in doc.blocks), default=0),
           "unreadable": len(doc.unreadable_pages), "text": " ".join(b.text for b in doc.blocks)[:5000]}
except ExtractionError as exc:
    out = {"ok": False, "code": exc.code, "message": str(exc)}
out["seconds"] = time.monotonic() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) pytest parent across exec
out["rss_mb"] = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps(out))
"""


def probe(path: Path, **options: object) -> dict:
    """Extract ``path`` in a bounded subprocess; the outcome, its time and its peak RSS."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(path), json.dumps(options), str(AS_LIMIT)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["rss_mb"] < RSS_BOUND_MB, out
    if not out["ok"]:
        assert out["code"] != "memory", out
        assert "\n" not in out["message"] and str(path) in out["message"], out
    return out


# ------------------------------------------------------------------ DOCX builders
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def document_xml(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def write_docx(path: Path, document: str | bytes, extra: dict[str, str | bytes] | None = None,
               compresslevel: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_plain_docx_builder_is_readable(tmp_path: Path) -> None:
    """The builder itself makes a valid DOCX, so the refusals below are about the hostile part."""
    out = probe(write_docx(tmp_path / "ok.docx", document_xml(para("The council will fund adaptations."))))
    assert out["ok"] and "fund adaptations" in out["text"]


def test_docx_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    body = para("x") * 10 + " " * (40 * 1024 * 1024)  # 40 MB of spaces: deflates over 1000:1
    path = write_docx(tmp_path / "bomb.docx", document_xml(body), compresslevel=9)
    assert path.stat().st_size < 200 * 1024
    out = probe(path)
    assert not out["ok"] and out["code"] == "too_large" and "zip bomb" in out["message"]
    assert out["seconds"] < 5


def test_docx_total_unzipped_size_is_capped(tmp_path: Path) -> None:
    """An honest (poorly compressible) archive over the configured cap is refused before parsing."""
    noise = os.urandom(3 * 1024 * 1024).hex()  # 6 MB of hex: compresses only about 2:1
    path = write_docx(tmp_path / "big.docx", document_xml(para("text")), extra={"word/media/blob.bin": noise})
    out = probe(path, max_unzipped=4 * 1024 * 1024)
    assert not out["ok"] and out["code"] == "too_large" and "cap" in out["message"]
    assert probe(path)["ok"]  # under the default cap it is read


def test_docx_lying_zip_header_cannot_inflate_past_declared_size(tmp_path: Path) -> None:
    """A central directory that understates a part's size: zipfile stops at the declared size and the CRC fails."""
    path = write_docx(tmp_path / "liar.docx", document_xml(para("x") + " " * (30 * 1024 * 1024)), compresslevel=9)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    real = len(document_xml(para("x") + " " * (30 * 1024 * 1024)).encode())
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            name_len = struct.unpack_from("<H", data, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start:start + name_len] == name:
                assert struct.unpack_from("<I", data, pos + size_at)[0] == real
                struct.pack_into("<I", data, pos + size_at, 4096)
            pos += 4
    path.write_bytes(bytes(data))
    out = probe(path)
    assert not out["ok"] and out["code"] == "corrupt", out
    assert out["seconds"] < 10


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/header1.xml", "[Content_Types].xml"])
def test_entity_expansion_refused_in_any_part(tmp_path: Path, part: str) -> None:
    if part == "word/document.xml":
        path = write_docx(tmp_path / "laughs.docx", document_xml(para("&lol9;"), BILLION_LAUGHS))
    elif part == "[Content_Types].xml":
        path = tmp_path / "laughs.docx"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(part, CONTENT_TYPES.replace("?>", "?>" + BILLION_LAUGHS.replace("w:document", "Types"), 1))
            zf.writestr("_rels/.rels", RELS)
            zf.writestr("word/document.xml", document_xml(para("x")))
    else:
        hostile = f'<?xml version="1.0"?>{BILLION_LAUGHS.replace("w:document", "w:root")}<w:root xmlns:w="{W_NS}">&lol9;</w:root>'
        path = write_docx(tmp_path / "laughs.docx", document_xml(para("x")), extra={part: hostile})
    out = probe(path)
    assert not out["ok"] and out["code"] == "hostile" and part in out["message"] and "DTD" in out["message"]


def test_external_entity_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    xxe = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    out = probe(write_docx(tmp_path / "xxe.docx", document_xml(para("&xxe;"), xxe)))
    assert not out["ok"] and out["code"] == "hostile"
    assert "TOP-SECRET-LINE" not in json.dumps(out)


def test_dtd_hidden_after_a_long_comment_is_still_found(tmp_path: Path) -> None:
    prolog = "<!--" + "padding " * 2000 + "-->" + BILLION_LAUGHS
    out = probe(write_docx(tmp_path / "hidden.docx", document_xml(para("&lol9;"), prolog)))
    assert not out["ok"] and out["code"] == "hostile"


def test_doctype_quoted_in_body_text_is_not_refused(tmp_path: Path) -> None:
    out = probe(write_docx(tmp_path / "quoted.docx", document_xml(para("write &lt;!DOCTYPE html&gt; at the top"))))
    assert out["ok"] and "<!DOCTYPE html>" in out["text"]


def nested_tables(depth: int, leaf: str) -> str:
    inner = para(leaf)
    for level in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{para(f'level {depth - level}')}{inner}</w:tc></w:tr></w:tbl>"
    return inner


def test_deeply_nested_tables_are_read_in_linear_time(tmp_path: Path) -> None:
    out = probe(write_docx(tmp_path / "nested.docx", document_xml(nested_tables(60, "deepest cell text"))))
    assert out["ok"] and "deepest cell text" in out["text"] and out["seconds"] < 5


def test_tables_nested_past_the_xml_depth_limit_are_refused(tmp_path: Path) -> None:
    out = probe(write_docx(tmp_path / "abyss.docx", document_xml(nested_tables(400, "bottom"))))
    assert not out["ok"] and out["code"] in ("hostile", "corrupt") and out["seconds"] < 10


def test_docx_with_no_body(tmp_path: Path) -> None:
    doc = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"></w:document>'
    out = probe(write_docx(tmp_path / "nobody.docx", doc))
    assert out["ok"] and out["blocks"] == 0


# ------------------------------------------------------------------ PDF builders
def build_pdf(objects: list[bytes], root: int = 1, junk: bytes = b"", xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object i+1 is objects[i]), with a correct xref table."""
    out = io.BytesIO()
    out.write(junk + b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    start = out.tell()
    if xref:
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for off in offsets:
            out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, start))
    return out.getvalue()


def stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_page_pdf(lines: list[str], count: int | None = None, kids: bytes = b"[3 0 R]", junk: bytes = b"",
                  xref: bool = True) -> bytes:
    content = b"BT /F1 11 Tf 72 760 Td 14 TL " + b" ".join(b"(%s) '" % ln.encode() for ln in lines) + b" ET"
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s /Count %d >>" % (kids, count if count is not None else 1),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        FONT,
    ], junk=junk, xref=xref)


SENTENCE = "The council will fund home adaptations for disabled residents."


def test_pdf_builder_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(text_page_pdf([SENTENCE]))
    out = probe(path)
    assert out["ok"] and out["pages"] == 1 and "home adaptations" in out["text"]


def test_pdf_absurd_page_count_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "count.pdf"
    path.write_bytes(text_page_pdf([SENTENCE], count=2_000_000_000))
    out = probe(path)
    assert out["seconds"] < 10
    if out["ok"]:
        assert out["pages"] <= 5000
    else:
        assert out["code"] in ("too_large", "corrupt")


def test_pdf_cyclic_page_tree_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "cycle.pdf"
    path.write_bytes(text_page_pdf([SENTENCE], count=3, kids=b"[3 0 R 2 0 R 2 0 R]"))
    out = probe(path)
    assert out["seconds"] < 10 and (out["ok"] or out["code"] == "corrupt")


def test_pdf_deeply_nested_object_graph_is_bounded(tmp_path: Path) -> None:
    depth = 200_000
    nested = b"[" * depth + b"]" * depth
    pdf = build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /X 6 0 R >> /Contents 4 0 R >>",
        stream(b"BT /F1 11 Tf 72 760 Td (" + SENTENCE.encode() + b") Tj ET " + nested),
        FONT,
        nested,
    ])
    path = tmp_path / "deep.pdf"
    path.write_bytes(pdf)
    out = probe(path)
    assert out["seconds"] < 20 and (out["ok"] or out["code"] == "corrupt")


def test_pdf_content_stream_bomb_is_bounded(tmp_path: Path) -> None:
    """A 150 MB content stream that deflates from a few hundred KB."""
    content = b"BT /F1 11 Tf 72 760 Td (" + SENTENCE.encode() + b") Tj ET\n" + b" " * (150 * 1024 * 1024)
    pdf = build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content, compress=True),
        FONT,
    ])
    path = tmp_path / "stream-bomb.pdf"
    path.write_bytes(pdf)
    assert path.stat().st_size < 1024 * 1024
    out = probe(path)
    assert out["seconds"] < 30


def many_pages_pdf(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        stream(b"BT /F1 11 Tf 72 760 Td (" + SENTENCE.encode() + b") Tj ET"),
        FONT,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"] * n
    return build_pdf(objects)


def test_pdf_page_limit_refuses_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(many_pages_pdf(6000))
    out = probe(path)  # default limit 5000
    assert not out["ok"] and out["code"] == "too_large" and "6000 pages" in out["message"] and "--max-pages" in out["message"]
    assert out["seconds"] < 5
    out = probe(path, max_pages=None)
    assert out["ok"] and out["pages"] == 6000


def test_pdf_time_budget_stops_between_pages(tmp_path: Path) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(many_pages_pdf(3000))
    out = probe(path, max_seconds=0.05)
    assert not out["ok"] and out["code"] == "timeout" and "stopped after" in out["message"]


def test_pdf_junk_before_header_and_missing_xref(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(text_page_pdf([SENTENCE], junk=b"garbage bytes from a mail gateway\r\n" * 10, xref=False))
    out = probe(path)
    assert out["ok"] and "home adaptations" in out["text"]


def test_pdf_truncated_midway(tmp_path: Path) -> None:
    data = text_page_pdf([SENTENCE] * 40)
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    out = probe(path)
    assert out["ok"] or out["code"] == "corrupt"


# ------------------------------------------------------------------ text, long lines, size cap
def test_very_long_line_text_is_split_into_bounded_blocks(tmp_path: Path) -> None:
    path = tmp_path / "oneline.txt"
    path.write_text((SENTENCE + " ") * 80_000)  # 5 MB, no line break
    out = probe(path)
    assert out["ok"] and out["max_block"] <= 20_000 and out["blocks"] >= 250 and out["seconds"] < 10


@pytest.mark.parametrize("line", [
    "# a" + " " * 20_000 + "b",  # was O(n^3) in the Markdown heading regex
    "## " + "#" * 20_000 + " x",
    "| " * 20_000 + "x",
    "- " + "-" * 50_000,
])
def test_pathological_markdown_lines_are_linear(tmp_path: Path, line: str) -> None:
    path = tmp_path / "line.md"
    path.write_text(SENTENCE + "\n\n" + line + "\n")
    out = probe(path)
    assert out["ok"] and out["seconds"] < 3 and "home adaptations" in out["text"]


def test_huge_file_refused_by_size_cap_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:  # sparse: 300 MB on paper, nothing on disk
        fh.write(b"%PDF-1.7\n")
        fh.truncate(300 * 1024 * 1024)
    out = probe(path)
    assert not out["ok"] and out["code"] == "too_large" and "--max-size" in out["message"]
    assert out["seconds"] < 1 and out["rss_mb"] < 150


def test_cli_max_size_and_max_pages(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text((SENTENCE + "\n") * 40_000)  # about 2.5 MB
    pages = tmp_path / "pages.pdf"
    pages.write_bytes(many_pages_pdf(30))
    env = {**os.environ, "NO_COLOR": "1"}
    for args, needle in ((["--max-size", "1", str(big)], "over the 1 MB cap (--max-size)"),
                         (["--max-pages", "10", str(pages)], "30 pages, over the limit of 10 (--max-pages)")):
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "assure", "check", "--jobs", "1", *args],
                              capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("assure: ") and needle in lines[0], proc.stderr
        assert time.monotonic() - start < 60
    ok = subprocess.run([sys.executable, "-m", "assure", "check", "--jobs", "1", "--max-size", "0", "--max-pages", "0",
                         "-f", "json", str(big), str(pages)], capture_output=True, text=True, timeout=300, env=env)
    # with the limits off both are read: the text is checked, the blank pages are "no readable text"
    assert "Traceback" not in ok.stderr, ok.stderr
    docs = json.loads(ok.stdout)["documents"]
    assert docs[0]["status"] == "ok" and docs[1]["error"]["code"] == "no_text" and docs[1]["pages"] == 30


# ------------------------------------------------------------------ ODT, HTML, legacy (issue 15)
def _odt(path: Path, content: str, extra: dict[str, str | bytes] | None = None, compresslevel: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def odt_content(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {ODT_NS}>'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")


def test_odt_entity_expansion_refused(tmp_path: Path) -> None:
    path = _odt(tmp_path / "laughs.odt", odt_content("<text:p>&lol9;</text:p>", BILLION_LAUGHS.replace("w:document", "office:document-content")))
    out = probe(path)
    assert not out["ok"] and out["code"] == "hostile" and "DTD" in out["message"]


def test_odt_entity_in_a_styles_part_refused(tmp_path: Path) -> None:
    path = _odt(tmp_path / "ext.odt", odt_content("<text:p>hello</text:p>"),
                extra={"styles.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'})
    out = probe(path)
    assert not out["ok"] and out["code"] == "hostile" and "styles.xml" in out["message"]


def test_odt_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    path = _odt(tmp_path / "bomb.odt", odt_content("<text:p>x</text:p>" + " " * (40 * 1024 * 1024)), compresslevel=9)
    out = probe(path)
    assert not out["ok"] and out["code"] == "too_large" and "zip bomb" in out["message"] and out["seconds"] < 5


def test_odt_deeply_nested_tables_and_lists_are_bounded(tmp_path: Path) -> None:
    depth = 200
    cell = "<table:table><table:table-row><table:table-cell>" * depth + "<text:p>deep</text:p>" + \
        "</table:table-cell></table:table-row></table:table>" * depth
    lists = "<text:list><text:list-item>" * depth + "<text:p>item</text:p>" + "</text:list-item></text:list>" * depth
    out = probe(_odt(tmp_path / "deep.odt", odt_content(cell + lists)))
    assert out["seconds"] < 10 and (not out["ok"] or "deep" in out["text"])


def test_html_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(b"<!DOCTYPE html><html><body>" + b"<p>homes</p>" * 2_000_000 + b"</body></html>")
    out = probe(path)
    assert not out["ok"] and out["code"] == "too_large" and "web page" in out["message"]


def test_html_deep_nesting_and_entities_are_bounded(tmp_path: Path) -> None:
    """HTML has no DTD entities to expand; a page nested 100,000 deep is read within bounds."""
    path = tmp_path / "deep.html"
    path.write_text('<!DOCTYPE html [<!ENTITY lol "lolololol">]><html><body>' + "<div>" * 100_000
                    + "<p>Warm homes for older residents &lol; across the borough.</p>" + "</div>" * 100_000 + "</body></html>")
    out = probe(path)
    assert out["seconds"] < 30
    assert not out["ok"] or "lolololol" not in out["text"]


def test_html_many_elements_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.html"
    path.write_bytes(b"<html><body>" + b"<i></i>" * 600_000 + b"</body></html>")
    out = probe(path)
    assert not out["ok"] and out["code"] == "too_large" and "elements" in out["message"]


def test_ole_file_that_is_not_word_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "budget.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096 + "Workbook".encode("utf-16-le"))
    out = probe(path)
    assert not out["ok"] and out["code"] == "unsupported_format" and "not a Word document" in out["message"]


def test_legacy_doc_that_libreoffice_cannot_convert_is_one_error(tmp_path: Path) -> None:
    """A damaged .doc (the Word stream named, random bytes around it): LibreOffice fails (one
    line) or reads the bytes as text; either way within the time limit, under the memory cap."""
    from assure.extract.legacy import soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048) + "WordDocument".encode("utf-16-le") + os.urandom(2048))
    out = probe(path)
    assert out["seconds"] < 60


def test_ocr_of_a_page_too_large_is_bounded(tmp_path: Path) -> None:
    """A scanned 'page' 5 m square is rendered under the pixel cap, never at full size."""
    from assure.extract.ocr import missing

    if missing():
        pytest.skip("Tesseract not installed")
    from PIL import Image

    Image.new("L", (400, 400), 255).save(tmp_path / "poster.pdf", resolution=2)  # 400 px at 2 dpi: 200 inches
    out = probe(tmp_path / "poster.pdf")
    assert out["ok"] and out["unreadable"] == 1 and out["seconds"] < 30
