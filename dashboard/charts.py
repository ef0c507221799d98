"""Plotly figure builders: a data frame in, a figure out; no queries, no Streamlit.

Colours of statuses come from `pipelines.domain.AGGREGATE_STATUSES` and every status from `pipelines.scoring`
(`status_of` for a KPI result, `aggregate_status` -- given as a `status` column -- for a unit or dimension score),
so a cell, a bar and a card of the same score always wear the same colour.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard import i18n
from pipelines.domain import AGGREGATE_STATUSES, DIMENSION_COLOURS, DIMENSIONS, PLAN_LEVELS, STATUSES
from pipelines.periods import TIMELINESS
from pipelines.reports import NOT_SUBMITTED, PARTIAL, SUBMITTED
from pipelines.scoring import status_of

TARGET_LEVEL = 3
"""Level 3 of the five is the target level of a Thai performance agreement (DOMAIN section 6)."""
SCORE_RANGE = [0, 5.2]
STATE_STATUS = {SUBMITTED: "on_track", PARTIAL: "at_risk", NOT_SUBMITTED: "not_reported"}
"""Submission states wear the colours of the statuses they resemble."""
FONT = "'Source Sans Pro', 'Sarabun', 'Loma', 'Garuda', 'Noto Sans Thai', sans-serif"


def _score(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def status_of_score(value: object) -> str:
    return status_of(_score(value))


def _layout(fig: go.Figure, title: str, height: int = 380, **extra: object) -> go.Figure:
    settings = {
        "title": {"text": title, "font": {"size": 16}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "font": {"family": FONT},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    }
    fig.update_layout(**(settings | extra))
    return fig


def _target_line(fig: go.Figure, lang: str, horizontal: bool = True) -> None:
    line = {"dash": "dash", "color": "#424242", "width": 1.5}
    text = i18n.t("level3", lang)
    if horizontal:
        fig.add_hline(y=TARGET_LEVEL, line=line, annotation_text=text, annotation_position="top left")
    else:
        fig.add_vline(x=TARGET_LEVEL, line=line, annotation_text=text, annotation_position="top right")


def dimension_trend(scores: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One line per dimension across the quarters in `scores` (fiscal_year, quarter, dimension, score)."""
    periods = scores[["fiscal_year", "quarter"]].drop_duplicates().sort_values(["fiscal_year", "quarter"])
    labels = [i18n.period_label(y, q, lang) for y, q in periods.itertuples(index=False)]
    fig = go.Figure()
    for code in DIMENSIONS:
        rows = scores[scores["dimension"] == code].set_index(["fiscal_year", "quarter"])
        values = [_score(rows["score"].get(key)) for key in periods.itertuples(index=False, name=None)]
        if all(value is None for value in values):
            continue
        fig.add_trace(
            go.Scatter(
                x=labels, y=values, name=i18n.dimension_name(code, lang, short=True), mode="lines+markers",
                line={"color": DIMENSION_COLOURS[code], "width": 2.5}, connectgaps=False,
                hovertemplate="%{x}<br>%{fullData.name}: %{y:.4f}<extra></extra>",
            )
        )
    _target_line(fig, lang)
    return _layout(fig, title, yaxis={"range": SCORE_RANGE, "title": i18n.t("score", lang)},
                   xaxis={"type": "category"})


def _status_heatmap(
    z_status: list[list[str]], text: list[list[str]], x: list[str], y: list[str], hover: list[list[str]]
) -> go.Heatmap:
    """Cells coloured by status (a discrete scale over the AGGREGATE_STATUSES order), labelled with `text`."""
    order = list(AGGREGATE_STATUSES)
    n = len(order)
    scale = []
    for index, code in enumerate(order):
        colour = AGGREGATE_STATUSES[code][2]
        scale += [[index / n, colour], [(index + 1) / n, colour]]
    z = [[order.index(code) + 0.5 if code else None for code in row] for row in z_status]
    return go.Heatmap(
        z=z, x=x, y=y, text=text, customdata=hover, texttemplate="%{text}", zmin=0, zmax=n,
        colorscale=scale, showscale=False, xgap=3, ygap=3, hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
        textfont={"color": "white", "size": 12},
    )


