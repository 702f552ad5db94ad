"""Meeting decks for trainers (python-pptx): 16:9, big Thai text, native PowerPoint charts that
trainers can edit, offline. No ID numbers of any kind appear (people are named only).

A deck tells the year's story from the report's context (``documents.report.ReportContext``:
the figures and denominators of the PDF of the same run): the three numbers of the year, the
stages, pre and post by standard, who improved most, certification, the districts' map, the change
since last year (params ``compare_with``), the weakest indicators, readiness, the training
plan (province), the next steps per district and the deadlines ahead; each slide with Thai
speaker notes. Layout in ``deck_layout``, slides in ``deck_slides`` and ``deck_steps``.

Thai is set as complex-script text: every run and every chart text (axes, labels, legend)
names TH Sarabun New for Latin, East Asian and complex script alike, so PowerPoint and
LibreOffice never fall back to another font for the Thai part. Text is measured with the
bundled Sarabun (``textfit``): long labels are cut between words with "…", names in lists
break only between their words, titles shrink to one line, and lines are spaced so the marks
of one line keep clear of the next.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mchch_lib.common import thai
from mchch_lib.common.atomic import atomic_path
from mchch_lib.deliverables import deck_slides as slides
from mchch_lib.deliverables import deck_steps as steps
from mchch_lib.deliverables.deck_layout import CHART, FONT, H_IN, INSET_PT, LABEL_SHARE, W_IN
from mchch_lib.deliverables.deck_layout import textbox as _text

#: The layout names tests and callers read from ``deck`` (kept from before the split).
__all__ = ["CHART", "FONT", "INSET_PT", "LABEL_SHARE", "_text", "build_deck", "save"]

HEADING = "ความก้าวหน้า มชช."


def build_deck(ctx, plan: pd.DataFrame | None = None, heading: str = HEADING):
    """A Presentation of one district or the province (``ctx``: its report context);
    ``plan``: the province's training plan (``analysis.training_plan.sessions``), made from
    the context when None."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W_IN), Inches(H_IN)
    slides.headline(prs, ctx, heading)
    slides.stages(prs, ctx)
    slides.pre_post(prs, ctx)
    if ctx.is_province:
        slides.improved_districts(prs, ctx)
    slides.improved_units(prs, ctx)
    slides.certification(prs, ctx)
    if ctx.is_province:
        slides.district_map(prs, ctx)
    slides.comparison(prs, ctx)
    slides.gaps(prs, ctx)
    slides.readiness(prs, ctx)
    if ctx.is_province:
        from mchch_lib.analysis import training_plan

        if plan is None:
            plan = training_plan.sessions(ctx.indicators, ctx.applicants)
        steps.plan_slides(prs, ctx, plan)
    steps.next_steps(prs, ctx)
    steps.closing(prs, ctx)
    return prs


def use_thai_digits(prs) -> None:
    """Show a finished deck in Thai digits (params ``output.thai_digits``): chart numbers by
    their number format, Thai text by its characters (codes with no Thai letter stay), in
    text boxes, tables and speaker notes."""
    for slide in prs.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames += [c.text_frame for s in slide.shapes if getattr(s, "has_table", False)
                   and s.has_table for row in s.table.rows for c in row.cells]  # fmt: skip
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
        for tf in frames:
            for p in tf.paragraphs:
                for r in p.runs:
                    r.text = thai.thai_digits_in_text(r.text)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                _chart_thai_digits(shape.chart)


def _chart_thai_digits(chart) -> None:
    for plot in chart.plots:
        if plot.has_data_labels:
            labels = plot.data_labels
            fmt = labels.number_format if not labels.number_format_is_linked else "0"
            labels.number_format = ";".join(
                thai.EXCEL_THAI_DIGITS + part if part else part for part in (fmt or "0").split(";")
            )
            labels.number_format_is_linked = False
    ticks = chart.value_axis.tick_labels
    ticks.number_format = thai.EXCEL_THAI_DIGITS + "0"
    ticks.number_format_is_linked = False


def save(prs, path: Path) -> Path:
    prs.core_properties.author = "mchch"
    with atomic_path(path) as tmp:
        prs.save(tmp)
    return path
