"""Progress profiles: what each staff member did towards the programmes, planned as events.

Each staff member with an aim (``aims`` in network.yaml) gets a *target* programme and a
progress profile for it. The target's prerequisites (recursively) are completed before it,
early enough to be held when it is completed. The profiles, by completion date of the
target (days before ``as_of``):

- **certified** — completed every requirement about 1 to 15 months ago: a certificate
  issued on completion is valid today.
- **expiring** — completed about 30½ to 35½ months ago, nothing since: a 36-month
  certificate is in its 6-month renewal window.
- **expired** — completed about 36 to 42 months ago (always after the 36 months),
  nothing since; half of those who hold no core position have left the network since.
- **close** — did everything in the last 6½ months but one or two requirements: a
  competency assessed one level too low or never assessed, a module attended partially
  (under 80 % of its hours), missed (absent), or past its refresh period, or (CERT-FORM)
  the prerequisite held for less than its 24 months. The prerequisites are held.
- **beginner** — holds the prerequisites and has started: one or two of the target's
  modules and a positioning interview, assessed below the target's minimum levels.

A prerequisite is completed 6 to 11 months before the programme needing it or, when it
must have been held N months (CERT-FORM needs CERT-CONS for 24), N months and 3 to 5
weeks before, and is labelled certified / expiring / expired by the age of its
completion. So every programme gets people in every profile, and the long CERT-FORM
chains reach about seven years back (the rest of the activity lies in the last three
and a half years).

Levels never contradict a completed programme: an assessment after a prerequisite's
completion is at least that programme's minimum, and a competency the target is short
of is capped below the target's minimum in the prerequisites' episodes too.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from dateutil.relativedelta import relativedelta

from certify.demo.catalog import Catalog, ProgrammeSpec
from certify.demo.staff import Position, StaffMember, largest_remainder


class Profile(enum.StrEnum):
    """Where a staff member stands towards one programme."""

    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    CLOSE = "close"
    BEGINNER = "beginner"


class Gap(enum.StrEnum):
    """A requirement a *close* staff member misses."""

    LOW = "low"
    UNASSESSED = "unassessed"
    PARTIAL = "partial"
    ABSENT = "absent"
    STALE = "stale"
    SHORT_HOLD = "short_hold"


#: Profiles of a programme completed once (a certificate was earned).
HOLDING = frozenset({Profile.CERTIFIED, Profile.EXPIRING, Profile.EXPIRED})
#: How the staff aiming at one programme are spread over the profiles (weights).
PROFILE_WEIGHTS = {
    Profile.CERTIFIED: 34,
    Profile.EXPIRING: 14,
    Profile.EXPIRED: 12,
    Profile.CLOSE: 20,
    Profile.BEGINNER: 20,
}
#: Days before ``as_of`` when the target programme is completed (or, close and beginner,
#: last worked on), by profile.
COMPLETION_DAYS = {
    Profile.CERTIFIED: (30, 420),
    Profile.EXPIRING: (975, 1030),
    Profile.EXPIRED: (1150, 1250),
    Profile.CLOSE: (25, 150),
    Profile.BEGINNER: (15, 150),
}
#: Average days in a month, to turn month periods into planning days.
MONTH_DAYS = 30.44
#: Days a session may move either side of the day a participant planned it for (every
#: margin below allows for it, plus 3 days to start on a weekday).
TOLERANCE = 45
#: Days over which one programme's modules and assessments are spread.
EPISODE_SPAN = 150
#: Days between a prerequisite's completion and the next programme's.
PREREQUISITE_GAP = (190, 350)
#: Days beyond the minimum holding time when a prerequisite must be held for months.
HELD_MARGIN = (100, 150)
#: Days short of the minimum holding time, for a close staff member missing just that.
SHORT_HOLD_DAYS = (150, 300)
#: Days beyond a module's refresh period, for a close staff member whose module lapsed.
STALE_MARGIN = (60, 100)
#: The last session of a plan ends at least this many days before ``as_of``.
RECENT_DAYS = 5
#: Days before a completed programme's episode its modules are off limits to the person
#: as a filler.
BLOCK_MARGIN = 90
#: Levels given to beginners (drawn uniformly).
BEGINNER_LEVELS = (0, 1, 1, 2)
#: Share of complete attendances that are a little short, yet above 80 %.
SHORT_SHARE = 0.12
#: Positions held by long-serving staff, active long before the oldest sessions.
LONG_SERVING = frozenset(
    {
        Position.COORDINATOR,
        Position.REGIONAL_COORDINATOR,
        Position.NETWORK_COORDINATOR,
        Position.NETWORK_TRAINER,
        Position.ADMIN,
    }
)
#: Days before ``as_of`` long-serving staff started.
LONG_SERVICE_DAYS = (2700, 4300)


@dataclass(slots=True)
class ModuleDemand:
    """A staff member's place in some session of a module, planned within a window."""

    #: Who attends.
    person: StaffMember
    #: The programme this attendance works towards.
    programme: str
    #: Module code.
    module: str
    #: Earliest first day of the session, as a date ordinal.
    lo: int
    #: Latest first day of the session, as a date ordinal.
    hi: int
    #: Hours the person will be present.
    hours: Decimal
    #: (competency code, level) the session's trainer gives the person.
    levels: tuple[tuple[str, int], ...]
    #: Whether the place is in a session yet.
    booked: bool = False


