-- Fivetran's `organization_tag`: one row per tag an organization carries now.
select
    organizations.id as organization_id,
    {{ json_scalar_text('tag.value') }} as tag,
    {{ utc_timestamp('organizations._airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'organizations') }} as organizations
{{ json_array_rows('organizations.tags', 'tag') }}
