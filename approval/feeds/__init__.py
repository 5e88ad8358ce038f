"""Atom feeds of the portal: overall and per catalog category."""
