import ctypes.util

import pytest

from source_zendesk_support.foundation import memory

GLIBC = (ctypes.util.find_library("c") or "").startswith("libc.so")


def test_settings_given_in_the_environment_are_left_alone(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "1048576")
    assert memory.tune_malloc() == {memory.M_ARENA_MAX: False, memory.M_MMAP_THRESHOLD: False}


def test_one_setting_in_the_environment_leaves_the_other_to_the_connector(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    calls = []

    class FakeLibc:
        def mallopt(self, parameter, value):
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *_: FakeLibc())
    assert memory.tune_malloc() == {memory.M_ARENA_MAX: False, memory.M_MMAP_THRESHOLD: True}
    assert calls == [(memory.M_MMAP_THRESHOLD, 256 * 1024)]


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_glibc_takes_both_settings(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert memory.tune_malloc() == {memory.M_ARENA_MAX: True, memory.M_MMAP_THRESHOLD: True}


def test_a_c_library_without_mallopt_is_not_an_error(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)

    class NoMallopt:
        def __getattr__(self, name):
            raise AttributeError(name)

    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *_: NoMallopt())
    assert memory.tune_malloc() == {memory.M_ARENA_MAX: False, memory.M_MMAP_THRESHOLD: False}
