"""The PostgreSQL fixture the failover tests use: a live durable server, a fresh database per call."""

from __future__ import annotations


def test_each_call_gives_a_fresh_empty_database_on_a_durable_server(postgres_server, postgres_url):
    first, second = postgres_url(), postgres_url()
    assert first != second
    assert first.startswith(f"postgres://postgres:") and f"@127.0.0.1:{postgres_server.port}/" in first
    name = first.rsplit("/", 1)[1]
    assert postgres_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name).strip() == "0"
    assert postgres_server.psql("SHOW fsync", name).strip() == "on"
    assert postgres_server.psql("SHOW listen_addresses", name).strip() == "127.0.0.1"
