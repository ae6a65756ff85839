"""The Content-Security-Policy allows no inline code: no template may contain an inline <script> body,
an on*= event handler, a javascript: URL, a style= attribute or a <style> element (the browser
would block them, silently)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_STATEMENT = re.compile(r"\{%.*?%\}", re.S)
JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
HANDLER = re.compile(r"""[\s"'/]on[a-z]+\s*=""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""[\s"'/]style\s*=""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)


# Templates that only WeasyPrint renders (never served to a browser, so no CSP applies): they may hold
# a <style> element for @page rules, nothing else.
PDF_ONLY = {"reports/pdf.html"}


def inline_code_problems(html: str, pdf_only: bool = False) -> list[str]:
    """What a strict CSP would block in this HTML (a template or a rendered page)."""
    text = JINJA_COMMENT.sub(" ", html)
    text = JINJA_STATEMENT.sub(" ", text)
    text = JINJA_EXPRESSION.sub("X", text)
    problems = []
    for attributes, body in SCRIPT.findall(text):
        if body.strip():
            problems.append(f"inline <script> body: {body.strip()[:60]!r}")
        if "src" not in attributes.lower():
            problems.append("<script> without src")
    for tag in TAG.findall(text):
        if HANDLER.search(tag):
            problems.append(f"event handler attribute: {tag[:80]!r}")
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:80]!r}")
        if JAVASCRIPT_URL.search(tag):
            problems.append(f"javascript: URL: {tag[:80]!r}")
    if STYLE_ELEMENT.search(text) and not pdf_only:
        problems.append("<style> element")
    return problems


def test_templates_are_found():
    assert len(TEMPLATES) >= 8


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_has_no_inline_code(template):
    name = template.relative_to(ROOT / "templates").as_posix()
    assert not inline_code_problems(template.read_text(encoding="utf-8"), pdf_only=name in PDF_ONLY)


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    '<script type="module">import x from "/y.js"</script>',
    "<script></script>",
    '<button onclick="go()">',
    "<body onload='x()'>",
    '<a href="#"\n   onmouseover="x()">',
    '<p style="color: red">',
    "<div class=a style='x'>",
    "<style>p { color: red }</style>",
    '<a href="javascript:alert(1)">',
    '<input {% if x %}onfocus="y()"{% endif %}>',
    '<p {% if x %}style="color: red"{% endif %}>',
])
def test_the_scanner_catches_inline_code(html):
    assert inline_code_problems(html)


@pytest.mark.parametrize("html", [
    '<script src="/static/app.js" defer></script>',
    '<input name="phase" value="{{ option.id }}" {% if values.get("phase") == option.id %}checked{% endif %}>',
    "<p>Turn on=off, one=two and styles = fine in text</p>",
    '<a class="lang" href="{{ switch_url(lang) }}" data-online="1">',
    "{# <script>alert(1)</script> in a comment #}",
])
def test_the_scanner_allows_what_csp_allows(html):
    assert not inline_code_problems(html)
