"""GET /api/v2/account/settings: the account's settings, as far as the plan and features say."""

from __future__ import annotations

from ..paging.endpoint import Ctx


def account_settings(ctx: Ctx) -> dict:
    settings = ctx.account.settings
    return {
        "settings": {
            "active_features": {
                "customer_satisfaction": settings.has_feature("csat"),
                "business_hours": settings.plan != "team",
                "ticket_forms": settings.has_feature("ticket_forms"),
                "on_hold_status": True,
                "user_tagging": True,
                "ticket_tagging": True,
                "topic_suggestion": False,
                "voice": settings.has_feature("talk"),
                "explore": True,
                "good_data_and_explore": False,
                "sandbox": False,
                "side_conversations": settings.has_feature("side_conversations"),
                "organization_access_enabled": True,
            },
            "api": {
                "accepted_api_agreement": True,
                "api_password_access": str(settings.allow_password_auth).lower(),
                "api_token_access": "true",
            },
            "tickets": {
                "comments_public_by_default": True,
                "list_newest_comments_first": True,
                "collaboration": True,
                "private_attachments": False,
                "agent_collision": True,
                "tagging": True,
                "list_empty_views": True,
                "maximum_personal_views_to_list": 8,
                "status_hold": True,
                "email_attachments": False,
                "default_solved_ticket_reassignment_strategy": "none",
                "has_color_text": True,
                "emoji_autocompletion": True,
            },
            "localization": {"locale_ids": [1]},
            "billing": {"backend": "zuora"},
            "brands": {"default_brand_id": ctx.account.config.brands[0]["id"], "require_brand_on_new_tickets": False},
            "routing": {
                "enabled": settings.plan_at_least("enterprise"),
                "autorouting_tag": "",
                "max_email_capacity": 0,
                "max_messaging_capacity": 0,
                "reassignment_messaging_enabled": False,
                "reassignment_messaging_timeout": 30,
                "reassignment_talk_timeout": 30,
            },
            "limits": {"attachment_size": 52428800},
            "user": {
                "tagging": True,
                "time_zone_selection": True,
                "language_selection": True,
                "multiple_organizations": False,
                "agent_created_welcome_emails": True,
                "end_user_phone_number_validation": False,
                "have_gravatars_enabled": True,
            },
        }
    }