@dataclass(slots=True)
class OutsideAssessment:
    """An assessment outside any session, by a coordinator or trainer."""

    #: Who is assessed.
    person: StaffMember
    #: The programme it works towards.
    programme: str
    #: Competency code.
    competency: str
    #: Level given.
    level: int
    #: Day of the assessment, as a date ordinal.
    day: int


@dataclass(slots=True)
class Plan:
    """Everything one staff member will have done, before sessions are formed."""

    #: Profile of the programme aimed at, if any.
    profile: Profile | None = None
    #: Profile of each programme of the chain (prerequisites and target).
    states: dict[str, Profile] = field(default_factory=dict)
    #: What a close staff member misses: (gap, competency, module or prerequisite code).
    gaps: tuple[tuple[Gap, str], ...] = ()
    #: Session places.
    demands: list[ModuleDemand] = field(default_factory=list)
    #: Assessments outside sessions.
    outside: list[OutsideAssessment] = field(default_factory=list)
    #: Module -> first day (ordinal) the person may no longer attend it to fill a session,
    #: since it could change a profile: always for a close programme's modules, from the
    #: episode on for a completed one's that may be in its renewal window or expired.
    blocked_modules: dict[str, int] = field(default_factory=dict)
    #: Competencies the person is never assessed on as a filler.
    sensitive: frozenset[str] = frozenset()

    def first_day(self) -> int | None:
        """Ordinal of the earliest planned activity."""
        days = [d.lo for d in self.demands] + [o.day for o in self.outside]
        return min(days, default=None)

    def last_day(self) -> int | None:
        """Ordinal of the latest planned activity."""
        days = [d.hi for d in self.demands] + [o.day for o in self.outside]
        return max(days, default=None)

    def plans_module_near(self, module: str, day: int, distance: int) -> bool:
        """Whether a session of ``module`` is planned within ``distance`` days of ``day``."""
        return any(
            d.module == module and d.lo - distance <= day <= d.hi + distance for d in self.demands
        )


