"""The facts and corroboration sections: every figure in a grid, and one row per indicator and period."""

from __future__ import annotations

import streamlit as st

from dashboard import export, indicator_views, reviewing
from dashboard.figures import built
from dashboard.page import Page, plain
from dashboard.widgets import claims_block, sentence_block
from extract.schema import C


def facts(page: Page) -> None:
    """Every claim in a sortable, searchable grid, with its marked sentence and the article's link."""
    if page.view["claims"].empty:
        st.info(page.t("facts.empty"))
        return
    table = built(page, "facts")
    hidden = {C.doc_id, C.claim_id}
    if page.reviews:
        st.caption(page.t("review.pick"))
    event = st.dataframe(
        table, hide_index=True, width="stretch", height=min(720, 38 * len(table) + 40),
        column_order=[c for c in table.columns if c not in hidden],
        column_config={page.t("facts.url"): st.column_config.LinkColumn(page.t("facts.url"))},
        on_select="rerun" if page.reviews else "ignore", selection_mode="single-row", key="facts-table",
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or []) if page.reviews else []
    if rows:
        picked = table.iloc[int(rows[0])]
        claims = page.view["claims"]
        hit = claims[(claims[C.doc_id] == picked[C.doc_id]) & (claims[C.claim_id] == picked[C.claim_id])]
        if not hit.empty:
            claim = hit.iloc[0].to_dict()
            with st.container(border=True):
                sentence_block(claim[C.sentence], str(claim[C.surface]), "")
                reviewing.review_form(page, claim, f"review-{claim[C.doc_id]}-{claim[C.claim_id]}")
    stem = page.filename(page.t("tab.facts"))
    left, right = st.columns(2)
    left.download_button(page.t("download.csv"), data=lambda: export.frame_to_csv(table),
                         file_name=f"{stem}.csv", mime="text/csv", key="dl-facts-csv", on_click="ignore",
                         icon=":material/download:", width="stretch")
    right.download_button(
        page.t("download.xlsx"), data=lambda: export.tables_to_xlsx({page.t("tab.facts"): table}),
        file_name=f"{stem}.xlsx", key="dl-facts-xlsx", on_click="ignore", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
    )


def corroboration(page: Page) -> None:
    """One row per indicator and period: the consensus, how the sources stand, and their sentences."""
    st.subheader(page.t("corroboration.title"))
    if len(page.view["documents"]) < 2:
        st.info(page.t("corroboration.needs_more"), icon=":material/library_add:")
        return
    frame = built(page, "corroboration")
    if frame.empty:
        st.info(page.t("corroboration.none_found"))
        return
    st.caption(page.t("corroboration.rule"))
    headers = indicator_views.TABLE_HEADERS["zh" if page.lang == "zh" else "en"]
    shown = frame[list(headers)].rename(columns=headers)
    event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="corroboration-table",
                         height=min(640, 36 * len(shown) + 40))
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if rows:
        row = frame.iloc[int(rows[0])]
        st.markdown(f"**{plain(row['label'])} · {plain(row['period_text'])}**")
        claims_block(page, str(row["claim_keys"]), limit=20, review=True, where="row")
    else:
        st.caption(page.t("corroboration.select_hint"))
    export_frame = shown.assign(**{"claim_keys": frame["claim_keys"]})
    st.download_button(page.t("download.csv"), data=lambda: export.frame_to_csv(export_frame),
                       file_name=f"{page.filename(page.t('tab.corroboration'))}.csv", mime="text/csv",
                       key="dl-corroboration-csv", on_click="ignore", icon=":material/download:")
