"""Renderers: one per output format, each over the same report data."""
