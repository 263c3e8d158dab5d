"""Ingesting files end to end through the CLI: summaries, exit codes, idempotence, replay."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.store import Database
from rapport.store.quarantine import list_entries
from tests.ingest.corpus import MALFORMED, good, line

cli = CliRunner()


def write_jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def run(*args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_feeding_the_same_file_twice_stores_each_post_once(
    tmp_path: Path, database_url: str
) -> None:
    source = write_jsonl(tmp_path / "posts.jsonl", [line(good(str(i))) for i in range(500)])

    first_code, first = run("ingest", str(source), "--database-url", database_url)
    second_code, second = run("ingest", str(source), "--database-url", database_url)

    assert (first_code, second_code) == (0, 0)
    assert "500" in first
    with_db = Database(database_url)
    assert with_db.count_posts() == 500
    with_db.close()
    # The second run finds every post already stored.
    assert "duplicates" in second
    assert " 500 " in second.replace("│", " ")


def test_malformed_records_are_quarantined_and_counted_and_exit_code_says_partial(
    tmp_path: Path, database_url: str
) -> None:
    lines = [line(good("ok1")), *(raw for _, raw, _ in MALFORMED), line(good("ok2"))]
    source = write_jsonl(tmp_path / "mixed.jsonl", lines)

    code, output = run("ingest", str(source), "--database-url", database_url)

    assert code == 3
    database = Database(database_url)
    entries = list_entries(database, limit=100)
    assert database.count_posts() == 2
    database.close()
    assert len(entries) == len(MALFORMED)
    by_line = {e.location: e for e in entries}
    for offset, (_name, raw, reason) in enumerate(MALFORMED, start=2):
        entry = by_line[f"line {offset}"]
        assert reason in entry.reason
        assert entry.raw == raw
        assert entry.source == str(source.resolve())
    assert "quarantined" in output


def test_a_quarantined_record_fixed_by_the_user_replays_into_the_store(
    tmp_path: Path, database_url: str
) -> None:
    broken = line(good("fixme", network="myspace"))
    source = write_jsonl(tmp_path / "one.jsonl", [broken])
    assert run("ingest", str(source), "--database-url", database_url)[0] == 3
    database = Database(database_url)
    [entry] = list_entries(database)

    code, _ = run("quarantine", "replay", str(entry.id), "--database-url", database_url)
    assert code == 3  # unchanged record: still rejected, still open
    assert list_entries(database)[0].status == "open"

    fixed = tmp_path / "fixed.jsonl"
    fixed.write_bytes(line(good("fixme", network="x")))
    code, output = run(
        "quarantine",
        "replay",
        str(entry.id),
        "--with",
        str(fixed),
        "--database-url",
        database_url,
    )
    assert code == 0, output
    assert database.count_posts() == 1
    assert list_entries(database) == []
    assert list_entries(database, status="replayed")[0].id == entry.id
    database.close()


def test_quarantine_list_and_show_print_hostile_text_verbatim(
    tmp_path: Path, database_url: str
) -> None:
    raw = b'{"network": "[bold red]x[/]", "truncated'
    source = write_jsonl(tmp_path / "bad.jsonl", [raw])
    run("ingest", str(source), "--database-url", database_url)

    code, listing = run("quarantine", "list", "--database-url", database_url)
    assert code == 0
    assert "truncated JSON" in listing
    code, shown = run("quarantine", "show", "1", "--database-url", database_url)
    assert code == 0
    assert raw.decode() in shown


def test_a_missing_file_is_a_clear_failure(tmp_path: Path, database_url: str) -> None:
    result = cli.invoke(
        app, ["ingest", str(tmp_path / "nope.jsonl"), "--database-url", database_url]
    )
    assert result.exit_code != 0
    assert "no such file" in str(result.exception)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_enrich_adds_entities_and_language_without_a_database(
    tmp_path: Path, database_url: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": 1, "text": "Mi tarjeta fue robada en Madrid, ayuda @NovaCardHelp #robo"}\n'
        b"not json\n"
        b'{"id": "2", "text": "Meine Karte wurde gesperrt, was soll ich tun? https://www.spiegel.de/x"}\n'
    )
    result = cli.invoke(app, ["enrich", str(source)])
    rows = [orjson.loads(x) for x in result.stdout.splitlines()]

    assert result.exit_code == 3
    assert rows[0]["id"] == 1
    assert rows[0]["lang"] == "es"
    assert rows[0]["mentions"] == ["novacardhelp"]
    assert rows[0]["hashtags"] == ["robo"]
    assert "error" in rows[1]
    assert rows[1]["line"] == 2
    assert rows[2]["lang"] == "de"
    assert rows[2]["domains"] == ["spiegel.de"]


def test_standard_input_runs_the_same_pipeline_in_one_process(
    tmp_path: Path, database_url: str
) -> None:
    body = b"\n".join([line(good("s1")), b"{broken", line(good("s2"))]) + b"\n"
    result = cli.invoke(app, ["ingest", "-", "--database-url", database_url], input=body)

    assert result.exit_code == 3
    database = Database(database_url)
    assert database.count_posts() == 2
    [entry] = list_entries(database)
    database.close()
    assert (entry.source, entry.location) == ("stdin", "line 2")


def test_x_and_twcs_files_are_recognised_and_threads_rebuilt(
    tmp_path: Path, database_url: str
) -> None:
    x_file = tmp_path / "search.json"
    x_file.write_bytes(
        orjson.dumps(
            {
                "data": [
                    {
                        "id": "20",
                        "text": "@bank still waiting",
                        "author_id": "7",
                        "created_at": "2026-11-02T09:00:00.000Z",
                        "conversation_id": "10",
                        "referenced_tweets": [{"type": "replied_to", "id": "10"}],
                    },
                ],
                "includes": {"users": [{"id": "7", "username": "cara", "name": "Cara"}]},
            }
        )
        + b"\n"
    )
    csv_file = tmp_path / "twcs.csv"
    csv_file.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "3,AskBank,False,Tue Oct 31 22:10:47 +0000 2017,@115 sorry! DM us,,2\n"
        "2,115,True,Tue Oct 31 22:05:00 +0000 2017,@AskBank still nothing,3,1\n"
        "1,115,True,Tue Oct 31 22:00:00 +0000 2017,@AskBank my card was declined,2,\n",
        encoding="utf-8",
    )
    code, output = run("ingest", str(x_file), str(csv_file), "--database-url", database_url)

    assert code == 0, output
    assert "x-v2" in output
    assert "twcs" in output
    database = Database(database_url)
    assert [p.source_id for p in database.thread("x", "10")] == ["20"]
    assert sorted(p.source_id for p in database.thread("x", "1")) == ["1", "2", "3"]
    database.close()


def test_enrich_gives_every_model_field_for_lines_with_only_id_and_text() -> None:
    result = cli.invoke(
        app, ["enrich", "-"], input=b'{"id": 1, "text": "Me robaron la tarjeta, ayuda por favor"}\n'
    )
    [row] = [orjson.loads(x) for x in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert row["lang"] == "es"
    assert set(row["sentiment"]) == {"label", "score"}
    assert row["intent"] == "lost_or_stolen_card"
    assert row["team"] == "fraud_and_security"
    assert set(row["complaint"]) == {"label", "score"}
    assert row["urgency"]["level"] == "critical"
    assert row["urgency"]["reasons"]
    assert "classes" not in row  # no custom classifier trained in this data dir


def test_enrich_survives_hostile_lines_and_says_which_failed() -> None:
    lines = [
        b'{"id": 1, "text": ""}',
        '{"id": 2, "text": "🔥🔥🔥😡"}'.encode(),
        b'{"id": 3, "text": "' + b"My card was declined again at the shop. " * 250 + b'"}',
        b'{"id": 4, "text": "caf\xff\xfe broken"}',
        b'{"id": 5, "text": "caf\\udcff lone surrogate"}',
    ]
    result = cli.invoke(app, ["enrich", "-"], input=b"\n".join(lines) + b"\n")
    rows = [orjson.loads(x) for x in result.stdout.splitlines()]

    assert result.exit_code == 3
    assert [r.get("id") for r in rows] == [1, 2, 3, None, None]
    assert rows[0]["lang"] == "und"
    assert rows[1]["lang"] == "und"
    assert rows[2]["lang"] == "en"
    # Invalid UTF-8 and a lone surrogate escape are not JSON text: reported, not guessed at.
    assert [(rows[3]["line"], rows[4]["line"])] == [(4, 5)]
    assert "error" in rows[3]
    assert "error" in rows[4]
    for row in rows[:3]:
        assert row["urgency"]["level"] in ("critical", "high", "normal", "low")
