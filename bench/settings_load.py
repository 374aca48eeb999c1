"""The app's production settings for the load test (bench/load_workshop.py), with two changes.

Passwords hash with MD5 instead of PBKDF2 (1,000,000 iterations). A real login costs one
PBKDF2 hash, several hundred ms of CPU, once per session; with a thousand simulated analysts
logging in during each step's ramp-up it would swamp the measurement of the workshop's
steady load (polls and saves), which is what the test is for. load_workshop.py measures the
real login's cost separately and prints it.

The server is reached over plain http on the loopback, where in production nginx would have
ended TLS: no redirect to https, and cookies that may travel over http.
"""
from policy.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
