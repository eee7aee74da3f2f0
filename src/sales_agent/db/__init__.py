"""Postgres: the embedded server, the active URL, connection pools, migrations, repositories."""
