"""Bridges our streams' own checkpoints to the CDK's concurrent framework.

Streams yield STATE messages themselves, after the records each one covers, through the ordered concurrent
queue. This cursor only guarantees the platform gets at least one STATE per stream and sync.
"""
from __future__ import annotations

from typing import Any, MutableMapping

from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record

from .base import ZendeskStream, state_message


class StreamCheckpointCursor(Cursor):
    def __init__(self, stream: ZendeskStream, message_repository: MessageRepository):
        self._stream = stream
        self._message_repository = message_repository

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._stream.state

    def observe(self, record: Record) -> None:
        pass

    def close_partition(self, partition: Partition) -> None:
        pass

    def should_be_synced(self, record: Record) -> bool:
        return True

    def ensure_at_least_one_state_emitted(self) -> None:
        if not self._stream.emitted_state:
            self._stream.emitted_state = True
            self._message_repository.emit_message(state_message(self._stream.name, self._stream.state))
