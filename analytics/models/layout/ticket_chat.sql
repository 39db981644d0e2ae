-- Fivetran's `ticket_chat`: chats that became tickets (read only with the var using_ticket_chat).
select
    id as chat_id,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    type as channel,
    zendesk_ticket_id as ticket_id,
    {{ json_text('visitor', 'id') }} as visitor_id,
    cast(tags as {{ dbt.type_string() }}) as tags
from {{ source('airbyte', 'chats') }}
where zendesk_ticket_id is not null
