# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_html: every LibreNMS field escaped, one table row per device state, the status summary."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.html import render_html
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import COLUMNS, report_rows


def state(device_id, status="ready", **extra):
    base = {
        "status": status, "device_id": device_id, "hostname": f"sw{device_id}.paris.example.net", "sysname": None,
        "name": f"sw{device_id}", "import_as": "device", "issues": [], "review": [], "warnings": [],
        "site": {"id": 10, "name": "Paris DC1", "matched_by": "name"},
        "device_type": {"id": 100, "name": "C9300-48P", "matched_by": "model"},
        "platform": {"id": 200, "name": "iosxe", "matched_by": "name"},
        "role": {"id": 300, "name": "access", "matched_by": "role"},
        "rack": None, "cluster": None, "existing": None, "virtual_chassis": None,
    }
    base.update(extra)
    return base


# Every text field a LibreNMS user can set, made hostile in a different way.
HOSTILE = state(
    66, "blocked",
    hostname='<img src=x onerror="alert(1)">',
    name="</td></tr><script>alert('name')</script>",
    site={"id": 10, "name": "R&D <lab>", "matched_by": "site_map"},
    device_type={"id": 100, "name": 'C9300 "48P"', "matched_by": "model"},
    issues=["no NetBox site matches location '<b>Mars</b>': add it to site_map"],
    warnings=["no NetBox platform matches os 'x&y'; add it to platform_map"],
)


class Page(HTMLParser):
    """The page's structure as a browser sees it: elements, and cell texts per table row."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.rows, self.cell_classes, self._cell = [], [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""
            self.cell_classes.append(dict(attrs).get("class"))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_hostile_fields_are_text_in_their_cells_and_never_markup():
    rows = report_rows([state(1), HOSTILE])
    text = render_html(rows, "Review", "server default")
    page = Page(text)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert page.rows[2] == [rows[1][column] for column in COLUMNS]  # the browser shows exactly the field text
    assert page.rows[2][COLUMNS.index("name")] == "</td></tr><script>alert('name')</script>"
    assert "<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>" in text
    assert "<td>&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;</td>" in text
    assert "<td>R&amp;D &lt;lab&gt;</td>" in text
    assert "<td>C9300 &quot;48P&quot;</td>" in text


def test_title_and_meta_are_escaped_too():
    text = render_html([], "LibreNMS <devices> & co", 'filters {"hostname": "<x>"}')
    assert "<title>LibreNMS &lt;devices&gt; &amp; co</title>" in text
    assert "<h1>LibreNMS &lt;devices&gt; &amp; co</h1>" in text
    assert '<p class="meta">filters {&quot;hostname&quot;: &quot;&lt;x&gt;&quot;}</p>' in text


def test_a_status_cannot_break_out_of_its_class_attribute():
    row = dict(report_rows([state(1)])[0], status='ready" onclick="alert(1)')
    text = render_html([row], "t", "m")
    assert 'onclick="' not in text
    assert '<tr class="ready&quot; onclick=&quot;alert(1)">' in text


def test_one_row_per_state_in_the_given_order_with_every_column():
    states = [state(3, "exists"), state(1), state(2, "needs_review", role=None)]
    page = Page(render_html(report_rows(states), "t", "m"))
    header, *body = page.rows
    assert header == list(COLUMNS)
    assert [row[COLUMNS.index("librenms_id")] for row in body] == ["3", "1", "2"]
    assert all(len(row) == len(COLUMNS) for row in body)
    assert page.tags.count("table") == 1 and page.tags.count("tr") == 4


def test_rows_carry_their_status_as_class_and_notes_cells_are_wide():
    text = render_html(report_rows([state(1), HOSTILE]), "t", "m")
    assert re.findall(r'<tr class="([^"]*)">', text) == ["ready", "blocked"]
    page = Page(text)
    body_classes = page.cell_classes[len(COLUMNS):]
    expected = ["notes" if column in ("issues", "warnings") else None for column in COLUMNS]
    assert body_classes == expected * 2


def test_summary_counts_each_status_in_order_with_zeros_and_the_total():
    states = [state(1), state(2), state(3, "blocked", issues=["no site"]), state(4, "conflict")]
    text = render_html(report_rows(states), "t", "m")
    summary = re.search(r'<ul class="summary" id="summary">(.*?)</ul>', text).group(1)
    assert re.findall(r'<li class="(\w+)"><strong>(\d+)</strong>(\w+)</li>', summary) == [
        ("ready", "2", "ready"), ("needs_review", "0", "needs_review"), ("blocked", "1", "blocked"),
        ("exists", "0", "exists"), ("conflict", "1", "conflict"), ("total", "4", "total")]


def test_an_empty_search_is_a_page_with_zero_counts_and_an_empty_table():
    text = render_html([], "t", "m")
    assert '<li class="total"><strong>0</strong>total</li>' in text
    assert "<tbody>\n\n</tbody>" in text
    assert Page(text).rows == [list(COLUMNS)]


def test_the_page_is_self_contained():
    text = render_html(report_rows([state(1), state(2, "exists")]), "t", "m")
    assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</html>\n")
    assert '<meta charset="utf-8">' in text
    assert not re.search(r"<(script|link|iframe|object)\b|\b(src|href)\s*=|@import|url\(", text, re.IGNORECASE)
