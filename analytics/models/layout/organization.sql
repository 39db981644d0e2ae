-- Fivetran's `organization`.
select
    id,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    {{ utc_timestamp('created_at') }} as created_at,
    details,
    external_id,
    group_id,
    name,
    notes,
    shared_comments,
    shared_tickets,
    {{ utc_timestamp('updated_at') }} as updated_at,
    url
from {{ source('airbyte', 'organizations') }}
where deleted_at is null and _ab_cdc_deleted_at is null
