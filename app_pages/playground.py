"""The Playground: build a network layer by layer and watch it learn, live."""

import streamlit as st

from ui import playground_state as state
from ui.lang import t
from ui.playground_live import render as live_view
from ui.playground_network import network_panel
from ui.playground_panels import controls, data_panel, output_panel, style
from ui.playground_share import inspect_panel, presets_picker, share_panel
from ui.playground_training import training_panel

state.init()
state.take_app_rerun()  # a redraw a tick asked for: this full run is it
style()

with st.container(horizontal=True, vertical_alignment="center", gap="small", key="run_bar"):
    controls()
    st.space("stretch")
    presets_picker()
    share_panel()
with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="knob_bar"):
    training_panel()
state.show_messages(t)

data, network, output = st.columns([0.21, 0.45, 0.34], gap="medium")
with data:
    data_panel()
with network:
    network_panel()
with output:
    output_panel()
inspect_panel()

live_view()
state.end_resync()
state.sync_url()
