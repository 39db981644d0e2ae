-- Fivetran's `time_zone`: Zendesk's time zone names with their standard UTC offset ([+-]HH:MM). Zendesk names a
-- zone its own way ("Eastern Time (US & Canada)"); users carry that name next to the IANA one, which gives the
-- mapping, and the offsets come from the seed scripts/time_zone_seed.py generates from the tz database. IANA names
-- are listed too, for schedules no user shares a zone with.
with zendesk_names as (

    select time_zone as name, min(iana_time_zone) as iana_name
    from {{ source('airbyte', 'users') }}
    where time_zone is not null and iana_time_zone is not null
    group by time_zone

), names as (

    select name, iana_name from zendesk_names
    union all
    select iana_name as name, iana_name from {{ ref('time_zone_offsets') }}
    where iana_name not in (select name from zendesk_names)

)

select
    names.name as time_zone,
    offsets.standard_offset,
    cast(null as {{ dbt.type_timestamp() }}) as _fivetran_synced
from names
join {{ ref('time_zone_offsets') }} as offsets on offsets.iana_name = names.iana_name
