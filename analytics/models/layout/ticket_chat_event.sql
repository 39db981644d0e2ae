-- Fivetran's `ticket_chat_event`: the messages of those chats (their `history`), one row per event.
select
    chats.id as chat_id,
    {{ utc_timestamp("(event.value ->> 'timestamp')") }} as created_at,
    {{ utc_timestamp('chats._airbyte_extracted_at') }} as _fivetran_synced,
    (event.value ->> 'nick') as actor_id,
    cast(event.position as {{ dbt.type_int() }}) as chat_index,
    (event.value ->> 'msg') as message,
    (event.value ->> 'msg_id') as message_id,
    (event.value ->> 'type') as type
from {{ source('airbyte', 'chats') }} as chats
{{ json_array_rows('chats.history', 'event') }}
where chats.zendesk_ticket_id is not null
