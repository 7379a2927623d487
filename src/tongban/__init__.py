"""Tongban (通办): an open-source 一网通办 one-stop government service platform."""

__version__ = "0.1.0"
