-- Fivetran's `sla_policy_metric_history`: each policy's targets (`policy_metrics`), as of the policy's updated_at.
select
    policies.id as sla_policy_id,
    cast(metric.position as {{ dbt.type_int() }}) as index,
    {{ utc_timestamp('policies.updated_at') }} as sla_policy_updated_at,
    cast((metric.value ->> 'business_hours') as boolean) as business_hours,
    (metric.value ->> 'metric') as metric,
    (metric.value ->> 'priority') as priority,
    cast((metric.value ->> 'target') as {{ dbt.type_int() }}) as target,
    {{ utc_timestamp('policies._airbyte_extracted_at') }} as _fivetran_synced
from {{ source('airbyte', 'sla_policies') }} as policies
{{ json_array_rows('policies.policy_metrics', 'metric') }}
