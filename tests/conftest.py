import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests make many users and test no hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def app_server(transactional_db, tmp_path):
    """Start the app's real server on the test database: app_server(workers=2, env={...}) ->
    server (tests/live_server.py). Each is stopped, its whole process group, after the test."""
    from tests.live_server import AppServer, server_env, wait_for_no_other_sessions

    servers = []

    def start(workers: int = 2, env: dict | None = None):
        server = AppServer(workers, server_env(env), tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    wait_for_no_other_sessions()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The shared cache outlives a test's rolled-back rows, and SQLite reuses their ids.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
