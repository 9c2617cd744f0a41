"""Widgets of the screening wizard."""
