import ctypes.util

import pytest

from source_zendesk_support import memory


def test_an_arena_limit_set_by_the_user_is_left_alone(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False


@pytest.mark.skipif(not (ctypes.util.find_library("c") or "").startswith("libc.so"), reason="glibc only")
def test_glibc_takes_the_arena_limit(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert memory.limit_malloc_arenas() is True


def test_a_c_library_without_mallopt_is_not_an_error(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)

    class NoMallopt:
        def __getattr__(self, name):
            raise AttributeError(name)

    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *_: NoMallopt())
    assert memory.limit_malloc_arenas() is False
