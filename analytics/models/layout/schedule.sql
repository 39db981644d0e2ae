-- Fivetran's `schedule`: one row per weekly interval (minutes from Sunday 00:00 in the schedule's time zone).
select
    schedules.id,
    cast((interval.value ->> 'start_time') as {{ dbt.type_bigint() }}) as start_time,
    cast((interval.value ->> 'end_time') as {{ dbt.type_bigint() }}) as end_time,
    false as _fivetran_deleted,
    {{ utc_timestamp('schedules._airbyte_extracted_at') }} as _fivetran_synced,
    schedules.name,
    schedules.time_zone,
    {{ utc_timestamp('schedules.created_at') }} as created_at
from {{ source('airbyte', 'schedules') }} as schedules
{{ json_array_rows('schedules.intervals', 'interval') }}
