"""Streamlit-side helpers shared by the pages (the engine in playground/ never imports these)."""
