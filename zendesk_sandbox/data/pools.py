"""Word pools drawn once from a seeded Faker, then picked from by cheap per-record random generators.

Calling Faker per record would cost ~100 µs each; picking from pools keeps a 1000-ticket page in a few ms.
"""

from __future__ import annotations

import random

from faker import Faker


class Pools:
    def __init__(self, seed: int):
        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.first_names = [fake.first_name() for _ in range(400)]
        self.last_names = [fake.last_name() for _ in range(400)]
        self.companies = [fake.company() for _ in range(300)]
        self.domains = [fake.domain_name() for _ in range(300)]
        self.sentences = [fake.sentence(nb_words=8) for _ in range(500)]
        self.paragraphs = [fake.paragraph(nb_sentences=3) for _ in range(300)]
        self.cities = [fake.city() for _ in range(100)]
        self.phones = [f"+1{fake.msisdn()[:10]}" for _ in range(300)]
        self.ips = [fake.ipv4_public() for _ in range(100)]
        self.words = sorted({w.lower() for w in fake.words(nb=200)})
        self.subjects = [fake.catch_phrase() for _ in range(400)]
        # drawn last so the pools above stay what they were for a seed
        self.places = [
            (f"{place}, {country}", round(float(lat), 4), round(float(lon), 4))
            for lat, lon, place, country, _tz in (fake.location_on_land() for _ in range(100))
        ]


def rng_for(seed: int, kind: int, i: int) -> random.Random:
    """A generator private to one record, so record i looks the same whatever was generated before."""
    return random.Random((seed * 1_000_003 + kind) * 10_000_019 + i)


MASK64 = (1 << 64) - 1


def mix(seed: int, kind: int, i: int) -> int:
    """A 64-bit hash of (seed, kind, i) (splitmix64 finaliser): cheap per-record randomness, sliced into picks."""
    z = (seed * 0x9E3779B97F4A7C15 + kind * 0xBF58476D1CE4E5B9 + i * 0x94D049BB133111EB) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)
