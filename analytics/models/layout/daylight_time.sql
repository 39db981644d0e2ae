-- Fivetran's `daylight_time`: each zone's daylight-saving periods per year, from the seed, under the names
-- `time_zone` lists.
with names as (

    select time_zone as name, min(iana_time_zone) as iana_name
    from {{ source('airbyte', 'users') }}
    where time_zone is not null and iana_time_zone is not null
    group by time_zone

), all_names as (

    select name, iana_name from names
    union all
    select distinct iana_name as name, iana_name from {{ ref('daylight_time_periods') }}
    where iana_name not in (select name from names)

)

select
    all_names.name as time_zone,
    periods.year,
    periods.daylight_start_utc,
    periods.daylight_end_utc,
    periods.daylight_offset,
    cast(null as {{ dbt.type_timestamp() }}) as _fivetran_synced
from all_names
join {{ ref('daylight_time_periods') }} as periods on periods.iana_name = all_names.iana_name
