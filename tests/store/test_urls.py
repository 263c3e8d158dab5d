from rapport.store.urls import backend_name


def test_the_backend_is_read_from_the_url_whatever_the_driver() -> None:
    assert backend_name("sqlite:////tmp/rapport.db") == "sqlite"
    assert backend_name("postgresql+psycopg://rapport@db/rapport") == "postgresql"
    assert backend_name("postgresql://rapport@db/rapport") == "postgresql"