def dimension_heatmap(heat: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Units (rows labelled `unit_name`, in the order given) x the four dimensions, each cell its score in the
    colour of its `status` (scoring.aggregate_status: provisional where little of the weight is reported)."""
    row_labels = dict(zip(heat["unit_code"], heat["unit_name"], strict=True))
    units = list(dict.fromkeys(heat["unit_code"]))
    columns = list(DIMENSIONS)

    def grid(values: str) -> list[list[object]]:  # units x dimensions, None where a unit has no such row
        table = heat.pivot(index="unit_code", columns="dimension", values=values).reindex(index=units, columns=columns)
        return [[None if pd.isna(cell) else cell for cell in row] for row in table.astype(object).values.tolist()]

    z, scores = grid("status"), grid("score")
    text = [[i18n.score_text(_score(s)) if status else "" for s, status in zip(score_row, status_row, strict=True)]
            for score_row, status_row in zip(scores, z, strict=True)]
    hover = [[i18n.status_name(status, lang) if status else "–" for status in row] for row in z]
    x = [i18n.dimension_name(code, lang, short=True) for code in columns]
    y = [row_labels.get(unit, unit) for unit in units]
    fig = go.Figure(_status_heatmap(z, text, x, y, hover))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(260, 80 + 42 * len(units)), xaxis={"side": "top"}, margin=TOP_AXIS_MARGIN)


def kpi_score_bars(results: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One bar per reported KPI result (labelled 'code · unit'), coloured by status, with the level 3 line."""
    scored = results[results["score"].notna()]
    labels = [f"{kpi} · {unit}" for kpi, unit in zip(scored["kpi_code"], scored["unit_code"], strict=True)]
    names = [i18n.kpi_name(th, en, lang) for th, en in zip(scored["name_th"], scored["name_en"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=labels, y=scored["score"], customdata=names,
            marker_color=[STATUSES[status_of_score(s)][2] for s in scored["score"]],
            text=[i18n.score_text(s) for s in scored["score"]], textposition="outside",
            hovertemplate="%{x}<br>%{customdata}<br>%{y:.4f}<extra></extra>",
        )
    )
    _target_line(fig, lang)
    return _layout(fig, title, yaxis={"range": SCORE_RANGE, "title": i18n.t("score", lang)},
                   xaxis={"type": "category", "tickangle": -45})


def status_distribution(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Bars of `count` per `status`, in the order and colours of STATUSES."""
    counts = counts.set_index("status")["count"].reindex(list(STATUSES), fill_value=0)
    fig = go.Figure(
        go.Bar(
            x=[i18n.status_name(code, lang) for code in counts.index], y=counts.values,
            marker_color=[STATUSES[code][2] for code in counts.index], text=counts.values, textposition="outside",
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    return _layout(fig, title, yaxis={"title": i18n.t("count", lang)}, xaxis={"type": "category"})


def weight_by_unit(weights: pd.DataFrame, lang: str, title: str, colour: str) -> go.Figure:
    labels = [i18n.unit_name(th, en, lang) for th, en in zip(weights["name_th"], weights["name_en"], strict=True)]
    fig = go.Figure(
        go.Bar(
            y=labels, x=weights["weight_share_pct"], orientation="h", marker_color=colour,
            text=[i18n.pct_text(v) for v in weights["weight_share_pct"]], textposition="auto",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(260, 80 + 30 * len(labels)),
                   xaxis={"title": i18n.t("weight_pct", lang), "range": [0, 105]})


def peer_scores(peers: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The unit beside its siblings: bars in the colours of their `status`, the selected unit outlined."""
    labels = [i18n.unit_name(th, en, lang) for th, en in zip(peers["name_th"], peers["name_en"], strict=True)]
    scores = [_score(s) for s in peers["score"]]
    fig = go.Figure(
        go.Bar(
            y=labels, x=[s if s is not None else 0 for s in scores], orientation="h",
            marker={
                "color": [AGGREGATE_STATUSES[status][2] for status in peers["status"]],
                "line": {"color": "#212121", "width": [3 if sel else 0 for sel in peers["is_selected"]]},
            },
            text=[i18n.score_text(s) for s in scores], textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _target_line(fig, lang, horizontal=False)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(260, 80 + 34 * len(labels)),
                   xaxis={"range": SCORE_RANGE, "title": i18n.t("score", lang)})


def _band_edges(definition: dict[str, object]) -> list[float]:
    """The five level thresholds t1..t5; a milestone KPI's levels are its steps 1..5."""
    if definition.get("kind") == "milestone":
        return [1.0, 2.0, 3.0, 4.0, 5.0]
    return [float(definition[f"t{k}"]) for k in range(1, 6)]


OWNER_COLOURS = px.colors.qualitative.Plotly
"""One colour per owner on the KPI chart, so that an owner's projection continues its own line."""


def kpi_actual_bands(results: pd.DataFrame, definition: dict[str, object], lang: str, title: str,
                     projections: pd.DataFrame | None = None, as_of: int | None = None) -> go.Figure:
    """Actual by quarter, one line per owner unit, over the five levels drawn as shaded bands; with `projections`
    (reports.kpi_projection, made as of quarter `as_of`), each owner's projected year-end (Q4) actual as a dotted
    continuation of its line from its last value reported by `as_of`, the interval as a whisker at Q4."""
    projections = projections if projections is not None else pd.DataFrame(columns=["unit_code"])
    edges = _band_edges(definition)
    lower_is_better = definition.get("direction") == "lower"
    actuals = [float(v) for v in results["actual"].dropna()]
    actuals += [float(v) for column in ("low", "high") if column in projections for v in projections[column].dropna()]
    low, high = min(edges + actuals), max(edges + actuals)
    pad = (high - low) * 0.15 or 1.0
    axis = [low - pad, high + pad]
    fig = go.Figure()
    # Band k holds the results scoring k..k+1; beyond t5 is level 5, before t1 scores 0.
    bounds = [axis[0], *edges, axis[1]] if not lower_is_better else [axis[1], *edges, axis[0]]
    for level in range(6):
        start, end = bounds[level], bounds[level + 1]
        colour = STATUSES[status_of(float(level))][2]
        label = i18n.t("band", lang, level=level) if level else i18n.t("below_level1", lang)
        fig.add_hrect(
            y0=min(start, end), y1=max(start, end), fillcolor=colour, opacity=0.07 + 0.03 * level, line_width=0,
            annotation_text=label, annotation_position="right", annotation_font_size=10,
        )
    quarters = [1, 2, 3, 4]
    labels = [i18n.t("quarter_option", lang, quarter=q) for q in quarters]
    projected = projections.set_index("unit_code")
    for position, (unit_code, rows) in enumerate(results.groupby("unit_code", sort=False)):
        by_quarter = rows.set_index("quarter")
        values = [_score(by_quarter["actual"].get(q)) for q in quarters]
        name = i18n.unit_name(rows["unit_name_th"].iloc[0], rows["unit_name_en"].iloc[0], lang)
        colour = OWNER_COLOURS[position % len(OWNER_COLOURS)]
        fig.add_trace(
            go.Scatter(
                x=labels, y=values, name=f"{unit_code} · {name}", mode="lines+markers", connectgaps=False,
                line={"width": 3, "color": colour}, marker={"size": 9},
                hovertemplate="%{x}<br>%{fullData.name}<br>" + i18n.t("actual", lang) + ": %{y:,.2f}<extra></extra>",
            )
        )
        if unit_code in projected.index and as_of is not None:
            reported = [q for q in quarters[:as_of] if values[q - 1] is not None]
            if reported:
                fig.add_trace(_projection_trace(projected.loc[unit_code], labels, reported[-1], values,
                                                f"{unit_code} · {i18n.t('projection_trace', lang, quarter=as_of)}",
                                                colour, lang))
    target = definition.get("target")
    if target is not None and not (isinstance(target, float) and math.isnan(target)):
        fig.add_hline(
            y=float(target), line={"dash": "dot", "color": "#212121"},
            annotation_text=i18n.t("target", lang) + f" {i18n.number_text(target)}", annotation_position="top left",
        )
    return _layout(fig, title, height=420, yaxis={"range": axis, "title": i18n.t("actual", lang)},
                   xaxis={"type": "category"}, margin={"l": 10, "r": 90, "t": 50, "b": 10})


def _projection_trace(projection: pd.Series, labels: list[str], last: int, values: list[float | None], name: str,
                      colour: str, lang: str) -> go.Scatter:
    """From the last reported quarter `last` to Q4, dotted; the interval low..high as an error bar at Q4."""
    value, low, high = (float(projection[column]) for column in ("projected_actual", "low", "high"))
    return go.Scatter(
        x=[labels[last - 1], labels[3]], y=[values[last - 1], value], name=name, mode="lines+markers",
        line={"width": 3, "color": colour, "dash": "dot"}, marker={"size": [0, 9], "symbol": "diamond-open"},
        error_y={"type": "data", "symmetric": False, "array": [0, high - value], "arrayminus": [0, value - low],
                 "color": colour, "thickness": 2, "width": 8},
        customdata=[["", ""], [i18n.number_text(low), i18n.number_text(high)]],
        hovertemplate="%{x}<br>%{fullData.name}<br>" + i18n.t("projected_actual", lang) + ": %{y:,.2f}<br>"
        + i18n.t("interval", lang) + ": %{customdata[0]}–%{customdata[1]}<extra></extra>",
    )


def pmqa_bars(categories: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Weight share and reported share per PMQA category, gaps (no KPI) included as empty slots."""
    x = [i18n.t("category_label", lang, category=c) for c in categories["category"]]
    names = [i18n.pmqa_name(c, lang) for c in categories["category"]]
    fig = go.Figure()
    for column, key, colour in (("weight_share_pct", "weight_share", "#1565c0"),
                                ("reported_pct", "reported_share", "#2e7d32")):
        fig.add_trace(
            go.Bar(
                x=x, y=categories[column].fillna(0), name=i18n.t(key, lang), marker_color=colour, customdata=names,
                text=[i18n.pct_text(v, 0) for v in categories[column]], textposition="outside",
                hovertemplate="%{x} %{customdata}<br>%{fullData.name}: %{y:.1f}<extra></extra>",
            )
        )
    return _layout(fig, title, barmode="group", yaxis={"title": "%"}, xaxis={"type": "category"})


def pmqa_radar(categories: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Weighted score per category on a 0-5 radar; a category without a score sits at 0 and says so."""
    theta = [i18n.t("category_label", lang, category=c) for c in categories["category"]]
    scores = [_score(s) for s in categories["score"]]
    fig = go.Figure(
        go.Scatterpolar(
            r=[s if s is not None else 0 for s in scores] + [scores[0] or 0],
            theta=theta + theta[:1], fill="toself", name=i18n.t("score", lang),
            text=[i18n.score_text(s) for s in scores] + [i18n.score_text(scores[0])],
            line={"color": "#1565c0"}, hovertemplate="%{theta}: %{text}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=[TARGET_LEVEL] * (len(theta) + 1), theta=theta + theta[:1], mode="lines", name=i18n.t("level3", lang),
            line={"dash": "dash", "color": "#424242"}, hoverinfo="skip",
        )
    )
    return _layout(fig, title, polar={"radialaxis": {"range": [0, 5]}})


def submission_matrix(matrix: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Units (rows, in the order given) x quarters, each cell its submission state's colour, labelled with
    `cell_text` (version and date, or how many KPIs are missing)."""
    units = list(dict.fromkeys(matrix["unit_code"]))
    quarters = [1, 2, 3, 4]
    states = matrix.pivot(index="unit_code", columns="quarter", values="state").reindex(index=units, columns=quarters)
    labels = matrix.pivot(index="unit_code", columns="quarter", values="cell_text").reindex(
        index=units, columns=quarters)
    states = states.fillna(NOT_SUBMITTED)
    z = states.map(STATE_STATUS.get).values.tolist()
    hover = states.map(lambda state: i18n.t(f"state_{state}", lang)).values.tolist()
    text = labels.fillna("").values.tolist()
    names = matrix.drop_duplicates("unit_code").set_index("unit_code")
    y = [f"{u} · " + _shorten(i18n.unit_name(names.at[u, "name_th"], names.at[u, "name_en"], lang)) for u in units]
    x = [i18n.t("quarter_option", lang, quarter=q) for q in quarters]
    fig = go.Figure(_status_heatmap(z, text, x, y, hover))
    fig.update_yaxes(autorange="reversed")
    # Each row as tall as its tallest label: 'version · missing · days late' is three lines of 12-px text.
    lines = max((str(label).count("<br>") + 1 for row in text for label in row), default=1)
    row_height = max(40, 12 + 16 * lines)
    return _layout(fig, title, height=max(260, 80 + row_height * len(units)),
                   xaxis={"side": "top", **QUARTER_AXIS}, margin=TOP_AXIS_MARGIN)


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


TOP_AXIS_MARGIN = {"l": 10, "r": 10, "t": 80, "b": 10}
"""A heatmap's column labels sit on top: below the title and below plotly's toolbar, which hid "ไตรมาส 4"."""
QUARTER_AXIS = {"type": "category", "tickangle": 0}
"""Quarters read "ไตรมาส 1" / "Q1" level, never as rotated numbers."""


def submission_counts(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars: per quarter, how many units submitted, partly reported or did not submit; counts are whole
    numbers written level inside the bars (a short segment does not turn its "1" on its side)."""
    fig = go.Figure()
    x = [i18n.t("quarter_option", lang, quarter=q) for q in counts["quarter"]]
    for state in (SUBMITTED, PARTIAL, NOT_SUBMITTED):
        fig.add_trace(
            go.Bar(
                x=x, y=counts[state], name=i18n.t(f"state_{state}", lang),
                marker_color=STATUSES[STATE_STATUS[state]][2], text=counts[state],
                textposition="inside", textangle=0, insidetextanchor="middle",
                hovertemplate="%{x}<br>%{fullData.name}: %{y}<extra></extra>",
            )
        )
    tallest = int(counts[[SUBMITTED, PARTIAL, NOT_SUBMITTED]].sum(axis=1).max()) if not counts.empty else 0
    count_axis = {"title": i18n.t("count", lang), "tickformat": ",d", "dtick": max(1, math.ceil(tallest / 8))}
    return _layout(fig, title, barmode="stack", yaxis=count_axis, xaxis=QUARTER_AXIS)


def timeliness_counts(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars: per quarter, how many units submitted on time, late, without a deadline, are overdue or have
    not submitted yet, in the colours of periods.TIMELINESS."""
    fig = go.Figure()
    x = [i18n.t("quarter_option", lang, quarter=q) for q in counts["quarter"]]
    for code, (_, _, colour) in TIMELINESS.items():
        fig.add_trace(
            go.Bar(
                x=x, y=counts[code], name=i18n.timeliness_name(code, lang), marker_color=colour,
                text=counts[code], textposition="inside", textangle=0,
                hovertemplate="%{x}<br>%{fullData.name}: %{y}<extra></extra>",
            )
        )
    return _layout(fig, title, barmode="stack", yaxis={"title": i18n.t("count", lang)}, xaxis=QUARTER_AXIS)


# --- OKR and the strategy map (issue 13) -------------------------------------------------------------------------

MAP_LAYERS = ("org_development", "efficiency", "service_quality", "effectiveness")
"""The strategy map's layers from the bottom up: organisational development enables efficiency, which serves
service quality, which yields effectiveness (the BSC's cause and effect)."""
_THAI_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
"""Thai vowel and tone marks written above or below the consonant before them: a line never starts with one."""
_THAI_LEADING = "\u0e40\u0e41\u0e42\u0e43\u0e44"
"""Thai vowels written before the consonant they follow in speech (เ แ โ ใ ไ): a line never ends with one."""


def wrap_label(text: str, width: int = 24, max_lines: int = 3) -> str:
    """`text` in lines of about `width` characters joined by <br> (plotly draws no wrapping of its own): broken at
    spaces, a long Thai run (Thai has no spaces between words) where a break keeps every vowel and tone mark with
    its consonant; past `max_lines` the last line ends in '…'."""
    pieces: list[str] = []
    for word in text.split():
        while len(word) > width:
            cut = width
            while cut > 1 and (_THAI_MARKS.match(word[cut]) or word[cut - 1] in _THAI_LEADING):
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "<br>".join(lines)


def _status_colour(status: str) -> str:
    return AGGREGATE_STATUSES.get(status, AGGREGATE_STATUSES["not_reported"])[2]


def okr_sunburst(objectives: pd.DataFrame, key_results: pd.DataFrame, kpis: pd.DataFrame, lang: str,
                 title: str) -> go.Figure:
    """Objective -> key result -> KPI, each sector in its status colour: the objectives share the circle equally,
    an objective's key results share its sector by their weights and a key result's KPIs share its by theirs.
    Frames as pipelines.okr_reports.OkrView gives them, with a `name` column in the page's language."""
    nodes: list[tuple[str, str, str, float, str, str]] = []  # id, label, parent, value, status, hover
    kpis_of = {code: rows for code, rows in kpis.groupby("key_result_code", sort=False)}
    results_of = {code: rows for code, rows in key_results.groupby("objective_code", sort=False)}

    def hover(code: str, name: str, row: object) -> str:
        return (f"{code} · {name}<br>{i18n.t('progress', lang)}: {i18n.pct_text(getattr(row, 'progress_pct', None))}"
                f"<br>{i18n.t('score', lang)}: {i18n.score_text(row.score)}<br>{i18n.status_name(row.status, lang)}")

    for objective in objectives.itertuples():
        code = objective.objective_code
        results = results_of.get(code)
        nodes.append((code, f"{code}<br>{i18n.pct_text(objective.progress_pct, 0)}", "", 0.0 if results is not None
                      else 1.0, objective.status, hover(code, objective.name, objective)))
        if results is None:
            continue
        for result in results.itertuples():
            share = float(result.weight) / float(results["weight"].sum())
            node = f"{code}/{result.key_result_code}"
            measured = kpis_of.get(result.key_result_code)
            nodes.append((node, f"{result.key_result_code}<br>{i18n.pct_text(result.progress_pct, 0)}", code,
                          0.0 if measured is not None else share, result.status,
                          hover(result.key_result_code, result.name, result)))
            for kpi in measured.itertuples() if measured is not None else ():
                nodes.append((f"{node}/{kpi.kpi_code}", kpi.kpi_code, node,
                              share * float(kpi.weight) / float(measured["weight"].sum()), kpi.status,
                              hover(kpi.kpi_code, kpi.name, kpi)
                              + f"<br>{i18n.t('weight', lang)}: {i18n.number_text(kpi.weight)}"))
    ids, labels, parents, values, statuses, texts = (list(column) for column in zip(*nodes, strict=True))
    fig = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="remainder",
        marker={"colors": [_status_colour(status) for status in statuses], "line": {"color": "white", "width": 1}},
        hovertext=texts, hoverinfo="text", insidetextorientation="horizontal", textfont={"color": "white"},
        sort=False, leaf={"opacity": 1},
    ))
    return _layout(fig, title, height=560, margin={"l": 10, "r": 10, "t": 50, "b": 10})


def _spread(wanted: dict[str, float]) -> dict[str, float]:
    """Positions on 0..1 in the order of `wanted`'s values, evenly spaced where two would overlap."""
    order = sorted(wanted, key=wanted.get)
    gap = 1 / (len(order) + 1)
    xs = [wanted[code] for code in order]
    if any(b - a < gap * 0.9 for a, b in zip(xs, xs[1:], strict=False)):
        xs = [(index + 0.5) / len(order) for index in range(len(order))]
    return dict(zip(order, xs, strict=True))


def strategy_map(objectives: pd.DataFrame, links: pd.DataFrame, plan_items: pd.DataFrame, lang: str,
                 title: str) -> go.Figure:
    """The four BSC dimensions as layers from the bottom up (MAP_LAYERS), each objective a box in its layer in
    its status colour, arrows from cause to effect, and above the layers the plan items the objectives serve with
    the items above them, each level a row (lines join an objective to its plan item, an item to its parent).
    `objectives` (objective_code, name, dimension, status, progress_pct, plan_code) and `plan_items` (plan_code,
    name, level, parent_code) carry `name` in the page's language; every plan item of `plan_items` drawn is on
    the chain of one an objective serves."""
    position: dict[str, tuple[float, float]] = {}
    for layer, dimension in enumerate(MAP_LAYERS):
        codes = list(objectives.loc[objectives["dimension"] == dimension, "objective_code"])
        position |= {code: ((index + 0.5) / len(codes), layer) for index, code in enumerate(codes)}
    parent_of = dict(zip(plan_items["plan_code"], plan_items["parent_code"], strict=True))
    level_of = dict(zip(plan_items["plan_code"], plan_items["level"], strict=True))
    below: dict[str, list[str]] = {}  # plan item -> the objectives and plan items drawn under it
    for code, plan in zip(objectives["objective_code"], objectives["plan_code"], strict=True):
        while isinstance(plan, str) and plan in level_of and code not in below.get(plan, []):
            below.setdefault(plan, []).append(code)
            code, plan = plan, parent_of[plan]
    levels = [level for level in reversed(PLAN_LEVELS) if level in {level_of[code] for code in below}]
    for row, level in enumerate(levels, start=len(MAP_LAYERS)):
        wanted = {code: sum(position[child][0] for child in below[code]) / len(below[code])
                  for code in below if level_of[code] == level}
        position |= {code: (x, row) for code, x in _spread(wanted).items()}
    fig = go.Figure()
    for layer, dimension in enumerate(MAP_LAYERS):
        fig.add_shape(type="rect", x0=-0.02, x1=1.02, y0=layer - 0.45, y1=layer + 0.45, line_width=0, layer="below",
                      fillcolor=DIMENSION_COLOURS[dimension], opacity=0.10)
        fig.add_annotation(x=-0.02, y=layer + 0.44, text=f"<b>{i18n.dimension_name(dimension, lang, short=True)}</b>",
                           showarrow=False, xanchor="left", yanchor="top", font={"color": DIMENSION_COLOURS[dimension]})
    for row, level in enumerate(levels, start=len(MAP_LAYERS)):
        fig.add_shape(type="rect", x0=-0.02, x1=1.02, y0=row - 0.45, y1=row + 0.45, line_width=0, layer="below",
                      fillcolor="#eceff1", opacity=0.6)
        fig.add_annotation(x=-0.02, y=row + 0.44, text=f"<b>{i18n.plan_level_name(level, lang)}</b>",
                           showarrow=False, xanchor="left", yanchor="top", font={"color": "#455a64"})
    for parent, children in below.items():
        for child in children:
            (x0, y0), (x1, y1) = position[child], position[parent]
            fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
                          line={"color": "#90a4ae", "width": 1, "dash": "dot"})
    for item in plan_items[plan_items["plan_code"].isin(below)].itertuples():
        x, y = position[item.plan_code]
        fig.add_annotation(x=x, y=y, text=wrap_label(f"{item.plan_code} {item.name}", 30, 2), showarrow=False,
                           bgcolor="white", bordercolor="#78909c", borderpad=4, font={"size": 10, "color": "#263238"})
    for link in links.itertuples():
        if link.from_objective in position and link.to_objective in position:
            (x0, y0), (x1, y1) = position[link.from_objective], position[link.to_objective]
            fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                               showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=2, arrowcolor="#37474f",
                               standoff=28 if y0 != y1 else 90, startstandoff=28 if y0 != y1 else 90)
    for objective in objectives.itertuples():
        x, y = position[objective.objective_code]
        fig.add_annotation(x=x, y=y, text=wrap_label(f"{objective.objective_code} {objective.name}", 30)
                           + f"<br>{i18n.pct_text(objective.progress_pct, 0)}", showarrow=False,
                           bgcolor=_status_colour(objective.status), borderpad=5, font={"size": 11, "color": "white"})
    codes = list(objectives["objective_code"])
    fig.add_trace(go.Scatter(
        x=[position[code][0] for code in codes], y=[position[code][1] for code in codes], mode="markers",
        customdata=codes, marker={"size": 44, "symbol": "square", "opacity": 0.01,
                                  "color": [_status_colour(status) for status in objectives["status"]]},
        hovertext=[f"{code} · {name}<br>{i18n.status_name(status, lang)} · {i18n.pct_text(progress)}"
                   for code, name, status, progress in zip(codes, objectives["name"], objectives["status"],
                                                            objectives["progress_pct"], strict=True)],
        hoverinfo="text", showlegend=False,
    ))
    rows = len(MAP_LAYERS) + len(levels)
    return _layout(fig, title, height=130 * rows + 60, showlegend=False, dragmode=False,
                   xaxis={"visible": False, "range": [-0.03, 1.03], "fixedrange": True},
                   yaxis={"visible": False, "range": [-0.55, rows - 0.45], "fixedrange": True})


# --- the SQL page's quick chart --------------------------------------------------------------------------------

QUICK_CHART_KINDS = ("bar", "line", "scatter")


def quick_chart(frame: pd.DataFrame, kind: str, x: str | None, y: str, colour: str | None) -> go.Figure:
    """The SQL page's chart of a query result: `kind` one of QUICK_CHART_KINDS; x None: the row number."""
    draw = {"bar": px.bar, "line": px.line, "scatter": px.scatter}[kind]
    plotted = frame.copy()
    if colour:
        plotted[colour] = plotted[colour].astype(str)
    return draw(plotted, x=x, y=y, color=colour)


def default_axes(columns: list[str], numeric: list[str]) -> tuple[str | None, str]:
    """x: the first label column (text, date), else the first column; y: the first numeric column that is not
    x; the row number as x when the result has a single column.  Never the same column on both axes."""
    labels = [name for name in columns if name not in numeric]
    if labels:
        return labels[0], numeric[0]
    if len(columns) == 1:
        return None, numeric[0]
    return columns[0], next(name for name in numeric if name != columns[0])


# --- the strategy: End Product hand-offs, alignment with the plans (ep-align) ---------------------------------

def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def handoff_sankey(handoffs: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Hand-offs (from_unit, from_name, to_unit, to_name, what, from_status) as a Sankey in three columns: each
    giving unit on the left, what it hands over in the middle, the receiving unit on the right, so two units
    handing to each other stay two readable paths. Links and giving units wear the giver's status colour, so a gap
    shows where a unit behind its target feeds another. A receiver's label is short (plotly writes the last
    column's labels to the left of it, over the middle column's); every node's hover has its full text."""
    givers = dict(zip(handoffs["from_unit"], handoffs["from_name"], strict=True))
    receivers = dict(zip(handoffs["to_unit"], handoffs["to_name"], strict=True))
    status_of_giver = dict(zip(handoffs["from_unit"], handoffs["from_status"], strict=True))
    middle, first_receiver = len(givers), len(givers) + len(handoffs)
    labels = ([_shorten(f"{code} · {name}", 50) for code, name in givers.items()]
              + [_shorten(str(what), 46) for what in handoffs["what"]]
              + [_shorten(f"{code} · {name}", 22) for code, name in receivers.items()])
    hover = [*(f"{code} · {name}" for code, name in givers.items()), *handoffs["what"],
             *(f"{code} · {name}" for code, name in receivers.items())]
    sources, targets, colours, link_text = [], [], [], []
    for number, row in enumerate(handoffs.itertuples()):
        colour = _rgba(AGGREGATE_STATUSES[row.from_status][2], 0.45)
        sources += [list(givers).index(row.from_unit), middle + number]
        targets += [middle + number, first_receiver + list(receivers).index(row.to_unit)]
        colours += [colour, colour]
        text = f"{row.from_name} → {row.to_name}: {row.what} ({i18n.status_name(row.from_status, lang)})"
        link_text += [text, text]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "customdata": hover, "pad": 18, "thickness": 16,
              "color": [AGGREGATE_STATUSES[status_of_giver[code]][2] for code in givers]
              + ["#90a4ae"] * len(handoffs) + ["#546e7a"] * len(receivers),
              "hovertemplate": "%{customdata}<extra></extra>"},
        link={"source": sources, "target": targets, "value": [1] * len(sources), "color": colours,
              "customdata": link_text, "hovertemplate": "%{customdata}<extra></extra>"},
    ))
    return _layout(fig, title, height=max(260, 90 + 70 * len(handoffs)), font={"family": FONT, "size": 13})


PLAN_LEVEL_COLOURS = {"national_strategy": "#1565c0", "master_plan": "#00838f", "ministry_plan": "#6a1b9a",
                      "agency_plan": "#ef6c00"}


def alignment_bars(items: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The share of the KPI weight serving each plan item (plan_code, level, name, weight_share_pct), one bar per
    item in the order given, coloured by plan level."""
    fig = go.Figure()
    labels = [f"{code} {_shorten(str(name), 40)}" for code, name in zip(items["plan_code"], items["name"],
                                                                         strict=True)]
    for level, colour in PLAN_LEVEL_COLOURS.items():
        chosen = (items["level"] == level).tolist()
        if not any(chosen):
            continue
        rows = items[chosen]
        fig.add_trace(go.Bar(
            y=[label for label, keep in zip(labels, chosen, strict=True) if keep], x=rows["weight_share_pct"],
            orientation="h", name=i18n.plan_level_name(level, lang), marker_color=colour,
            text=[i18n.pct_text(value) for value in rows["weight_share_pct"]], textposition="outside",
            customdata=rows["name"], hovertemplate="%{customdata}: %{x:.1f}%<extra></extra>",
        ))
    return _layout(fig, title, height=max(280, 150 + 34 * len(items)),
                   xaxis={"title": i18n.t("weight_share", lang), "range": [0, 110]},
                   yaxis={"autorange": "reversed", "type": "category"},
                   legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
                   margin={"l": 10, "r": 10, "t": 80, "b": 10})
