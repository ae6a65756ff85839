"""The error reporting hook: an unhandled error in a request reaches it (besides the log and the calm
500 page); with no hook configured nothing is reported; a Sentry DSN sends it to Sentry."""
import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from spiegel import create_app

REPORTED: list[BaseException] = []


def collect(error: BaseException) -> None:
    REPORTED.append(error)


def failing_app(database_url, **config):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SERVER_NAME": "localhost", **config})

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("a bug in a view")

    return app


@pytest.fixture(autouse=True)
def nothing_reported():
    REPORTED.clear()
    yield
    REPORTED.clear()


def test_an_unhandled_error_reaches_the_configured_hook(database_url):
    app = failing_app(database_url, ERROR_HOOK="tests.test_error_hook:collect")
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "a bug in a view" not in response.text  # no trace for the user
    assert [type(error) for error in REPORTED] == [ZeroDivisionError] and str(REPORTED[0]) == "a bug in a view"


def test_an_answered_error_is_not_reported(database_url):
    app = failing_app(database_url, ERROR_HOOK="tests.test_error_hook:collect")
    assert app.test_client().get("/no-such-page").status_code == 404
    assert REPORTED == []


def explode(error: BaseException) -> None:
    raise ConnectionError("the reporting service is down")


def test_a_failing_hook_still_shows_the_error_page_and_a_wrong_one_stops_the_app(database_url):
    app = failing_app(database_url, ERROR_HOOK="tests.test_error_hook:explode")
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "<html" in response.text
    with pytest.raises(AttributeError):  # at start-up, not at the first error
        failing_app(database_url, ERROR_HOOK="tests.test_error_hook:no_such_function")


class Envelopes(Transport):
    """A Sentry transport that keeps what it would send."""

    def __init__(self, options):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        self.events += [item.payload.json for item in envelope.items if item.type == "event"]

    def flush(self, *args, **kwargs):
        pass

    def kill(self):
        pass


def test_with_a_sentry_dsn_an_unhandled_error_goes_to_sentry(database_url):
    app = failing_app(database_url, SENTRY_DSN="https://public@sentry.example.invalid/1")
    client = sentry_sdk.get_client()
    sent = client.transport = Envelopes(client.options)
    try:
        assert app.test_client().get("/boom").status_code == 500
    finally:
        client.close()
        sentry_sdk.get_global_scope().set_client(None)
    [event] = sent.events
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ZeroDivisionError" and exception["value"] == "a bug in a view"
