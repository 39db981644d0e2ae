-- Fivetran's `ticket_schedule`: which business-hours schedule a ticket was under from when. Zendesk's API serves
-- no such record, so the table is empty and fivetran/zendesk puts every ticket under the account's default
-- schedule (the earliest created), as it does for any ticket without a row here.
select
    cast(null as {{ dbt.type_timestamp() }}) as created_at,
    cast(null as {{ dbt.type_bigint() }}) as ticket_id,
    cast(null as {{ dbt.type_bigint() }}) as schedule_id,
    cast(null as {{ dbt.type_timestamp() }}) as _fivetran_synced
where 1 = 0
