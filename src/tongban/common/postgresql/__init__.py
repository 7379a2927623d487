"""Tongban's PostgreSQL database backend: Django's, with prepared statements (see ``base``)."""
