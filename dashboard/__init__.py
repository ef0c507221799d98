"""The Streamlit executive dashboard: reads through `pipelines` only."""
