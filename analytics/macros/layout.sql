{# Helpers for the layout models: what differs between DuckDB and PostgreSQL in reading PyAirbyte's tables. #}

{# PyAirbyte writes date-time fields as timestamps without a zone, in UTC (DuckDB and PostgreSQL alike), as
   Fivetran's tables hold them; strings from inside JSON (ISO 8601, `Z`) read the same way. #}
{% macro utc_timestamp(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{# A JSON array column as rows: `alias.value` (JSON) and `alias.position` (1-based). #}
{% macro json_array_rows(column, alias) -%}
    {{ return(adapter.dispatch('json_array_rows', 'zendesk_analytics')(column, alias)) }}
{%- endmacro %}

{% macro default__json_array_rows(column, alias) -%}
    cross join unnest(cast({{ column }} as json[])) with ordinality as {{ alias }}(value, position)
{%- endmacro %}

{% macro postgres__json_array_rows(column, alias) -%}
    cross join lateral json_array_elements(cast({{ column }} as json)) with ordinality as {{ alias }}(value, position)
{%- endmacro %}

{# A JSON scalar (string, number, boolean) as text. #}
{% macro json_scalar_text(expression) -%}
    {{ return(adapter.dispatch('json_scalar_text', 'zendesk_analytics')(expression)) }}
{%- endmacro %}

{% macro default__json_scalar_text(expression) -%}
    ({{ expression }} ->> '$')
{%- endmacro %}

{% macro postgres__json_scalar_text(expression) -%}
    ({{ expression }} #>> '{}')
{%- endmacro %}

{# `column ->> key` on a JSON column; PostgreSQL needs the column as json, DuckDB reads it as it is. #}
{% macro json_text(column, key) -%}
    (cast({{ column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro json_object(column, key) -%}
    (cast({{ column }} as json) -> '{{ key }}')
{%- endmacro %}
