"""The documents section: upload articles, remove the ones you added, see the corpus and what failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, reviewing, store
from dashboard.i18n import t
from dashboard.page import Page, plain, uploader_css
from extract.schema import C

_UPLOADER_KEY = "uploader_round"
_MESSAGES_KEY = "upload_messages"


def documents(page: Page, settings: data.Settings) -> None:
    """Upload or paste documents, edit or remove the ones you added, see the corpus and what failed."""
    for kind, message in st.session_state.pop(_MESSAGES_KEY, []):
        (st.success if kind == "ok" else st.info if kind == "same" else st.error)(plain(message))
    _upload(page, settings)
    _paste(page, settings)
    _user_documents(page, settings)
    st.subheader(page.t("documents.list"))
    docs = page.full["documents"]
    cols = [C.title, C.date, C.source_name, C.file_name, C.n_chars]
    names = [page.t(f"documents.col_{c}") for c in cols]
    shown = docs.loc[:, cols].astype({c: "string" for c in cols[:-1]}).fillna("")  # no "None" for a gap
    st.dataframe(shown.set_axis(names, axis=1), hide_index=True, width="stretch",
                 height=min(720, 36 * len(shown) + 40))
    reviewing.exclusions_panel(page)
    errors(page)


def _say(page: Page, messages: list[data.Message]) -> None:
    """Keep the messages for the next run, in the page's language, and rerun."""
    st.session_state[_MESSAGES_KEY] = [(kind, page.t(key, **values)) for kind, key, values in messages]
    st.rerun()


def _upload(page: Page, settings: data.Settings) -> None:
    """The uploader: several files or .zip archives; each file is checked by extracting it, then saved
    atomically; bad files and archive members are reported one by one."""
    st.subheader(page.t("documents.upload"))
    round_ = st.session_state.setdefault(_UPLOADER_KEY, 0)
    mb, report_mb = store.MAX_UPLOAD_BYTES // (1024 * 1024), store.MAX_REPORT_BYTES // (1024 * 1024)
    kinds = [s.lstrip(".") for s in (*store.ALLOWED_SUFFIXES, ".zip")]
    files = st.file_uploader(
        page.t("documents.upload"), type=kinds, accept_multiple_files=True, key=f"uploader-{round_}",
        label_visibility="collapsed", help=page.t("documents.upload_help", mb=mb, report_mb=report_mb),
    )
    st.caption(plain(page.t("documents.upload_help", mb=mb, report_mb=report_mb)))
    st.html(uploader_css("uploader-", page.t("documents.dropzone_button"),
                         page.t("documents.dropzone_note", mb=mb, report_mb=report_mb)))
    if not files:
        return
    bar = st.progress(0.0, text=page.t("documents.reading", n=len(files)))

    def show(done: int, total: int, name: str) -> None:
        """Move the bar on as each document is read; the name is the user's, so shown literally."""
        text = (page.t("documents.reading_one", done=done + 1, total=total, name=plain(name)) if name
                else page.t("documents.read_all", total=total))
        bar.progress(done / total if total else 1.0, text=text)

    messages = data.add_uploads(settings.user_corpus, [(f.name, f.getvalue()) for f in files], progress=show)
    st.session_state[_UPLOADER_KEY] = round_ + 1  # a fresh uploader: the same files are not added twice
    _say(page, messages)


_PASTE_FIELDS = ("title", "date", "source", "url")


def _paste(page: Page, settings: data.Settings) -> None:
    """Paste an article: its header lines fill title, date, source and URL, which the user can correct."""
    with st.expander(page.t("documents.paste"), icon=":material/content_paste:"):
        st.text_area(page.t("documents.paste_text"), key="paste_text", height=200, max_chars=200_000,
                     placeholder=page.t("documents.paste_placeholder"))
        st.button(page.t("documents.paste_read"), on_click=_prefill, key="paste_prefill",
                  icon=":material/auto_fix_high:")
        cols = st.columns(2)
        for i, name in enumerate(_PASTE_FIELDS):
            cols[i % 2].text_input(page.t(f"documents.field_{name}"), key=f"paste_{name}", max_chars=300)
        if st.button(page.t("documents.paste_save"), key="paste_save", type="primary",
                     icon=":material/save:"):
            values = {n: st.session_state.get(f"paste_{n}", "") for n in _PASTE_FIELDS}
            try:
                name, body = store.pasted_document(st.session_state.get("paste_text", ""), **values)
            except store.UploadError as exc:
                _say(page, [("error", "documents.rejected", {"name": page.t("documents.paste"),
                                                               "reason": str(exc)})])
                return
            messages = data.add_uploads(settings.user_corpus, [(name, body)])
            if messages and messages[0][0] != "error":
                for key in ("paste_text", *(f"paste_{n}" for n in _PASTE_FIELDS)):
                    st.session_state.pop(key, None)
            _say(page, messages)


