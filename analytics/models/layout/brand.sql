-- Fivetran's `brand`; the `logo` object flattened into logo_* columns.
select
    id,
    (coalesce(is_deleted, false) or _ab_cdc_deleted_at is not null) as _fivetran_deleted,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    active,
    brand_url,
    has_help_center,
    help_center_state,
    {{ json_text('logo', 'content_type') }} as logo_content_type,
    {{ json_text('logo', 'content_url') }} as logo_content_url,
    {{ json_text('logo', 'file_name') }} as logo_file_name,
    cast({{ json_text('logo', 'id') }} as {{ dbt.type_bigint() }}) as logo_id,
    {{ json_text('logo', 'mapped_content_url') }} as logo_mapped_content_url,
    cast({{ json_text('logo', 'size') }} as {{ dbt.type_bigint() }}) as logo_size,
    {{ json_text('logo', 'url') }} as logo_url,
    name,
    subdomain,
    url
from {{ source('airbyte', 'brands') }}
