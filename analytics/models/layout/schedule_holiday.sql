-- Fivetran's `schedule_holiday`: the holidays each schedule carries.
select
    cast((holiday.value ->> 'id') as {{ dbt.type_bigint() }}) as id,
    schedules.id as schedule_id,
    false as _fivetran_deleted,
    {{ utc_timestamp('schedules._airbyte_extracted_at') }} as _fivetran_synced,
    (holiday.value ->> 'end_date') as end_date,
    (holiday.value ->> 'name') as name,
    (holiday.value ->> 'start_date') as start_date
from {{ source('airbyte', 'schedules') }} as schedules
{{ json_array_rows('schedules.holidays', 'holiday') }}
