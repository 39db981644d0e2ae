"""Public ids of generated records: invertible offsets, 11-14 digits like Zendesk's (tickets keep nice ids)."""

USER = 4_000_000_000_000
ORGANIZATION = 5_000_000_000_000
GROUP = 6_000_000_000_000
IDENTITY = 7_000_000_000_000  # + user_index * 4 + j
COMMENT = 8_000_000_000_000  # + ticket * 4096 + j
AUDIT = 9_000_000_000_000  # + ticket * 4096 + j
EVENT = 10_000_000_000_000  # + (ticket * 4096 + j) * 16 + e
METRIC_EVENT = 11_000_000_000_000  # + ticket * 4096 + j
METRIC = 12_000_000_000_000  # + ticket
SATISFACTION = 13_000_000_000_000  # + ticket
ORG_MEMBERSHIP = 14_000_000_000_000  # + user_index
SKIP = 15_000_000_000_000  # + ticket
CONFIG = 16_000_000_000_000  # + kind * 1_000_000 + n (small eager objects)
PER_TICKET = 4096


def config_id(kind: int, n: int) -> int:
    return CONFIG + kind * 1_000_000 + n
