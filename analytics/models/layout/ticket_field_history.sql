-- Fivetran's `ticket_field_history`: every field value a ticket took, when, and who set it. From the audits'
-- Create/Change events (our ticket_field_history stream), and from the metric events that apply an SLA policy:
-- Fivetran records those as the policy's name (`sla_policy`) and each target as {"minutes", "in_business_hours"}.
with changes as (

    select
        field as field_name,
        ticket_id,
        {{ utc_timestamp('created_at') }} as updated,
        author_id as user_id,
        new_value as value,
        {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced
    from {{ source('airbyte', 'ticket_field_history') }}

), sla_applied as (

    select *
    from {{ source('airbyte', 'ticket_metric_events') }}
    where type = 'apply_sla' and sla is not null

), sla_targets as (

    select
        case when metric = 'reply_time' and instance_id = 1 then 'first_reply_time'
             when metric = 'reply_time' then 'next_reply_time'
             else metric end as field_name,
        ticket_id,
        {{ utc_timestamp('time') }} as updated,
        cast(null as {{ dbt.type_bigint() }}) as user_id,
        '{"minutes":' || {{ json_text('sla', 'target') }}
            || ',"in_business_hours":' || {{ json_text('sla', 'business_hours') }} || '}' as value,
        {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced
    from sla_applied

), sla_policy_names as (

    select
        'sla_policy' as field_name,
        ticket_id,
        {{ utc_timestamp('time') }} as updated,
        cast(null as {{ dbt.type_bigint() }}) as user_id,
        (cast(sla as json) -> 'policy' ->> 'title') as value,
        {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced
    from sla_applied

)

select * from changes
union all
select * from sla_targets
union all
select * from sla_policy_names
