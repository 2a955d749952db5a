"""Every button style the portal uses reads at WCAG AA (4.5:1 for text), measured in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
NOT_A_STYLE = {"btn-group", "btn-group-sm", "btn-group-vertical", "btn-toolbar", "btn-close"}

# Contrast of an element's text against its own background, or the first opaque one behind it.
CONTRAST = """el => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  let fg = rgba(getComputedStyle(el).color);
  if (fg.length === 4) fg = [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def button_styles() -> set[str]:
    """The class lists of buttons in the templates, and of crispy-forms' Submit inputs (which
    render as "btn btn-primary" followed by the form's css_class)."""
    styles = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            tokens = value.split()
            if "btn" not in tokens or "disabled" in tokens:
                continue
            styles.add(style(tokens))
    for path in ROOT.glob("*/forms*.py"):
        source = path.read_text(encoding="utf-8")
        for start in (m.end() for m in re.finditer(r"\bSubmit\(", source)):
            depth, end = 1, start
            while depth:
                depth += {"(": 1, ")": -1}.get(source[end], 0)
                end += 1
            extra = re.search(r'css_class="([^"]*)"', source[start:end])
            styles.add(style(["btn", "btn-primary", *(extra.group(1).split() if extra else [])]))
    return styles


def style(tokens: list[str]) -> str:
    return " ".join(t for t in tokens if re.fullmatch(r"btn(-[a-z]+)*", t) and t not in NOT_A_STYLE)


def test_the_send_code_button_on_registration_reads_well(live_server, page):
    page.goto(f"{live_server.url}/accounts/register/")
    button = page.locator("[name=send_code]")
    assert button.evaluate(CONTRAST) >= 4.5


def test_every_button_style_the_portal_uses_has_aa_contrast(live_server, page):
    styles = sorted(button_styles())
    assert "btn btn-primary btn-outline-secondary" in styles
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """styles => {
          const main = document.querySelector('main');
          const box = document.createElement('div');
          box.className = 'bg-white p-2';
          box.id = 'button-samples';
          for (const s of styles) {
            const b = document.createElement('button');
            b.className = s; b.textContent = '发送验证码'; b.dataset.style = s;
            box.appendChild(b);
          }
          const brand = document.createElement('div');
          brand.className = 'portal-brand p-2';
          const out = document.createElement('button');
          out.className = 'btn btn-link nav-link'; out.textContent = '退出';
          out.dataset.style = 'btn-link on the red bar';
          brand.appendChild(out);
          box.appendChild(brand);
          main.appendChild(box);
        }""",
        styles,
    )
    buttons = page.locator("#button-samples button")
    poor = {}
    for i in range(buttons.count()):
        ratio = buttons.nth(i).evaluate(CONTRAST)
        if ratio < 4.5:
            poor[buttons.nth(i).get_attribute("data-style")] = round(ratio, 2)
    assert poor == {}
