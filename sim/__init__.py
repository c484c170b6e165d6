"""Shouwang."""
