"""help_center_locales: Zendesk lists the enabled locales as bare strings beside the default one; each becomes a
row, and anything but a locale code fails the stream by name."""

from __future__ import annotations

from airbyte_cdk.models import AirbyteStreamStatus

from .support import make_config, make_stream, ok, read_streams, run_stream, statuses_of, url

LOCALES = url("help_center/locales")


def test_each_enabled_locale_is_a_row_and_the_default_is_marked(api):
    api.get(LOCALES, [ok({"locales": ["de", "en-us", "ja"], "default_locale": "en-us"})])
    records, _, _ = run_stream(make_stream("help_center_locales", incremental=False))
    assert records == [
        {"locale": "de", "default": False},
        {"locale": "en-us", "default": True},
        {"locale": "ja", "default": False},
    ]


def test_a_locale_that_is_not_a_code_fails_the_stream_by_name(api):
    api.get(LOCALES, [ok({"locales": ["en-us", {"locale": "de"}], "default_locale": "en-us"})])
    output = read_streams(["help_center_locales"], config=make_config())
    assert statuses_of(output, "help_center_locales")[-1] == AirbyteStreamStatus.INCOMPLETE
    message = output.errors[0].trace.error.message
    assert "locale 1 of 'locales'" in message and "Traceback" not in message
