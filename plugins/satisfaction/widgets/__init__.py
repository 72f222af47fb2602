"""Widgets of the assessment plugin: they present plain data and forward what the user does."""
