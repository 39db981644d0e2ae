"""Talk (Voice) data: calls and their legs (lazy, about 3 calls per 10 tickets, each linked to a ticket of the
same period and answered by one of the account's agents), and the small objects: phone numbers, addresses,
greetings and their categories, IVRs with menus and routes, lines, agent activity, stats and settings."""

from __future__ import annotations

from .pools import mix
from .series import Series
from .timeline import iso

CALL, LEG, PHONE_NUMBER, ADDRESS, GREETING, IVR, IVR_MENU, IVR_ROUTE, LINE = (
    30_000_000_000_000,
    31_000_000_000_000,
    32_000_000_000_000,
    32_100_000_000_000,
    32_200_000_000_000,
    32_300_000_000_000,
    32_400_000_000_000,
    32_500_000_000_000,
    32_600_000_000_000,
)
K_CALL = 401
LEGS_PER_CALL = [2, 2, 3, 2, 4, 2, 3]  # by call index modulo 7: customer leg, agent leg(s), transfers
COMPLETION = [
    "completed",
    "completed",
    "completed",
    "abandoned_in_queue",
    "agent_declined",
    "completed",
    "abandoned_in_voicemail",
    "completed",
]


def call_count(tickets: int) -> int:
    return max(20, tickets * 3 // 10)


def legs_of(k: int) -> int:
    return LEGS_PER_CALL[k % len(LEGS_PER_CALL)]


class Talk:
    def __init__(self, account):
        self.account = account
        s = account.settings
        self.seed = s.seed
        self.base = account.base_url
        self.calls = Series(call_count(s.tickets), account.history_start, account.anchor, burst=3)
        pools = account.pools
        n_numbers = max(3, min(10, s.tickets // 100_000 + 3))
        self.phone_numbers = [self._phone_number(n, pools) for n in range(1, n_numbers + 1)]
        self.addresses = [self._address(n, pools) for n in range(1, 3)]
        self.greeting_categories = [{"id": 1, "name": "voicemail"}, {"id": 2, "name": "available"}]
        self.greetings = [self._greeting(n) for n in range(1, 7)]
        self.ivrs = [self._ivr(n) for n in range(1, 3)]
        self.lines = [self._line(p) for p in self.phone_numbers] + [self._digital_line()]

    def _url(self, path: str) -> str:
        return f"{self.base}/api/v2/channels/voice/{path}.json"

    def _created(self, n: int) -> str:
        return iso(self.account.history_start - 20 * 86400 + n * 7207)

    # ---- small objects ----------------------------------------------------------------------------
    def _phone_number(self, n, pools):
        number = pools.phones[(n * 37) % len(pools.phones)]
        group = self.account.config.group_ids[n % len(self.account.config.group_ids)]
        return {
            "id": PHONE_NUMBER + n,
            "url": self._url(f"phone_numbers/{PHONE_NUMBER + n}"),
            "number": number,
            "display_number": f"+1 ({number[2:5]}) {number[5:8]}-{number[8:12]}",
            "name": f"Line {n}",
            "nickname": ["Support", "Sales", "Billing", "VIP"][n % 4],
            "country_code": "US",
            "location": pools.cities[n % len(pools.cities)],
            "toll_free": n % 3 == 0,
            "recorded": True,
            "transcription": n % 2 == 0,
            "sms_enabled": n == 1,
            "voice_enabled": True,
            "capabilities": {"sms": n == 1, "mms": False, "voice": True, "emergency_address": True},
            "group_ids": [group],
            "default_group_id": group,
            "greeting_ids": [GREETING + 1, GREETING + 4],
            "default_greeting_ids": ["voicemail_en", "available_en"],
            "categorised_greetings": {"1": "voicemail_en", "2": "available_en"},
            "categorised_greetings_with_sub_settings": {},
            "ivr_id": IVR + 1 if n == 1 else None,
            "line_type": "phone",
            "priority": 0,
            "schedule_id": None,
            "outbound_enabled": True,
            "transcription_enabled": False,
            "external": False,
            "failover_number": None,
            "brand_id": self.account.config.brands[0]["id"],
            "created_at": self._created(n),
        }

    def _address(self, n, pools):
        return {
            "id": ADDRESS + n,
            "name": f"Office {n}",
            "street": f"{100 + n} Main Street",
            "zip": f"9{n:04d}",
            "city": pools.cities[(n * 11) % len(pools.cities)],
            "state": "CA",
            "province": None,
            "country_code": "US",
            "provider_reference": f"AD{mix(self.seed, 402, n) % 10**12:x}",
        }

    def _greeting(self, n):
        category = 1 if n <= 3 else 2
        return {
            "id": GREETING + n,
            "name": f"{'Voicemail' if category == 1 else 'Available'} greeting {n}",
            "category_id": category,
            "default": n in (1, 4),
            "default_lang": True,
            "active": True,
            "pending": False,
            "has_sub_settings": False,
            "ivr_ids": [IVR + 1] if n == 2 else [],
            "phone_number_ids": [PHONE_NUMBER + 1] if n in (1, 4) else [],
            "audio_name": f"greeting_{n}.mp3",
            "audio_url": f"/system/voice/uploads/greeting_{n}.mp3",
            "upload_id": None,
        }

    def _ivr(self, n):
        menus = []
        group_ids = self.account.config.group_ids
        for m in range(1, 3):
            mid = IVR_MENU + n * 10 + m
            routes = [
                {
                    "id": IVR_ROUTE + mid % 10**6 * 10 + r,
                    "keypress": str(r),
                    "action": "group",
                    "options": {"group_ids": [group_ids[r % len(group_ids)]]},
                    "greeting": None,
                    "option_text": f"Option {r}",
                    "tags": [f"ivr_option_{r}"],
                }
                for r in range(1, 4)
            ]
            menus.append(
                {
                    "id": mid,
                    "name": "Main menu" if m == 1 else f"Sub menu {m}",
                    "default": m == 1,
                    "greeting_id": GREETING + 2,
                    "routes": routes,
                }
            )
        return {
            "id": IVR + n,
            "name": f"IVR {n}",
            "menus": menus,
            "phone_number_ids": [PHONE_NUMBER + 1] if n == 1 else [],
            "phone_number_names": ["Line 1"] if n == 1 else [],
        }

    def _line(self, phone):
        return {
            **{
                k: phone[k]
                for k in (
                    "id",
                    "url",
                    "number",
                    "display_number",
                    "name",
                    "nickname",
                    "country_code",
                    "location",
                    "toll_free",
                    "recorded",
                    "transcription",
                    "capabilities",
                    "group_ids",
                    "default_group_id",
                    "greeting_ids",
                    "brand_id",
                    "created_at",
                    "priority",
                    "schedule_id",
                )
            },
            "line_type": "phone",
        }

    def _digital_line(self):
        return {
            "id": LINE + 1,
            "url": self._url(f"lines/{LINE + 1}"),
            "name": "Web widget calls",
            "nickname": "Web widget",
            "line_type": "digital",
            "group_ids": [self.account.config.group_ids[0]],
            "default_group_id": self.account.config.group_ids[0],
            "greeting_ids": [GREETING + 1],
            "brand_id": self.account.config.brands[0]["id"],
            "created_at": self._created(99),
            "priority": 0,
            "schedule_id": None,
            "recorded": False,
            "transcription": False,
            "outbound_number": None,
        }

    # ---- calls and legs ---------------------------------------------------------------------------
    def call_index(self, call_id) -> int | None:
        try:
            k = int(call_id) - CALL
        except (TypeError, ValueError):
            return None
        return k if self.calls.exists(k) else None

    def call_line(self, k: int) -> tuple[dict, str]:
        """The account's number call k came in on or went out from, and the direction."""
        h = mix(self.seed, K_CALL, k)
        return self.phone_numbers[(h >> 28) % len(self.phone_numbers)], "outbound" if h % 9 == 0 else "inbound"

    def call_facts(self, k: int):
        h = mix(self.seed, K_CALL, k)
        duration = 30 + h % 1200
        completion = COMPLETION[(h >> 12) % len(COMPLETION)]
        answered = completion == "completed"
        wait = 5 + (h >> 20) % 120
        return h, duration, completion, answered, wait

    def linked_ticket(self, k: int) -> int | None:
        """The ticket the call is linked to (the rule is the tickets', which know the calls that created them)."""
        return self.account.tickets.call_ticket(k)

    def call(self, k: int) -> dict:
        h, duration, completion, answered, wait = self.call_facts(k)
        updated = self.calls.updated_ts(k)
        # a call starts before its base change time; an update (a late note, a recording) does not move it
        created = (
            self.calls.base_created_ts(k, 1)
            if k > self.calls.count
            else self.calls.timeline.at(k) - duration - wait - 60
        )
        phone, direction = self.call_line(k)
        users = self.account.users
        agent = users.agent_id((h >> 32) & 0xFFF) if answered else None
        customer = users.end_user_id((h >> 40) & 0xFFFFF)
        talk = duration - 20 if answered else 0
        ticket = self.linked_ticket(k)
        if ticket is not None and self.account.tickets.voice_call_of(ticket) == k:
            # the call created its ticket: the caller is its requester, whoever answered its assignee
            _h, requester, _s, assignee, *_ = self.account.tickets.people(ticket)
            customer, agent = requester, assignee if answered else None
        return {
            "id": CALL + k,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "agent_id": agent,
            "call_charge": f"{(duration / 60) * 0.022:.3f}",
            "call_group_id": phone["default_group_id"],
            "call_recording_consent": "always",
            "call_recording_consent_action": None,
            "call_recording_consent_keypress": None,
            "callback": h % 29 == 0,
            "callback_source": "web_widget" if h % 29 == 0 else None,
            "completion_status": completion,
            "consultation_time": 0,
            "customer_id": customer,
            "customer_requested_voicemail": completion == "abandoned_in_voicemail",
            "default_group": True,
            "direction": direction,
            "duration": duration,
            "exceeded_queue_wait_time": wait > 110,
            "hold_time": (h >> 48) % 30 if answered else 0,
            "ivr_action": "group" if phone["ivr_id"] else None,
            "ivr_destination_group_name": None,
            "ivr_hops": 1 if phone["ivr_id"] else None,
            "ivr_routed_to": None,
            "ivr_time_spent": 12 if phone["ivr_id"] else None,
            "line": phone["number"],
            "line_id": phone["id"],
            "line_type": "phone",
            "minutes_billed": duration // 60 + 1,
            "not_recording_time": 0,
            "outside_business_hours": h % 17 == 0,
            "overflowed": False,
            "overflowed_to": None,
            "phone_number": phone["number"],
            "phone_number_id": phone["id"],
            "quality_issues": [],
            "recording_control_interactions": 0,
            "recording_time": talk,
            "talk_time": talk,
            "ticket_id": ticket,
            "time_to_answer": wait if answered else None,
            "voicemail": completion == "abandoned_in_voicemail",
            "wait_time": wait,
            "wrap_up_time": (h >> 52) % 60 if answered else None,
        }

    def legs(self, k: int) -> list[dict]:
        call = self.call(k)
        out = []
        for j in range(legs_of(k)):
            agent_leg = j > 0
            h = mix(self.seed, K_CALL + 1, k * 8 + j)
            agent = call["agent_id"] if j == 1 else (self.account.users.agent_id(h & 0xFFF) if agent_leg else None)
            talk = call["talk_time"] if agent_leg else 0
            out.append(
                {
                    "id": LEG + k * 8 + j,
                    "call_id": call["id"],
                    "created_at": call["created_at"],
                    "updated_at": call["updated_at"],
                    "agent_id": agent,
                    "user_id": agent if agent_leg else call["customer_id"],
                    "type": "agent" if agent_leg else "customer",
                    "available_via": "browser" if agent_leg else None,
                    "call_charge": call["call_charge"] if not agent_leg else "0.0",
                    "conference_from": None,
                    "conference_time": None,
                    "conference_to": None,
                    "consultation_from": None,
                    "consultation_time": None,
                    "consultation_to": None,
                    "consultation_type": None,
                    "duration": call["duration"],
                    "forwarded_to": None,
                    "hold_time": call["hold_time"] if agent_leg else 0,
                    "minutes_billed": call["minutes_billed"] if not agent_leg else 0,
                    "quality_issues": [],
                    "talk_time": talk,
                    "transferred_from": agent if j > 1 else None,
                    "transferred_to": None,
                    "wrap_up_time": call["wrap_up_time"] if agent_leg else None,
                    "completion_status": call["completion_status"],
                }
            )
        return out

    @staticmethod
    def legs_upto(m: int) -> int:
        """Legs of calls 1..m, closed-form (legs repeat with the call index modulo 7)."""
        period = len(LEGS_PER_CALL)
        full, rest = divmod(m, period)
        return full * sum(LEGS_PER_CALL) + sum(legs_of(k) for k in range(full * period + 1, m + 1))

    def legs_before(self, cutoff: int) -> int:
        """Legs an export walked to `cutoff` returns."""
        calls = self.calls
        m = calls.timeline.first_at_or_after(cutoff, 1, calls.count) - 1
        n = self.legs_upto(m) - sum(legs_of(k) for k in calls.changes if k <= m)
        return n + sum(legs_of(k) for k, change in calls.changes.items() if change.updated < cutoff)

    # ---- stats ------------------------------------------------------------------------------------
    def agents_activity(self) -> list[dict]:
        users = self.account.users
        out = []
        for k in range(2, users.n_agents + 1):
            u = users.user(k)
            h = mix(self.seed, 405, k)
            out.append(
                {
                    "agent_id": u["id"],
                    "name": u["name"],
                    "avatar_url": None,
                    "agent_state": ["online", "offline", "away"][h % 3],
                    "call_status": None,
                    "status": ["online", "offline", "away"][h % 3],
                    "via": "client",
                    "forwarding_number": None,
                    "accepted_third_party_conferences": 0,
                    "accepted_transfers": h % 3,
                    "available_time": 3600 + h % 7200,
                    "average_hold_time": h % 40,
                    "average_talk_time": 120 + h % 200,
                    "average_wrap_up_time": h % 60,
                    "away_time": h % 900,
                    "calls_accepted": 5 + h % 30,
                    "calls_denied": h % 3,
                    "calls_missed": h % 4,
                    "calls_put_on_hold": h % 6,
                    "online_time": 14400 + h % 3600,
                    "started_third_party_conferences": 0,
                    "started_transfers": h % 2,
                    "total_call_duration": 3000 + h % 5000,
                    "total_hold_time": h % 400,
                    "total_talk_time": 2500 + h % 4000,
                    "total_wrap_up_time": h % 900,
                    "transfers_only_time": 0,
                }
            )
        return out

    def current_queue_activity(self) -> dict:
        h = mix(self.seed, 406, self.account.now() // 60)
        return {
            "agents_online": 2 + h % 8,
            "average_wait_time": h % 90,
            "callbacks_waiting": h % 2,
            "calls_waiting": h % 4,
            "embeddable_callbacks_waiting": 0,
            "longest_wait_time": h % 180,
        }

    def account_overview(self) -> dict:
        n = min(self.calls.count, 500)
        return {
            "average_call_duration": 310,
            "average_queue_wait_time": 40,
            "average_wrap_up_time": 25,
            "max_calls_waiting": 4,
            "max_queue_wait_time": 175,
            "total_call_duration": n * 310,
            "total_calls": n,
            "total_voicemails": n // 12,
            "total_wrap_up_time": n * 25,
            "average_callback_wait_time": 0,
            "average_hold_time": 12,
            "average_time_to_answer": 35,
            "total_callback_calls": n // 29,
            "total_calls_abandoned_in_queue": n // 8,
            "total_calls_outside_business_hours": n // 17,
            "total_calls_with_exceeded_queue_wait_time": n // 40,
            "total_calls_with_requested_voicemail": n // 12,
            "total_hold_time": n * 12,
            "total_inbound_calls": n - n // 9,
            "total_outbound_calls": n // 9,
            "total_textback_requests": 0,
            "total_embeddable_callback_calls": 0,
        }

    def agents_overview(self) -> dict:
        agents = self.agents_activity()
        total = lambda key: sum(a[key] for a in agents)  # noqa: E731
        return {
            "average_accepted_transfers": 1,
            "average_available_time": 5000,
            "average_away_time": 400,
            "average_calls_accepted": total("calls_accepted") // max(1, len(agents)),
            "average_calls_denied": 1,
            "average_calls_missed": 1,
            "average_online_time": 16000,
            "average_talk_time": 200,
            "average_wrap_up_time": 30,
            "total_accepted_transfers": total("accepted_transfers"),
            "total_calls_accepted": total("calls_accepted"),
            "total_calls_denied": total("calls_denied"),
            "total_calls_missed": total("calls_missed"),
            "total_talk_time": total("total_talk_time"),
            "total_wrap_up_time": total("total_wrap_up_time"),
            "total_available_time": total("available_time"),
            "total_away_time": total("away_time"),
            "total_online_time": total("online_time"),
            "total_calls_put_on_hold": total("calls_put_on_hold"),
            "total_hold_time": total("total_hold_time"),
            "average_hold_time": 10,
        }

    def settings(self) -> dict:
        return {
            "agent_confirmation_when_forwarding": True,
            "agent_wrap_up_after_calls": True,
            "maximum_queue_size": 5,
            "maximum_queue_wait_time": 1,
            "only_during_business_hours": False,
            "recordings_public": False,
            "supported_locales": [{"id": 1, "name": "English", "locale": "en-US"}],
            "voice": True,
            "voice_ai_enabled": False,
            "voice_ai_display_transcript": False,
        }
