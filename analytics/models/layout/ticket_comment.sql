-- Fivetran's `ticket_comment`: Zendesk's `author_id` is its `user_id`, `created_at` its `created`.
select
    id,
    {{ utc_timestamp('_airbyte_extracted_at') }} as _fivetran_synced,
    false as _fivetran_deleted,
    body,
    {{ utc_timestamp('created_at') }} as created,
    public,
    ticket_id,
    author_id as user_id,
    false as facebook_comment,
    false as tweet,
    (type = 'VoiceComment') as voice_comment
from {{ source('airbyte', 'ticket_comments') }}
