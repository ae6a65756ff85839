"""Machines of one installation share a secret key: off SQLite, Spiegel does not start without one."""
import pytest

from spiegel import create_app


def test_a_database_server_without_a_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SPIEGEL_SECRET_KEY", raising=False)
    monkeypatch.setenv("SPIEGEL_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SPIEGEL_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    assert not (tmp_path / "secret_key").exists()  # no machine invents its own
    shared = create_app({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none", "SECRET_KEY": "s" * 32})
    assert shared.config["SECRET_KEY"] == "s" * 32
    alone = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'one.db'}"})  # one machine: its own key is fine
    assert len(alone.config["SECRET_KEY"]) == 64 and (tmp_path / "secret_key").exists()
