"""The origin policy decides on a URL as the HTTP client sends it: whatever it lets through, requests prepares and
urllib3's pool manager connects to the configured origin, whatever tricks the link plays on a parser."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from source_zendesk_support.http.origin_policy import OriginPolicy, OriginRefused

BASE = "http://127.0.0.1:8080"
ORIGIN = ("http", "127.0.0.1", 8080)
EVIL = "127.0.0.1:9090"


def sent_to(url: str) -> tuple:
    """Where requests would open the connection for GET `url`: its own preparation, then its pool manager's pool
    (no socket is opened)."""
    prepared = requests.Request("GET", url, params={"page[size]": 100}).prepare()
    adapter = requests.Session().get_adapter(prepared.url)
    pool = adapter.poolmanager.connection_from_url(prepared.url)
    return pool.scheme, pool.host.lower(), pool.port


SCHEMES = st.sampled_from(["http", "HTTP", "HtTp", "https", "HTTPS", "ftp", "javascript", "file", ""])
SEPARATORS = st.sampled_from(["://", ":/", ":", ":\\\\", ":\\/", ":/\\", "//", "\\\\", ":///", ": //", ":\t//"])
HOSTS = st.sampled_from(
    [
        "127.0.0.1:8080",
        "127.0.0.1",
        EVIL,
        "localhost:8080",
        "LOCALHOST:8080",
        "127.0.0.1.:8080",
        "evil.example",
        "127.0.0.1:8080.evil.example",
        "[::1]:8080",
        "１２７.0.0.1:8080",
        "127.0.0.1：8080",
        "127.0.0.1%3A9090",
        "127.0.0.1:08080",
        "127.0.0.1:8080:9090",
    ]
)
USERINFO = st.sampled_from(
    [
        "",
        "user@",
        "user:pw@",
        f"{EVIL}\\@",
        f"{EVIL}@",
        f"{EVIL}%40",
        f"{EVIL}＠",
        "%40",
        f"{EVIL}/@",
        f"{EVIL}?@",
        f"{EVIL}#@",
        f"{EVIL}\t@",
        f"{EVIL}\n@",
        f"{EVIL}\x00@",
        f"{EVIL} @",
        f"{EVIL}\u3000@",
        f"{EVIL}%2F@",
        f"{EVIL}%5C@",
    ]
)
PATHS = st.sampled_from(
    [
        "/api/v2/groups.json?page[after]=c2",
        "/api/v2/",
        "/collect",
        "",
        "/api/v2/../../x",
        "/api/v2/x@evil",
        "/api/v2/%2F%2F127.0.0.1:9090",
        "/api/v2/x#frag",
        "?a=b",
        "/\\evil",
        "/api/v2/HTTP://127.0.0.1:9090/x",
        "/api/v2/ü",
        "/api/v2/x y",
    ]
)


@st.composite
def tricky_urls(draw) -> str:
    built = draw(SCHEMES) + draw(SEPARATORS) + draw(USERINFO) + draw(HOSTS) + draw(PATHS)
    noise = "".join(draw(st.lists(st.sampled_from(list("@\\/:%#?.\t ＠：") + ["9090", "127.0.0.1"]), max_size=4)))
    at = draw(st.integers(min_value=0, max_value=len(built)))
    return built[:at] + noise + built[at:] if draw(st.booleans()) else built


LINKS = st.one_of(tricky_urls(), st.text(max_size=40), st.from_regex(r"\A[a-zA-Z]{0,5}:[\\/@:%.0-9a-z]{0,30}\Z"))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINKS)
def test_a_link_the_policy_allows_is_sent_to_the_configured_origin(link):
    policy = OriginPolicy(BASE)
    try:
        allowed = policy.link(link, "groups")
    except OriginRefused as refused:
        assert refused.message.startswith("Stream groups:")
        return
    assert sent_to(allowed) == ORIGIN, (link, allowed)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINKS)
def test_a_redirect_the_policy_follows_is_sent_to_the_configured_origin(location):
    policy = OriginPolicy(BASE)
    try:
        allowed = policy.redirect(location, f"{BASE}/api/v2/groups.json", "groups")
    except OriginRefused as refused:
        assert refused.message.startswith("Stream groups:")
        return
    assert sent_to(allowed) == ORIGIN, (location, allowed)


@pytest.mark.parametrize(
    "link",
    [
        f"http://{EVIL}\\@127.0.0.1:8080/api/v2/groups?page[after]=c2",  # urllib.parse: 8080; urllib3: 9090
        f"http://{EVIL}%40127.0.0.1:8080/api/v2/groups",
        f"http://{EVIL}＠127.0.0.1:8080/api/v2/groups",
        "http://user:pw@127.0.0.1:8080/api/v2/groups",
        "http://127.0.0.1:8080\t/api/v2/groups",
        "http:\\\\127.0.0.1:9090/api/v2/groups",
    ],
)
def test_ambiguous_links_are_refused_by_name(link):
    with pytest.raises(OriginRefused) as refused:
        OriginPolicy(BASE).link(link, "groups")
    assert "credentials stayed" in refused.value.message
    assert "9090" not in refused.value.message  # the refused URL is not echoed back


@pytest.mark.parametrize(
    "link, expected",
    [
        ("HTTP://127.0.0.1:8080/api/v2/groups?page[after]=c2", f"{BASE}/api/v2/groups?page[after]=c2"),
        ("HTTP://127.0.0.1:9090/api/v2/groups?page[after]=c2", f"{BASE}/api/v2/groups?page[after]=c2"),  # re-based
        ("http://LOCALHOST:9090/api/v2/groups", f"{BASE}/api/v2/groups"),
        ("//127.0.0.1:8080/api/v2/groups#x", f"{BASE}/api/v2/groups"),
    ],
)
def test_scheme_and_host_are_read_in_any_case_and_api_links_are_re_based(link, expected):
    assert OriginPolicy(BASE).link(link, "groups") == expected


def test_a_redirect_with_a_backslash_location_is_refused():
    with pytest.raises(OriginRefused) as refused:
        OriginPolicy(BASE).redirect(f"http://{EVIL}\\@127.0.0.1:8080/api/v2/groups", f"{BASE}/api/v2/groups", "groups")
    assert "redirect" in refused.value.message
