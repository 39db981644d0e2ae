-- Fivetran's `user_tag`: one row per tag a user carries now.
select
    users.id as user_id,
    {{ json_scalar_text('tag.value') }} as tag,
    {{ utc_timestamp('users._airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'users') }} as users
{{ json_array_rows('users.tags', 'tag') }}
