"""What a page shows, as text, for the language tests: every string an AppTest run rendered.

Walks the element tree and reads each element's protobuf: labels, values, help texts,
options, captions; dataframes by their columns and text cells; Plotly figures by their
titles, axis titles, annotations, trace names, texts and hover texts.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from metrics.core import bahasa

# Proto fields that are identifiers, code or bytes, not text a reader sees.
SKIP_FIELDS = {"id", "form_id", "icon", "spec", "arrow_data", "page_script_hash", "page", "url", "data", "theme",
               "key", "type", "css_class", "selection_mode", "columns", "column_order", "editing_mode", "format",
               "mime_type", "file_id", "widget_id", "active_tab", "query_string", "config"}


def _proto_strings(message) -> list[str]:
    found = []
    for field, value in message.ListFields():
        if field.name in SKIP_FIELDS:
            continue
        values = (
            value
            if getattr(field, "is_repeated", False)
            or isinstance(value, (list, tuple))
            or type(value).__name__.startswith("Repeated")
            else [value]
        )
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "ListFields"):
                found.extend(_proto_strings(item))
    return found


def _figure_strings(spec: str) -> list[str]:
    figure = json.loads(spec)
    found = []

    def title(obj):
        if isinstance(obj, dict):
            t = obj.get("title")
            if isinstance(t, dict) and t.get("text"):
                found.append(t["text"])
            elif isinstance(t, str):
                found.append(t)

    layout = figure.get("layout", {})
    title(layout)
    for name, value in layout.items():
        if name.startswith(("xaxis", "yaxis", "coloraxis")):
            title(value)
            found.extend(str(v) for v in value.get("ticktext", []) or [])
            title(value.get("colorbar", {}))
    found.extend(a.get("text", "") for a in layout.get("annotations", []) or [])
    for trace in figure.get("data", []):
        if trace.get("name"):
            found.append(str(trace["name"]))
        for field in ("text", "hovertext", "hovertemplate"):
            value = trace.get(field)
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found.extend(str(v) for v in value if isinstance(v, str))
        title(trace.get("colorbar", {}) or trace.get("marker", {}).get("colorbar", {}))
    return found


def visible_texts(at, skip_columns: tuple[str, ...] = ()) -> list[str]:
    """Every text the last run of `at` rendered (dataframe columns in `skip_columns` left out)."""
    texts: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "plotly_chart" and proto is not None:
            texts.extend(_figure_strings(proto.spec))
        elif kind in ("dataframe", "table") and hasattr(node, "value"):
            frame = node.value
            texts.extend(str(c) for c in frame.columns)
            for column in frame.columns:
                if str(column) in skip_columns or frame[column].dtype.kind in "biufcmM":
                    continue
                texts.extend(str(v) for v in frame[column] if isinstance(v, str))
        elif getattr(proto, "body", None) is not None and str(proto.body).lstrip().startswith(("<script", "<style")):
            pass  # st.html carrying only a script or a style: nothing a reader sees
        elif proto is not None and hasattr(proto, "ListFields"):
            texts.extend(_proto_strings(proto))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return [t for t in texts if t and t.strip()]


def raw_keys(texts: list[str]) -> set[str]:
    """Catalogue keys shown as such (bahasa.t shows a missing key as the key itself)."""
    prefixes = {key.split(".")[0] for key in bahasa.katalog()}
    pattern = re.compile(r"\b(?:{})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*\b".format("|".join(sorted(prefixes))))
    return {m.group(0) for text in texts for m in pattern.finditer(text)}


# Common Indonesian words that have no business in an English screen's own texts.
INDONESIAN = re.compile(
    r"\b(yang|dan|dari|belum|untuk|tidak|dengan|bulan|ini|atau|pada|sudah|terhadap|adalah|peringkat|"
    r"nilai|tahun|sumber|tanpa|semua|lebih|setiap|baru|naik|turun|jarak|rata-rata|laporan|unduh|pilih)\b",
    re.IGNORECASE,
)


ADDRESS = re.compile(r"\S*\?\S+")  # an address with parameters (the Bagikan link)


def indonesian_leftovers(texts: list[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """Texts of an English screen that still contain common Indonesian words.

    `allowed` are substrings (data such as cited source titles) removed before the check."""
    found = []
    for text in texts:
        checked = text
        for fragment in allowed:
            checked = checked.replace(fragment, " ")
        checked = ADDRESS.sub(" ", checked)  # a shared link's page path and parameters are identifiers
        if INDONESIAN.search(checked):
            found.append(text)
    return found


def shown(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))