def months_to_days(months: int) -> int:
    """A number of months as planning days (rounded up)."""
    return -int(-months * MONTH_DAYS // 1)


def holding_profile(programme: ProgrammeSpec, completed_on: date, as_of: date) -> Profile:
    """Certified, expiring (in the renewal window) or expired, for a completed programme."""
    valid_until = completed_on + relativedelta(months=programme.validity_months)
    if as_of > valid_until:
        return Profile.EXPIRED
    window = relativedelta(months=programme.recert_window_months)
    return Profile.EXPIRING if as_of >= valid_until - window else Profile.CERTIFIED


def weekday_on_or_before(ordinal: int) -> int:
    """The ordinal itself, or the Friday before it when it falls on a weekend."""
    weekday = date.fromordinal(ordinal).weekday()
    return ordinal - max(0, weekday - 4)


class Planner:
    """Plans what each staff member did, from their target programme and profile."""

    def __init__(self, catalog: Catalog, as_of: date, rng: random.Random) -> None:
        """Index the programmes and modules of ``catalog``."""
        self._programmes = {p.code: p for p in catalog.programmes}
        self._modules = {m.code: m for m in catalog.modules}
        self._today = as_of.toordinal()
        self._rng = rng

    @cache  # noqa: B019 - one planner per generation, few programmes
    def chain(self, code: str) -> tuple[str, ...]:
        """The programme and its prerequisites, recursively, prerequisites first."""
        ordered: list[str] = []
        for prerequisite in self._programmes[code].prerequisites:
            ordered += [c for c in self.chain(prerequisite) if c not in ordered]
        return (*ordered, code)

    @cache  # noqa: B019 - one planner per generation, few programmes
    def floors(self, code: str) -> dict[str, int]:
        """Competency -> the highest minimum any prerequisite of ``code`` requires."""
        floors: dict[str, int] = {}
        for ancestor in self.chain(code)[:-1]:
            for competency, level in self._programmes[ancestor].requires.items():
                floors[competency] = max(floors.get(competency, 0), level)
        return floors

    @cache  # noqa: B019 - one planner per generation, few programmes
    def covered(self, code: str) -> frozenset[str]:
        """Competencies the programme's modules cover."""
        return frozenset(c for m in self._programmes[code].modules for c in self._modules[m].covers)

    def plan(self, member: StaffMember, target: str | None, profile: Profile | None) -> Plan:
        """The plan of ``member`` aiming at ``target`` with ``profile`` (none: no activity)."""
        if target is None or profile is None:
            return Plan()
        gaps = self._gaps(target) if profile is Profile.CLOSE else ()
        days = self._completion_days(target, profile, gaps)
        chain = self.chain(target)
        plan = Plan(profile=profile, gaps=gaps)
        plan.states = {code: self._holding(code, days[code]) for code in chain[:-1]}
        plan.states[target] = profile
        requires = self._programmes[target].requires
        caps = {code: requires[code] - 1 for gap, code in gaps if gap in (Gap.LOW, Gap.UNASSESSED)}
        for code in chain[:-1]:
            self._complete(plan, member, code, days[code], (), caps)
        if profile is Profile.BEGINNER:
            self._begin(plan, member, target, days[target])
        else:
            self._complete(plan, member, target, days[target], gaps, {})
        active = [self._programmes[c] for c in chain if plan.states[c] is not Profile.BEGINNER]
        plan.sensitive = frozenset(c for p in active for c in p.requires)
        plan.blocked_modules = self._blocked(plan, days)
        return plan

    def _holding(self, code: str, days: int) -> Profile:
        """The profile of a programme planned to be completed ``days`` before ``as_of``."""
        completed_on = date.fromordinal(self._today - days)
        return holding_profile(self._programmes[code], completed_on, date.fromordinal(self._today))

    def _blocked(self, plan: Plan, days: dict[str, int]) -> dict[str, int]:
        """When each module becomes off limits to the person as a filler.

        Refreshing a module of a programme certified well inside its validity changes
        nothing (a new completion before the renewal window renews nothing), so only close
        programmes, and completed ones that may be in their window or expired, block.
        """
        starts: dict[str, int] = {}
        for place in plan.demands:
            starts[place.programme] = min(starts.get(place.programme, place.lo), place.lo)
        for planned in plan.outside:
            starts[planned.programme] = min(starts.get(planned.programme, planned.day), planned.day)
        blocked: dict[str, int] = {}
        for code, state in plan.states.items():
            programme = self._programmes[code]
            window_opens = programme.validity_months - programme.recert_window_months
            safe = months_to_days(window_opens) - 2 * TOLERANCE
            if state is Profile.BEGINNER or (state is not Profile.CLOSE and days[code] < safe):
                continue
            since = 0 if state is Profile.CLOSE else starts[code] - BLOCK_MARGIN
            for module in programme.modules:
                blocked[module] = min(blocked.get(module, since), since)
        return blocked

    def _completion_days(
        self, target: str, profile: Profile, gaps: tuple[tuple[Gap, str], ...]
    ) -> dict[str, int]:
        """Days before ``as_of`` each programme of the chain is completed."""
        days = {target: self._rng.randint(*COMPLETION_DAYS[profile])}
        for code in reversed(self.chain(target)):
            for prerequisite, held in self._programmes[code].prerequisites.items():
                if held == 0:
                    gap = self._rng.randint(*PREREQUISITE_GAP)
                elif code == target and (Gap.SHORT_HOLD, prerequisite) in gaps:
                    gap = months_to_days(held) - self._rng.randint(*SHORT_HOLD_DAYS)
                else:
                    gap = months_to_days(held) + self._rng.randint(*HELD_MARGIN)
                days[prerequisite] = max(days.get(prerequisite, 0), days[code] + gap)
        return days

    def _gaps(self, target: str) -> tuple[tuple[Gap, str], ...]:
        """One or two requirements a close staff member misses (never two on one item)."""
        programme = self._programmes[target]
        floors = self.floors(target)
        candidates: list[tuple[Gap, str]] = []
        for code, level in programme.requires.items():
            if level - 1 >= floors.get(code, 0):
                candidates += [(Gap.LOW, code), (Gap.UNASSESSED, code)]
        for code in programme.modules:
            candidates += [(Gap.PARTIAL, code), (Gap.ABSENT, code)]
            refresh = self._modules[code].refresh_months
            if refresh is not None and refresh <= 24:
                candidates.append((Gap.STALE, code))
        candidates += [(Gap.SHORT_HOLD, c) for c, held in programme.prerequisites.items() if held]
        first = self._rng.choice(candidates)
        if self._rng.random() < 0.6:
            return (first,)
        second = self._rng.choice([c for c in candidates if c[1] != first[1]])
        return (first, second)

    def _level(
        self, programme: ProgrammeSpec, competency: str, low: bool, floor: int, cap: int | None
    ) -> int:
        """The level given in a completing episode (``low``: one under the minimum)."""
        required = programme.requires.get(competency)
        if required is None:
            level = self._rng.randint(1, 3)
        elif low:
            level = required - 1
        else:
            level = (
                required if required == 3 else self._rng.choice((required, required, required + 1))
            )
        level = max(level, floor)
        return level if cap is None else min(level, cap)

    def _complete(
        self,
        plan: Plan,
        member: StaffMember,
        code: str,
        days: int,
        gaps: tuple[tuple[Gap, str], ...],
        caps: dict[str, int],
    ) -> None:
        """Plan the episode completing ``code`` ``days`` before ``as_of`` (bar ``gaps``)."""
        programme = self._programmes[code]
        covered = self.covered(code)
        floors = self.floors(code)
        skipped = {c for gap, c in gaps if gap is Gap.UNASSESSED}
        lows = {c for gap, c in gaps if gap is Gap.LOW}
        module_gaps = {c: gap for gap, c in gaps}
        items = [(True, m) for m in programme.modules]
        items += [(False, c) for c in programme.requires if c not in covered and c not in skipped]
        self._rng.shuffle(items)

        def level(c: str) -> int:
            """The level planned for competency ``c`` in this episode."""
            return self._level(programme, c, c in lows, floors.get(c, 0), caps.get(c))

        for position, (is_module, key) in enumerate(items):
            day = days + (self._rng.randint(0, EPISODE_SPAN) if position else 0)
            if not is_module:
                plan.outside.append(self._outside(member, code, key, level(key), day))
                continue
            module = self._modules[key]
            gap = module_gaps.get(key)
            assessed = [c for c in module.covers if c not in skipped]
            if gap in (Gap.ABSENT, Gap.STALE):
                plan.outside += [
                    self._outside(member, code, c, level(c), day)
                    for c in assessed
                    if c in programme.requires
                ]
            if gap is Gap.ABSENT:
                plan.demands.append(self._demand(member, code, key, day, Decimal(0), ()))
                continue
            if gap is Gap.STALE:
                day += months_to_days(module.refresh_months or 0) + self._rng.randint(*STALE_MARGIN)
            hours = self._partial(module.hours) if gap is Gap.PARTIAL else self._full(module.hours)
            levels = tuple((c, level(c)) for c in assessed)
            plan.demands.append(self._demand(member, code, key, day, hours, levels))

    def _begin(self, plan: Plan, member: StaffMember, code: str, days: int) -> None:
        """Plan a beginner's first one or two modules of ``code`` and a positioning interview.

        Everything is assessed at beginner levels, below the target's minimum (never below
        a prerequisite's), so at least three requirements stay unmet.
        """
        programme = self._programmes[code]
        floors = self.floors(code)

        def level(competency: str) -> int:
            """A beginner's level on ``competency``."""
            drawn = self._rng.choice(BEGINNER_LEVELS)
            if competency in programme.requires:
                drawn = min(drawn, programme.requires[competency] - 1)
            return max(floors.get(competency, 0), drawn)

        count = min(len(programme.modules), self._rng.choice((1, 1, 2)))
        for position, key in enumerate(self._rng.sample(programme.modules, count)):
            day = days + (self._rng.randint(0, 60) if position else 0)
            module = self._modules[key]
            hours = self._partial(module.hours) if self._rng.random() < 0.2 else module.hours
            levels = tuple((c, level(c)) for c in module.covers)
            plan.demands.append(self._demand(member, code, key, day, hours, levels))
        uncovered = [c for c in programme.requires if c not in self.covered(code)]
        interview = self._rng.sample(uncovered, min(len(uncovered), self._rng.choice((1, 2))))
        for competency in interview:
            day = days + self._rng.randint(0, 60)
            plan.outside.append(self._outside(member, code, competency, level(competency), day))

    def _demand(
        self,
        member: StaffMember,
        code: str,
        module: str,
        days: int,
        hours: Decimal,
        levels: tuple[tuple[str, int], ...],
    ) -> ModuleDemand:
        """A session place around ``days`` before ``as_of``."""
        day = self._today - days
        hi = min(day + TOLERANCE, self._today - RECENT_DAYS)
        return ModuleDemand(member, code, module, min(day - TOLERANCE, hi), hi, hours, levels)

    def _outside(
        self, member: StaffMember, code: str, competency: str, level: int, days: int
    ) -> OutsideAssessment:
        """An assessment outside sessions, on the weekday nearest ``days`` before ``as_of``."""
        day = weekday_on_or_before(self._today - days)
        return OutsideAssessment(member, code, competency, level, day)

    def _full(self, hours: Decimal) -> Decimal:
        """Hours of a complete attendance: mostly all, sometimes a little less (>= 80 %)."""
        halves = int(hours * 2)
        least = (4 * halves + 4) // 5
        if self._rng.random() >= SHORT_SHARE or least > halves - 1:
            return hours
        return Decimal(self._rng.randint(least, halves - 1)) / 2

    def _partial(self, hours: Decimal) -> Decimal:
        """Hours of a partial attendance: 40 % to just under 80 % (not completed)."""
        halves = int(hours * 2)
        least = (4 * halves + 4) // 5
        return Decimal(self._rng.randint(max(1, (2 * halves + 4) // 5), least - 1)) / 2

    def assign_tenure(self, member: StaffMember, plan: Plan) -> None:
        """Set when ``member`` joined (and, for some expired profiles, left)."""
        first, last = plan.first_day(), plan.last_day()
        if member.position in LONG_SERVING or (member.core and member.position is Position.TRAINER):
            start = self._today - self._rng.randint(*LONG_SERVICE_DAYS)
            member.active_from = start if first is None else min(start, first - 30)
        elif first is None:
            member.active_from = self._today - self._rng.randint(30, 2500)
        elif plan.profile is Profile.BEGINNER:
            member.active_from = first - self._rng.randint(10, 120)
        else:
            member.active_from = first - self._rng.randint(20, 700)
        if last is None or plan.profile is not Profile.EXPIRED or member.core:
            return
        if self._rng.random() < 0.5:
            member.active_until = min(self._today - 30, last + self._rng.randint(60, 500))


def spread_profiles(count: int, rng: random.Random) -> list[Profile]:
    """``count`` profiles in proportion to their weights, each at least once when possible."""
    weights = list(PROFILE_WEIGHTS.values())
    each = 1 if count >= len(weights) else 0
    counts = largest_remainder(count - each * len(weights), weights)
    profiles = [p for p, n in zip(PROFILE_WEIGHTS, counts, strict=True) for _ in range(n + each)]
    rng.shuffle(profiles)
    return profiles


def assign_aims(
    catalog: Catalog, staff: list[StaffMember], rng: random.Random
) -> dict[int, tuple[str | None, Profile | None]]:
    """Person id -> (target programme, profile); each programme's staff spread over profiles."""
    targets: dict[int, str | None] = {}
    for member in staff:
        aims = catalog.aims[member.position.value]
        targets[member.id] = (
            rng.choices(list(aims), weights=list(aims.values()))[0] if aims else None
        )
    chosen: dict[int, tuple[str | None, Profile | None]] = dict.fromkeys(targets, (None, None))
    for programme in catalog.programmes:
        people = [person for person, target in targets.items() if target == programme.code]
        for person, profile in zip(people, spread_profiles(len(people), rng), strict=True):
            chosen[person] = (programme.code, profile)
    return chosen
