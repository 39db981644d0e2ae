-- Fivetran's `ticket_tag`: one row per tag a ticket carries now (the ticket's `tags` array).
select
    tickets.id as ticket_id,
    {{ json_scalar_text('tag.value') }} as tag,
    {{ utc_timestamp('tickets._airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'tickets') }} as tickets
{{ json_array_rows('tickets.tags', 'tag') }}
