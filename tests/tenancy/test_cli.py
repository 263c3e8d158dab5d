"""`rapport tenants`: create, configure from a file, list, disable; errors name the problem."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rapport.cli_tenants import tenants_app
from rapport.store import Database
from rapport.store import tenants as store
from rapport.store.audit import list_entries


def test_tenants_from_the_command_line(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    runner = CliRunner()
    db = ["--database-url", database_url]
    created = runner.invoke(
        tenants_app, ["create", "acme", "--name", "Acme", "--kind", "merchant", *db]
    )
    assert created.exit_code == 0, created.output
    again = runner.invoke(tenants_app, ["create", "acme", "--name", "Acme", *db])
    assert again.exit_code == 1
    assert "tenant 'acme' exists already" in again.output

    handles = tmp_path / "handles.yaml"
    handles.write_text("handles: [acme, '@AcmeHelp']\n", encoding="utf-8")
    saved = runner.invoke(tenants_app, ["config", "acme", "handles", str(handles), *db])
    assert saved.exit_code == 0, saved.output
    wrong = runner.invoke(tenants_app, ["config", "acme", "weights", "-", *db], input="loud=3")
    assert wrong.exit_code == 1
    assert "priority weight 'loud' is unknown" in wrong.output

    assert runner.invoke(tenants_app, ["disable", "acme", *db]).exit_code == 0
    listed = runner.invoke(tenants_app, ["list", *db])
    assert "acme" in listed.output
    assert "handles" in listed.output
    with database.reading() as conn:
        assert store.get(conn, "acme").active is False
        assert [c.body for c in store.current_configs(conn, "acme")] == [handles.read_text()]
        actions = [e.action for e in list_entries(conn, "default")]
    assert actions == ["tenant.update", "tenant.config.handles", "tenant.create"]
