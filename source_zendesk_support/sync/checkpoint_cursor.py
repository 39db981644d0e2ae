"""Bridges our streams' own checkpoints to the CDK's concurrent framework.

Streams yield STATE messages themselves, after the records each one covers, through the ordered concurrent
queue. This cursor only guarantees the platform gets at least one STATE per stream and sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, MutableMapping

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    StreamDescriptor,
    Type,
)
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record

if TYPE_CHECKING:
    from ..streams.base import ZendeskStream


def state_message(stream_name: str, state: Mapping[str, Any]) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.STATE,
        state=AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=stream_name), stream_state=AirbyteStateBlob(dict(state))
            ),
        ),
    )


class StreamCheckpointCursor(Cursor):
    def __init__(self, stream: "ZendeskStream", message_repository: MessageRepository):
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
