"""The shared SVG chart module: text alternatives, escaping, no inline styles, stable markup."""
import re
from html import unescape

from spiegel.shared import charts


def rows():
    return [charts.BarRow("Groep <één>", 3.4, "3,4", "attention", 0.8, (charts.Marker("school", 3.1),
                                                                        charts.Marker("previous", 2.9)), True),
            charts.BarRow("Tijd & ruimte om samen te werken aan lessen en materiaal", 4.1, "4,1", "strength", 0.5),
            charts.BarRow("Leiderschapsnetwerken", None, "minder dan 3")]


def test_bars_have_a_title_a_description_and_no_inline_style():
    svg = str(charts.scale_bars(rows(), title="Groepen & co", desc="Groep: 3,4; Tijd: 4,1"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    title_id, desc_id = re.search(r'aria-labelledby="([^ "]+) ([^"]+)"', svg).groups()
    assert f'<title id="{title_id}">Groepen &amp; co</title>' in svg and f'<desc id="{desc_id}">' in svg
    assert "Groep &lt;één&gt;" in svg and "<één>" not in svg
    assert "minder dan 3" in svg
    assert "style=" not in svg and "<script" not in svg


def test_same_data_same_markup_and_ids():
    first = charts.scale_bars(rows(), title="T", desc="D")
    assert charts.scale_bars(rows(), title="T", desc="D") == first
    assert charts.scale_bars(rows()[:2], title="T", desc="D") != first


def test_labels_beside_the_bars_for_print():
    html = str(charts.scale_bars(rows(), title="T", desc="D", beside=charts.Beside()))
    assert html.startswith('<div class="bar-chart"><ol class="bar-labels" aria-hidden="true">')
    labels = re.findall(r'<li class="rows-(\d)[^"]*">(.*?)</li>', html.split('<ol class="bar-values"')[0])
    assert len(labels) == 3
    for count, text in labels:
        lines = unescape(text).split("<br>")
        assert int(count) == len(lines) and all(len(line) <= charts.Beside().chars_per_line for line in lines)
    assert '<ol class="bar-values"' in html and ">3,4</li>" in html
    svg = html[html.index("<svg"):]
    assert "Tijd &amp; ruimte" not in svg  # the labels are not drawn twice


def test_bipolar_dumbbell_and_key():
    bipolar = str(charts.bipolar_bars([charts.PoleRow("Verbindingen", "zwak", "sterk", 2.1, 3.9, "2,1", "3,9",
                                                      ("b",), ("b",))], title="Netwerk", desc="zwak 2,1, sterk 3,9"))
    assert "sterk !" in bipolar and "<title" in bipolar
    printed = str(charts.bipolar_bars([charts.PoleRow("Verbindingen", "zwak", "sterk", 2.1, 3.9, "2,1", "3,9", ("b",),
                                                      ("b",))], title="Netwerk", desc="d", beside=charts.Beside()))
    assert "<li class=\"rows-2\"><b>Verbindingen</b><br>zwak ↔ sterk !</li>" in printed
    pair = str(charts.dumbbell([charts.PairRow("Tijd", 2.0, 3.5, True)], first_name="leraren",
                               second_name="leiding", title="Rollen", desc="Tijd"))
    assert "leraren" in pair and "circle" in pair
    key = str(charts.key([("strength", "sterkte <3,5>"), ("school", "school"), ("spread", "spreiding")], title="Key"))
    assert key.startswith('<ul class="chart-key-list" aria-label="Key">') and "sterkte &lt;3,5&gt;" in key
    assert 'class="key-school"' in key and "style=" not in key


def test_sparkline_and_wrap():
    assert charts.sparkline((0, 2, 4, 1, 0)) == "▁▅█▃▁"  # zero is the lowest block, any answer higher
    assert charts.sparkline((0, 0, 0, 0, 0)) == ""
    lines = charts.wrap("een twee drie vier vijf zes zeven acht negen tien", 10, 80, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_only_the_pdf_module_imports_weasyprint():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "spiegel"
    importers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                       if re.search(r"^\s*(from|import) weasyprint", p.read_text(), re.M))
    assert importers == ["reports/pdf.py"]


# -- nothing hides under a filled shape, nothing is cut, every chart has its scale (issue 14) ---------

SVG_NS = "{http://www.w3.org/2000/svg}"


def _path_box(d: str):
    """Bounding box of a path of M/L/H/V/h/v/l/Z commands (the shapes the charts draw as rows)."""
    tokens = re.findall(r"[MLHVZmlhvzaA]|-?\d+(?:\.\d+)?", d)
    xs, ys, x, y, i = [], [], 0.0, 0.0, 0
    command = "M"
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                continue
            continue
        if command in "ML":
            x, y = float(tokens[i]), float(tokens[i + 1])
            i += 2
        elif command == "l":
            x, y = x + float(tokens[i]), y + float(tokens[i + 1])
            i += 2
        elif command == "H":
            x = float(tokens[i])
            i += 1
        elif command == "h":
            x += float(tokens[i])
            i += 1
        elif command == "V":
            y = float(tokens[i])
            i += 1
        elif command == "v":
            y += float(tokens[i])
            i += 1
        elif command in "aA":
            i += 7
            continue
        xs.append(x)
        ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def texts_under_filled_shapes(svg: str) -> list[str]:
    """Texts that a filled shape drawn later (SVG paints in document order) covers."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(svg)
    hidden = []
    nodes = list(root)
    for index, node in enumerate(nodes):
        if node.tag != SVG_NS + "text":
            continue
        first_x = float(node.get("x").split()[0])
        point = (first_x + 1, float(node.get("y")) - 1)
        for later in nodes[index + 1:]:
            if later.get("fill") in (None, "none") or later.tag not in (SVG_NS + "path", SVG_NS + "rect"):
                continue
            if later.tag == SVG_NS + "rect":
                box = (float(later.get("x")), float(later.get("y")), float(later.get("x")) + float(later.get("width")),
                       float(later.get("y")) + float(later.get("height")))
            else:
                box = _path_box(later.get("d"))
            if box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]:
                hidden.append(node.text)
    return hidden


def test_fewer_than_label_is_drawn_above_the_track():
    for beside in (None, charts.Beside()):
        html = str(charts.scale_bars(rows(), title="T", desc="D", beside=beside))
        svg = html[html.index("<svg"):html.index("</svg>") + 6]
        assert "minder dan 3" in svg
        assert texts_under_filled_shapes(svg) == []


def test_the_overlap_check_sees_a_text_under_a_shape():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><text x="10" y="12" fill="#000">weg</text>'
           '<path d="M0 0h50v20h-50Z" fill="#eee"/></svg>')
    assert texts_under_filled_shapes(svg) == ["weg"]


def test_pole_chart_names_are_never_cut_and_it_has_a_scale():
    name = "Evenwicht tussen formele sturing en gedeeld leiderschap in het team"
    row = charts.PoleRow(name, "sturend", "gedeeld", 2.0, 4.0, "2,0", "4,0", ("b",), ())
    for beside in (None, charts.Beside()):
        html = str(charts.bipolar_bars([row], title="Fase", desc="d", beside=beside))
        assert "…" not in html
        svg = html[html.index("<svg"):]
        # a 1..5 scale on both sides of the centre line
        ticks = re.search(r'<text x="([\d. ]+)"[^>]*>((?:[1-5]){10})</text>', svg)
        assert ticks and ticks.group(2) == "1234512345"
    printed = str(charts.bipolar_bars([row], title="Fase", desc="d", beside=charts.Beside()))
    item = re.search(r'<li class="rows-(\d)">(.*?)</li>', printed)
    assert "Evenwicht tussen formele" in item.group(2) and "leiderschap" in item.group(2)
