{# DuckDB is not a target fivetran/zendesk supports. These fill its two gaps there without touching the package. #}

{# fivetran_utils.timestamp_add renders `timestampadd`, which DuckDB lacks; dispatch finds this one first. #}
{% macro duckdb__timestamp_add(datepart, interval, from_timestamp) -%}
    {{ dbt.dateadd(datepart, interval, from_timestamp) }}
{%- endmacro %}

{# The package's incremental models set BigQuery's partition_by ({field, data_type}); dbt-duckdb 1.11 reads that
   setting as DuckLake partitioning and refuses a mapping. Plain DuckDB files have no partitions: nothing to do. #}
{% macro duckdb__get_partitioned_by(relation, temporary) -%}
    {{ return(none) }}
{%- endmacro %}
