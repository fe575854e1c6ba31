"""微短剧事实看板 (Micro-drama Facts): every figure in the corpus, filterable, with its sentence and source.

Run from the repository: ``streamlit run dashboard/app.py`` (seeds/ plus the user-corpus folder), or
``streamlit run dashboard/app.py -- --corpus DIR [DIR...] [--tables DIR...]``; ``$MICRODRAMA_CORPUS``
(folders separated by ``:``), ``$MICRODRAMA_TABLES`` and ``$MICRODRAMA_USER_CORPUS`` (where uploads are
kept, default ``user_corpus/``) work too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository: add it so that
# `import dashboard` and `import extract` work without an installed package.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import streamlit as st  # noqa: E402

from dashboard import data, export, media_grace, panels, reviewing, state, views  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from dashboard.page import Page  # noqa: E402
from dashboard.sections import documents  # noqa: E402


@st.cache_resource(show_spinner=False)
def export_problem() -> str | None:
    """Why server-side PNG/SVG export cannot run here (checked once per server), or None."""
    return export.export_status()


@st.cache_resource(show_spinner=False)
def downloads_grace() -> bool:
    """Once per server: keep files a download click makes until the browser has them (media_grace)."""
    return media_grace.protect_runtime()


@st.cache_resource(show_spinner=False)
def no_collection_per_run() -> bool:
    """Once per server: no full garbage collection after every script run (Streamlit's runner.postScriptGC).

    Each one walks the whole heap (the corpus, its lookups and every library loaded) holding the GIL, so
    with several readers each rerun waited for the others' collections. Reference counting still frees
    what a run leaves, and Python's own generational collector the cycles.
    """
    from streamlit import config

    config.set_option("runner.postScriptGC", False)
    return True


# No page_icon: a :material/ icon would be fetched from fonts.gstatic.com, and the app fetches nothing.
st.set_page_config(page_title=t("app.title"), layout="wide")
downloads_grace()
no_collection_per_run()

# Data: the corpus (cached until a document file changes) and what the filters can choose from.
settings = data.settings_from(sys.argv[1:], os.environ)
with st.spinner(t("app.loading")):
    snapshot = data.snapshot(settings)
# Reviews apply before anything is counted: rejected figures and excluded documents are gone, corrections in.
snapshot, orphans = data.reviewed(snapshot, data.review_store(settings))
tables = snapshot.corpus.tables()
taxonomy = views.default_taxonomy()
options = data.snapshot_options(snapshot, taxonomy)

# Filters: from the URL on first load, then from the sidebar; the URL always shows the current view.
filters = state.sync(options)
panels.sidebar(options, taxonomy, data.doc_titles(snapshot))
panels.style(filters.presentation)
view = data.view_for(snapshot, filters)
page = Page(view=view, full=tables, filters=filters, taxonomy=taxonomy, export_problem=export_problem(),
            version=snapshot.version, reviews=str(settings.reviews), orphans=orphans)

# The page: header, section buttons, then only the chosen section is drawn.
panels.header(page)
section = panels.navigation(page)
reviewing.message()  # what the last review action did, whichever section it came from
if section == "documents":
    documents.documents(page, settings)
elif tables["documents"].empty:
    panels.corpus_empty(filters.lang)
elif view["sentences"].empty:
    panels.empty_state(page)
else:
    panels.SECTIONS[section](page)

panels.export_notice(page)
panels.exports(page)
state.commit(state.from_widgets(st.session_state, options, base=filters))
