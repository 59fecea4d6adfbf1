"""Build real test documents (PDF, DOCX, HTML, Markdown) on disk."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, pages: list[list[tuple[str, str]]], title: str | None = None) -> Path:
    """Each page is a list of (kind, text) with kind 'h1', 'h2' or 'p'."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for blocks in pages:
        pdf.add_page()
        for kind, text in blocks:
            size = {"h1": 20, "h2": 15}.get(kind, 11)
            pdf.set_font("Helvetica", "B" if kind != "p" else "", size)
            pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]], title: str | None = None) -> Path:
    """Blocks of (kind, text): 'title', 'h1', 'h2', 'h3', 'p', 'li'."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for kind, text in blocks:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind.startswith("h"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def make_html(path: Path, title: str, main: str, *, boilerplate: bool = True) -> Path:
    chrome_top = (
        """
    <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
      Accept all cookies or manage preferences for analytics cookies.</div>
    <header class="site-header"><a href="/">Home</a> <span>Anytown NHS Trust intranet</span></header>
    <nav><ul><li><a href="/a">Services</a></li><li><a href="/b">Careers</a></li>
      <li><a href="/c">Contact us about parking permits</a></li></ul></nav>
    """
        if boilerplate
        else ""
    )
    chrome_bottom = (
        """
    <aside class="sidebar">Related: staff car parking charges and canteen menus</aside>
    <footer>Copyright Anytown NHS Trust. Privacy policy. Accessibility statement.</footer>
    """
        if boilerplate
        else ""
    )
    path.write_text(
        f"<!doctype html><html><head><title>{title}</title>"
        "<script>var tracking = 'parking permits';</script><style>body{{}}</style></head>"
        f"<body>{chrome_top}<main>{main}</main>{chrome_bottom}</body></html>",
        encoding="utf-8",
    )
    return path


def make_markdown(path: Path, front_matter: str, body: str) -> Path:
    text = f"---\n{front_matter.strip()}\n---\n\n{body.strip()}\n" if front_matter else body
    path.write_text(text, encoding="utf-8")
    return path