def _prefill() -> None:
    """Button callback: fill the paste form's fields from the pasted text's own header lines."""
    found = data.paste_fields(st.session_state.get("paste_text", ""))
    for name in _PASTE_FIELDS:
        if found.get(name) and not st.session_state.get(f"paste_{name}"):
            st.session_state[f"paste_{name}"] = found[name]


def _user_documents(page: Page, settings: data.Settings) -> None:
    """The documents this user folder holds, each with its metadata editor and a remove button."""
    st.subheader(page.t("documents.yours"))
    stored = store.list_uploads(settings.user_corpus)
    if not stored:
        st.caption(page.t("documents.none_yours"))
        return
    docs = page.full["documents"]
    by_path = {_resolved(r[C.path]): r for r in docs.to_dict("records")}
    for i, item in enumerate(stored):
        name_col, edit_col, button_col = st.columns([4, 1, 1], vertical_alignment="center")
        name_col.text(f"{item.name}  ({item.size / 1024:.1f} KB)")
        if item.path.suffix.lower() in (".md", ".txt"):
            with edit_col.popover(page.t("documents.edit"), icon=":material/edit:"):
                _edit_form(page, settings, item.name, by_path.get(_resolved(item.path), {}), i)
        button_col.button(page.t("documents.remove"), key=f"rm-{i}-{item.name}", on_click=_remove,
                          args=(settings.user_corpus, item.name, page.lang), icon=":material/delete:")


def _edit_form(page: Page, settings: data.Settings, name: str, doc: dict, i: int) -> None:
    """Title, date, source and URL of one added document, saved into its front matter."""
    current = {"title": doc.get(C.title), "date": doc.get(C.date), "source": doc.get(C.source_name),
               "url": doc.get(C.source_url)}
    with st.form(key=f"edit-{i}-{name}", border=False):
        values = {n: st.text_input(page.t(f"documents.field_{n}"), value=_text(current[n]), max_chars=300,
                                   key=f"edit-{i}-{n}") for n in _PASTE_FIELDS}
        if st.form_submit_button(page.t("documents.save"), icon=":material/save:", key=f"edit-save-{i}"):
            # Only what the user changed is written: the form shows the values in use, some of them read
            # from the text's header lines or clipped for display, which must not land in the file.
            changed = {n: v for n, v in values.items() if v.strip() != _text(current[n]).strip()}
            if not changed:
                _say(page, [("same", "documents.unchanged", {"name": name})])
            try:
                store.edit_metadata(settings.user_corpus, name, changed)
            except (store.UploadError, OSError, ValueError) as exc:
                _say(page, [("error", "documents.rejected", {"name": name, "reason": str(exc)})])
            else:
                _say(page, [("ok", "documents.edited", {"name": name})])


def _resolved(path: object) -> str:
    """A document path in one spelling, for finding a file's row whatever folder form loaded it."""
    try:
        return str(Path(str(path)).resolve())
    except (OSError, ValueError):
        return str(path)


def _text(value: object) -> str:
    """A cell as text, with nulls as ""."""
    return "" if value is None or value != value or value is pd.NA else str(value)


def _remove(folder: Any, name: str, lang: str) -> None:
    """Button callback: delete one added document and say so."""
    try:
        store.remove_upload(folder, name)
    except (store.UploadError, OSError) as exc:
        st.session_state[_MESSAGES_KEY] = [("error", str(exc))]
    else:
        st.session_state[_MESSAGES_KEY] = [("ok", t("documents.removed", lang, name=name))]


def errors(page: Page) -> None:
    """Files that failed: which file, at which stage, and why."""
    st.subheader(page.t("documents.errors"))
    failed = page.full["errors"]
    if failed.empty:
        st.caption(page.t("documents.no_errors"))
        return
    shown = failed.rename(columns={C.file: page.t("documents.file"), C.stage: page.t("documents.stage"),
                                   C.reason: page.t("documents.reason")})
    st.dataframe(shown, hide_index=True, width="stretch")
