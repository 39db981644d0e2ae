-- Fivetran's `group`.
select
    id,
    (coalesce(deleted, false) or _ab_cdc_deleted_at is not null) as _fivetran_deleted,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    {{ utc_timestamp('created_at') }} as created_at,
    name,
    {{ utc_timestamp('updated_at') }} as updated_at,
    url
from {{ source('airbyte', 'groups') }}
