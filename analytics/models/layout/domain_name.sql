-- Fivetran's `domain_name`: an organization's `domain_names` array, one row per domain, `index` from 0.
select
    organizations.id as organization_id,
    cast(domain.position - 1 as {{ dbt.type_int() }}) as index,
    {{ json_scalar_text('domain.value') }} as domain_name,
    {{ utc_timestamp('organizations._airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'organizations') }} as organizations
{{ json_array_rows('organizations.domain_names', 'domain') }}
