-- Fivetran's `ticket_form_history`: the ticket forms as they are now, keyed by (id, updated_at).
select
    id,
    {{ utc_timestamp('updated_at') }} as updated_at,
    (deleted_at is not null or _ab_cdc_deleted_at is not null) as _fivetran_deleted,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    active,
    {{ utc_timestamp('created_at') }} as created_at,
    display_name,
    end_user_visible,
    name
from {{ source('airbyte', 'ticket_forms') }}
