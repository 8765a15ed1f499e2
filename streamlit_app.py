"""Neural Playground: the entry point. Page config, language, and navigation over app_pages/."""

import threading
from pathlib import Path

import streamlit as st
import torch

from playground.fastpath import warm_up
from ui.lang import language_picker, t

HERE = Path(__file__).parent

# Tiny networks: one intra-op thread per process is fastest, and it keeps one session's training
# from starving the others on a shared server.
torch.set_num_threads(1)



@st.cache_resource
def _start_warm_up() -> threading.Thread:
    """Compile (or load from cache) the fast training path once per server, off the first Play."""
    thread = threading.Thread(target=warm_up, name="fastpath-warm-up", daemon=True)
    thread.start()
    return thread


_start_warm_up()

st.set_page_config(page_title="Neural Playground", page_icon="🧠", layout="wide")

# (file, title key, icon, url path, section key); the Playground is the home page.
PAGES = [
    ("app_pages/playground.py", "nav.playground", ":material/science:", "playground", "nav.section.build"),
    ("app_pages/sweep.py", "nav.sweep", ":material/grid_on:", "sweep", "nav.section.build"),
    ("app_pages/lessons.py", "nav.lessons", ":material/school:", "lessons", "nav.section.learn"),
    ("app_pages/backprop.py", "nav.backprop", ":material/swap_horiz:", "backprop", "nav.section.learn"),
    ("app_pages/optimizers.py", "nav.optimizers", ":material/landscape:", "optimizers", "nav.section.learn"),
    ("app_pages/activations.py", "nav.activations", ":material/show_chart:", "activations", "nav.section.learn"),
]

language_picker()
sections: dict[str, list] = {}
for i, (path, title, icon, url_path, section) in enumerate(PAGES):
    if not (HERE / path).exists():  # a page still being written is left out, never faked
        continue
    page = st.Page(path, title=t(title), icon=icon, url_path=url_path, default=(i == 0))
    sections.setdefault(t(section), []).append(page)
st.navigation(sections).run()
