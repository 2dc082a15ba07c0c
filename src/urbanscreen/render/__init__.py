"""Renderers: a Result as a terminal table or a JSON document."""
