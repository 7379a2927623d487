"""A fast hasher for OAuth client secrets only (they are random 128-character strings, not passwords)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ClientSecretHasher(PBKDF2PasswordHasher):
    # Guessing a random 128-character secret is hopeless at any iteration count; a slow hasher would only
    # cost ~0.5 s of CPU per token request (see ../shared/docs/dependencies.md §6).
    algorithm = "tongban_client_secret"
    iterations = 1_000
