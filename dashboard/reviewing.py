"""The analyst's review controls: confirm, reject, correct or pin one figure; exclude a document or outlet.

Every control writes through :class:`extract.reviews.ReviewStore` (SQLite) and reruns; the next run's
snapshot applies the reviews before any card, chart, table or export is built (``data.reviewed``).
Values typed here are checked by the store's own vocabulary checks, and shown back only escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.page import Page, plain, uploader_css
from extract import schema
from extract.labels import label
from extract.schema import C

_MESSAGE_KEY = "review_message"
_BLANK = ""


def message() -> None:
    """Show what the last review action did (kept across the rerun it caused)."""
    said = st.session_state.pop(_MESSAGE_KEY, None)
    if said:
        (st.success if said[0] == "ok" else st.error)(plain(said[1]))


def review_form(page: Page, claim: Mapping[str, Any], key: str) -> None:
    """Confirm, reject, pin or correct one claim, with an optional note."""
    if not page.reviews:
        return
    from extract.reviews import ClaimKey

    docs = page.full["documents"]
    hit = docs[docs[C.doc_id] == claim[C.doc_id]]
    if hit.empty:
        return
    claim_key = ClaimKey(str(hit[C.content_hash].iloc[0]), int(claim[C.start]), int(claim[C.end]),
                         str(claim[C.surface]))
    status = str(claim.get("review") or "unreviewed")
    st.caption(plain(page.t("review.status", status=page.t(f"review.state_{status}"))))
    note = st.text_input(page.t("review.note"), key=f"{key}-note", max_chars=500)
    cols = st.columns(3)
    # Confirming replaces a correction (the store keeps one status per figure): a corrected figure is
    # already the analyst's; undo the review first to confirm the extracted values instead.
    if cols[0].button(page.t("review.confirm"), key=f"{key}-confirm", icon=":material/check:",
                      disabled=status == "corrected", help=page.t("review.confirm_corrected")
                      if status == "corrected" else None):
        _act(page, lambda store: store.confirm(claim_key, note or None), "review.done_confirm")
    if cols[1].button(page.t("review.reject"), key=f"{key}-reject", icon=":material/block:"):
        _act(page, lambda store: store.reject(claim_key, note or None), "review.done_reject")
    pinned = bool(claim.get("pinned")) if not pd.isna(claim.get("pinned", False)) else False
    if cols[2].button(page.t("review.unpin" if pinned else "review.pin"), key=f"{key}-pin",
                      icon=":material/push_pin:"):
        _act(page, (lambda store: store.unpin(claim_key)) if pinned else (lambda store: store.pin(claim_key)),
             "review.done_pin")
    with st.form(key=f"{key}-correct", border=True):
        st.caption(page.t("review.correct_hint"))
        fields = _correction_fields(page, claim, key)
        pin_too = st.checkbox(page.t("review.pin_too"), key=f"{key}-pin-too")
        if st.form_submit_button(page.t("review.correct"), icon=":material/edit:"):
            changed = {f: v for f, v in fields.items() if _differs(v, claim.get(f))}
            if C.period in changed or C.period_kind in changed:  # checked together, as one statement
                changed[C.period], changed[C.period_kind] = fields[C.period], fields[C.period_kind]
            if not changed:
                st.error(page.t("review.nothing_changed"))
                return

            def write(store: Any) -> None:
                store.correct(claim_key, changed, note or None)
                if pin_too:
                    store.pin(claim_key)

            _act(page, write, "review.done_correct")
    if status != "unreviewed" and st.button(page.t("review.clear"), key=f"{key}-clear",
                                            icon=":material/undo:"):
        _act(page, lambda store: store.clear(claim_key), "review.done_clear")


def _correction_fields(page: Page, claim: Mapping[str, Any], key: str) -> dict[str, object]:
    """The correctable fields as form widgets, each showing the claim's current value."""
    lang = page.lang
    out: dict[str, object] = {}
    left, right = st.columns(2)
    out[C.value] = _number(left.text_input(page.t("review.value"), value=_shown(claim.get(C.value)),
                                           key=f"{key}-value"))
    out[C.value_high] = _number(right.text_input(page.t("review.value_high"),
                                                 value=_shown(claim.get(C.value_high)), key=f"{key}-high"))
    out[C.unit] = _choice(left, page.t("review.unit"), schema.UNITS, claim.get(C.unit), f"{key}-unit",
                          lambda u: label("unit", u, lang))
    out[C.metric] = _choice(right, page.t("review.metric"), schema.METRICS, claim.get(C.metric),
                            f"{key}-metric", lambda m: label("metric", m, lang))
    out[C.qualifier] = _choice(left, page.t("review.qualifier"), schema.QUALIFIERS, claim.get(C.qualifier),
                               f"{key}-qualifier", lambda q: label("qualifier", q, lang))
    year = left.text_input(page.t("review.year"), value=_shown(claim.get(C.year)), key=f"{key}-year")
    out[C.year] = int(year) if year.strip().isdigit() else (None if not year.strip() else year)
    out[C.period] = right.text_input(page.t("review.period"), value=_shown(claim.get(C.period)),
                                     key=f"{key}-period").strip() or None
    kinds = ("", *schema.PERIOD_KINDS)
    kind = _choice(right, page.t("review.period_kind"), kinds, claim.get(C.period_kind) or "",
                   f"{key}-kind", lambda k: label("period_kind", k, lang) if k else "—")
    out[C.period_kind] = kind or None
    out[C.entity] = left.text_input(page.t("review.entity"), value=_shown(claim.get(C.entity)),
                                    key=f"{key}-entity", max_chars=500).strip() or None
    return out


