-- Fivetran's `audit_log`.
select
    id,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    action,
    actor_id,
    change_description,
    {{ utc_timestamp('created_at') }} as created_at,
    source_id,
    source_label,
    source_type
from {{ source('airbyte', 'audit_logs') }}
