"""User markdown renders to HTML with scripts, handlers and unsafe links removed."""

from supportal.core.markdown import render_markdown


def test_basic_markdown_renders():
    html = render_markdown("**bold** and `code`")
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html


def test_raw_html_and_scripts_are_escaped():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in html
    assert "onerror" not in html or "&lt;img" in html


def test_javascript_links_are_dropped():
    html = render_markdown(
        "[click](javascript:alert(1)) [x](JaVaScRiPt:alert(2)) [d](data:text/html,x)"
    )
    assert "href" not in html


def test_links_get_safe_rel():
    html = render_markdown("[docs](https://example.com)")
    assert 'href="https://example.com"' in html
    assert "noopener" in html