def _choice(where: Any, title: str, options: tuple[str, ...], current: object, key: str,
            fmt: Any) -> str:
    """A select box over a fixed vocabulary, starting at the current value."""
    value = _shown(current)
    index = options.index(value) if value in options else 0
    return str(where.selectbox(title, options, index=index, key=key, format_func=fmt))


def _number(text: str) -> object:
    """A typed number as a float, blank as None; anything else is passed on for the store to refuse."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _shown(value: object) -> str:
    """A cell as a form's starting text: nulls blank, whole floats without ``.0``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return _BLANK
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _differs(new: object, old: object) -> bool:
    """Whether a form value changes the claim's value (blank equals null, 5 equals 5.0)."""
    if _shown(new) == _shown(old):
        return False
    try:
        return abs(float(new) - float(old)) > 1e-9 * max(1.0, abs(float(old)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _act(page: Page, write: Any, done_key: str) -> None:
    """Run one write on the reviews database, remember what happened, and rerun with the new reviews."""
    from extract.reviews import ReviewError, ReviewStoreError

    try:
        write(data.open_reviews(page.reviews))
    except (ReviewError, ReviewStoreError) as exc:
        st.error(plain(str(exc)))  # here, beside the control that failed
        return
    _say("ok", page.t(done_key))
    for state_key in [k for k in st.session_state if str(k).startswith("review-")]:
        del st.session_state[state_key]  # the forms show the reviewed values next run, not the typed ones
    st.rerun()


def _say(kind: str, text: str) -> None:
    """Keep a message for the next run."""
    st.session_state[_MESSAGE_KEY] = (kind, text)


def exclusions_panel(page: Page) -> None:
    """Leave a document or an outlet out of everything (a spam page wrapping an article), or bring it back;
    export or import the reviews; and the reviews that no longer match a figure."""
    if not page.reviews:
        return
    st.subheader(page.t("review.title"))
    docs = page.full["documents"]
    store = data.review_store_at(page.reviews)
    if store is not None and store.problem:
        st.warning(plain(page.t("review.set_aside", problem=store.problem)))
    excluded = store.exclusions() if store is not None else pd.DataFrame(columns=["kind", "name"])
    left, right = st.columns(2)
    named = pd.concat([docs, page.full.get(data.EXCLUDED, docs.iloc[0:0])], ignore_index=True)
    titles = dict(zip(named[C.content_hash].astype(str), named[C.title].astype(str), strict=True))
    with left:
        choices = ["", *docs[C.content_hash].astype(str)]
        choice = st.selectbox(page.t("review.exclude_doc"), choices, key="exclude_doc",
                              format_func=lambda h: titles.get(h, "—") if h else "—")
        if st.button(page.t("review.exclude"), key="exclude_doc_go", disabled=not choice):
            _act(page, lambda s: s.exclude_document(choice), "review.done_exclude")
    with right:
        outlets = sorted({str(o) for o in docs[C.source_name].dropna()})
        outlet = st.selectbox(page.t("review.exclude_outlet"), ["", *outlets], key="exclude_outlet",
                              format_func=lambda o: o or "—")
        if st.button(page.t("review.exclude"), key="exclude_outlet_go", disabled=not outlet):
            _act(page, lambda s: s.exclude_outlet(outlet), "review.done_exclude")
    for i, row in enumerate(excluded.to_dict("records")):
        name = titles.get(str(row["name"]), str(row["name"])) if row["kind"] == "document" else row["name"]
        cols = st.columns([5, 1], vertical_alignment="center")
        cols[0].text(f"{page.t('review.kind_' + str(row['kind']))}：{name}")
        kind, value = str(row["kind"]), str(row["name"])
        if cols[1].button(page.t("review.include"), key=f"include-{i}", icon=":material/undo:"):
            _act(page, (lambda s, v=value: s.include_document(v)) if kind == "document"
                 else (lambda s, v=value: s.include_outlet(v)), "review.done_include")
    _files(page, store)
    orphans = page.orphans
    if orphans is not None and not orphans.empty:
        st.warning(page.t("review.orphans", n=len(orphans)))
        shown = orphans[[C.surface, "status", "reason", "detail"]]
        st.dataframe(shown, hide_index=True, width="stretch")


def _files(page: Page, store: Any) -> None:
    """Download the reviews as CSV or JSON Lines, and import a file of them."""
    cols = st.columns(3)
    if store is not None:
        cols[0].download_button(page.t("review.export_csv"), data=store.to_csv, file_name="reviews.csv",
                                mime="text/csv", key="dl-reviews-csv", on_click="ignore",
                                icon=":material/download:")
        cols[1].download_button(page.t("review.export_jsonl"), data=store.to_jsonl, file_name="reviews.jsonl",
                                mime="application/jsonl", key="dl-reviews-jsonl", on_click="ignore",
                                icon=":material/download:")
    upload = cols[2].file_uploader(page.t("review.import"), type=["csv", "jsonl"], key="reviews_import")
    from extract.reviews import MAX_IMPORT_BYTES

    st.html(uploader_css("reviews_import", page.t("documents.dropzone_button"),
                         page.t("review.import_note", mb=MAX_IMPORT_BYTES // 1_000_000)))
    if upload is not None and st.session_state.get("_reviews_imported") != upload.file_id:
        st.session_state["_reviews_imported"] = upload.file_id
        from extract.reviews import ReviewError, ReviewStoreError

        try:
            n = data.open_reviews(page.reviews).import_bytes(upload.getvalue(), upload.name)
        except (ReviewError, ReviewStoreError) as exc:
            _say("error", str(exc))
        else:
            _say("ok", page.t("review.imported", n=n))
        st.rerun()
