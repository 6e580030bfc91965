"""Student content rendered inert in the pages an instructor opens: the feedback HTML and formgrader's submission view.

Both pages are nbconvert HTMLExporter renderings of an autograded notebook, which holds what the student wrote.
nbgrader_config.py names three pieces of this module in the exporter's configuration:

- `markdown2html`: markdown cells (and the instructor's comments) rendered as nbconvert renders them, then cleaned.
  nbgrader's templates print markdown cells without nbconvert's `clean_html`, even with `sanitize_html` on.
- `clean_html`: what nbconvert applies to HTML and markdown outputs and raw cells once `sanitize_html` is on (its own
  allowlist escapes paragraphs, headings and images, so honest content would show as tags).
- `EscapeResources`: formgrader's page header prints the student's id and name, unescaped, from `resources`.

Cleaning keeps an allowlist of tags and attributes; any other tag is shown escaped (the instructor sees what was
written), any other attribute is dropped. So no script, event handler, style, form, frame, `<meta>` or `<svg>` remains;
links keep only http, https, mailto or in-page targets; images load only from data: URIs of image types (no request
leaves the page); ids are dropped so that student content cannot stand in for formgrader's own elements.
"""

from __future__ import annotations

import html
import re

from bleach.sanitizer import Cleaner
from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul", "var"})
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align"}}
IMAGE_SOURCE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
# Class names that nbconvert's own markup uses (Pygments tokens, code blocks, heading anchors): nothing of
# formgrader's (its script finds elements by classes such as "tabbable" and "score").
CLASS_NAME = re.compile(r"[a-z]{1,3}[0-9]?|highlight|hl-[\w-]+|anchor-link")
RESOURCE_KEYS = ("student", "first_name", "last_name", "notebook_path", "notebook_id", "assignment_id")


def allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Whether attribute `name`="`value`" of `tag` may stay (bleach also checks the scheme of every URL)."""
    if name == "class":
        return all(CLASS_NAME.fullmatch(word) for word in value.split())
    if tag == "img" and name == "src":
        return bool(IMAGE_SOURCE.match(value.strip()))
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith("data:")
    return name in ATTRIBUTES.get(tag, ())


CLEANER = Cleaner(tags=TAGS, attributes=allowed_attribute, protocols={"http", "https", "mailto", "data"},
                  strip=False, strip_comments=True)


def clean_html(text) -> str:
    """HTML text (str or bytes) -> the same HTML with only the allowlisted tags and attributes live."""
    return CLEANER.clean(text.decode() if isinstance(text, bytes) else str(text))


@pass_context
def markdown2html(context, source: str) -> str:
    """Markdown -> cleaned HTML, as nbconvert's HTMLExporter renders it (math kept for MathJax, the cell's
    attachments as data: URIs), with images never read from the disk."""
    cell = context.get("cell", {})
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = IPythonRenderer(escape=False, attachments=cell.get("attachments", {}), path=path)
    return clean_html(MarkdownWithMath(renderer=renderer).render(source))


class EscapeResources(Preprocessor):
    """HTML-escape the strings that formgrader's page header prints unescaped (student id and name, paths)."""

    def preprocess(self, nb, resources):
        for key in RESOURCE_KEYS:
            if isinstance(resources.get(key), str):
                resources[key] = html.escape(resources[key])
        return nb, resources
