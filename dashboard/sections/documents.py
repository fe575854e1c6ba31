"""The documents section: upload articles, remove the ones you added, see the corpus and what failed."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data, store
from dashboard.i18n import t
from dashboard.page import Page, plain
from extract.schema import C

_UPLOADER_KEY = "uploader_round"
_MESSAGES_KEY = "upload_messages"


def documents(page: Page, settings: data.Settings) -> None:
    """Upload documents, remove the ones you added, see the corpus and the files that failed."""
    _upload(page, settings)
    _user_documents(page, settings)
    st.subheader(page.t("documents.list"))
    docs = page.full["documents"]
    cols = [C.title, C.date, C.source_name, C.file_name, C.n_chars]
    st.dataframe(docs.loc[:, cols], hide_index=True, width="stretch")
    st.caption(plain(page.t("documents.folders", folders=" · ".join(str(p) for p in settings.corpus))))
    errors(page)


def _upload(page: Page, settings: data.Settings) -> None:
    """The uploader: each file is checked by extracting it, then saved atomically; bad files are reported."""
    st.subheader(page.t("documents.upload"))
    for kind, message in st.session_state.pop(_MESSAGES_KEY, []):
        (st.success if kind == "ok" else st.error)(plain(message))
    round_ = st.session_state.setdefault(_UPLOADER_KEY, 0)
    mb = store.MAX_UPLOAD_BYTES // (1024 * 1024)
    files = st.file_uploader(
        page.t("documents.upload"), type=[s.lstrip(".") for s in store.ALLOWED_SUFFIXES],
        accept_multiple_files=True, key=f"uploader-{round_}", label_visibility="collapsed",
        help=page.t("documents.upload_help", mb=mb, folder=settings.user_corpus),
    )
    st.caption(plain(page.t("documents.upload_help", mb=mb, folder=settings.user_corpus)))
    if not files:
        return
    messages = []
    for upload in files:
        raw = upload.getvalue()
        problem = data.check_upload(upload.name, raw)
        if problem is None:
            try:
                path = store.save_upload(settings.user_corpus, upload.name, raw)
            except (store.UploadError, OSError) as exc:
                problem = str(exc)
            else:
                messages.append(("ok", page.t("documents.added", name=path.name)))
                continue
        messages.append(("error", page.t("documents.rejected", name=upload.name, reason=problem)))
    st.session_state[_MESSAGES_KEY] = messages
    st.session_state[_UPLOADER_KEY] = round_ + 1  # a fresh uploader: the same files are not added twice
    st.rerun()


def _user_documents(page: Page, settings: data.Settings) -> None:
    """The documents this user folder holds, each with a remove button."""
    st.subheader(page.t("documents.yours"))
    stored = store.list_uploads(settings.user_corpus)
    if not stored:
        st.caption(page.t("documents.none_yours"))
        return
    for i, item in enumerate(stored):
        name_col, button_col = st.columns([5, 1], vertical_alignment="center")
        name_col.text(f"{item.name}  ({item.size / 1024:.1f} KB)")
        button_col.button(page.t("documents.remove"), key=f"rm-{i}-{item.name}", on_click=_remove,
                          args=(settings.user_corpus, item.name, page.lang), icon=":material/delete:")


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
