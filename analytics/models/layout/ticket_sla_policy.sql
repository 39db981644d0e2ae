-- Fivetran's `ticket_sla_policy`: the SLA policy applied to a ticket and when, from the `apply_sla` metric events.
select distinct
    ticket_id,
    cast((cast(sla as json) -> 'policy' ->> 'id') as {{ dbt.type_bigint() }}) as sla_policy_id,
    {{ utc_timestamp('time') }} as policy_applied_at,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'ticket_metric_events') }}
where type = 'apply_sla' and sla is not null
