"""Training sessions formed from planned places, with trainers, fillers and assessments.

Each main site (with its attached centres) groups the places its staff planned for a
module into sessions of at most 14: a session starts on the latest weekday its first
participant can take and takes every other place whose window contains that day. A
session still short of 6 takes places planned in the same region, then country, then
anywhere (small sites train together), and last *fillers*: colleagues who attend without
changing any profile (see ``Plan.blocked_modules``), assessed (levels 0-1) only on
competencies none of their programmes requires. One or two trainers run each session,
never one of its participants, and assess the participants on the module's competencies
on its last day. Coordinators and trainers make the assessments planned outside
sessions. A few assessments are recorded wrong, then corrected by a superseding one.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from certify.demo.bulk import BulkWriter
from certify.demo.catalog import Catalog, ModuleSpec
from certify.demo.plans import TOLERANCE, ModuleDemand, Plan
from certify.demo.reference import ReferenceIds, site_country
from certify.demo.staff import Position, StaffMember
from certify.model import (
    Assessment,
    AssessmentMethod,
    Attendance,
    Role,
    SessionTrainer,
    TrainingSession,
)

#: Fewest participants in a session.
SESSION_MIN = 6
#: Most participants in a session.
SESSION_MAX = 14
#: Random draws tried per person wanted from a pool before moving to a wider pool.
DRAWS_PER_PERSON = 12
#: Days around a filler's own planned session of the same module they stay away from it.
FILLER_DISTANCE = 90
#: Levels given to fillers (drawn uniformly).
FILLER_LEVELS = (0, 1, 1)
#: How fillers attend: (share, fraction of the hours).
FILLER_ATTENDANCE = ((0.85, Decimal(1)), (0.10, Decimal("0.5")), (0.05, Decimal(0)))
#: Share of sessions held at an attached centre rather than the main site.
ATTACHED_VENUE_SHARE = 0.15
#: Share of two-trainer sessions.
TWO_TRAINERS_SHARE = 0.4
#: Share of planned assessments first recorded wrong, then corrected.
CORRECTION_SHARE = 0.012
#: Days after ``as_of`` upcoming sessions start.
UPCOMING_DAYS = (7, 90)
#: Staff per upcoming session announced at a site.
STAFF_PER_UPCOMING = 60
#: Assessment methods used in sessions (method -> weight).
SESSION_METHODS = {
    AssessmentMethod.OBSERVATION: 35,
    AssessmentMethod.MISE_EN_SITUATION: 30,
    AssessmentMethod.QUIZ: 20,
    AssessmentMethod.ENTRETIEN: 15,
}
#: Assessment methods used outside sessions (method -> weight).
OUTSIDE_METHODS = {
    AssessmentMethod.ENTRETIEN: 40,
    AssessmentMethod.OBSERVATION: 30,
    AssessmentMethod.PORTFOLIO: 20,
    AssessmentMethod.MISE_EN_SITUATION: 10,
}
#: The area key of the whole network.
NETWORK = "*"
#: Hours of training in one session day.
HOURS_PER_DAY = 7


def session_days(hours: Decimal) -> int:
    """Days a module's session lasts (7 hours a day)."""
    return max(1, -int(-hours // HOURS_PER_DAY))


def latest_start(day: int, days: int) -> int:
    """The latest ordinal on or before ``day`` from which ``days`` weekdays fit in one week."""
    while date.fromordinal(day).weekday() > 5 - days:
        day -= 1
    return day


class PlaceIndex:
    """One module's planned places, searchable by site, region, country or network.

    Each list is sorted by the end of the places' windows, so the places that can take a
    session starting on a given day lie in one short stretch found by bisection.
    """

    def __init__(self, places: Sequence[ModuleDemand], areas: dict[str, tuple[str, ...]]) -> None:
        """Index ``places``; ``areas`` maps a site code to its cluster, region and country."""
        self._lists: dict[str, list[ModuleDemand]] = defaultdict(list)
        for place in sorted(places, key=lambda p: (p.hi, p.lo, p.person.id)):
            for area in (*areas[place.person.site.code], NETWORK):
                self._lists[area].append(place)
        self._ends = {area: [p.hi for p in places] for area, places in self._lists.items()}

    def places(self, area: str) -> list[ModuleDemand]:
        """The places of an area, by end of window."""
        return self._lists[area]

    def gather(self, area: str, start: int, group: list[ModuleDemand], size: int) -> None:
        """Add to ``group`` free places of ``area`` that can start on ``start``, up to ``size``."""
        people = {place.person.id for place in group}
        places = self._lists[area]
        for index in range(bisect_left(self._ends[area], start), len(places)):
            place = places[index]
            if len(group) >= size or place.hi - 2 * TOLERANCE > start:
                return
            if not place.booked and place.lo <= start and place.person.id not in people:
                place.booked = True
                group.append(place)
                people.add(place.person.id)


class SessionBuilder:
    """Writes the sessions, attendance and assessments of the whole network."""

    def __init__(
        self,
        catalog: Catalog,
        ids: ReferenceIds,
        staff: list[StaffMember],
        plans: dict[int, Plan],
        as_of: date,
        rng: random.Random,
        writer: BulkWriter,
        first_ids: tuple[int, int],
    ) -> None:
        """Prepare the pools of staff; sessions and assessments get ids from ``first_ids``."""
        self._catalog = catalog
        self._ids = ids
        self._staff = staff
        self._plans = plans
        self._today = as_of.toordinal()
        self._rng = rng
        self._writer = writer
        self._next_session, self._next_assessment = first_ids
        self._cutoff = datetime.combine(as_of, time(8), UTC)
        #: (person id, programme code) -> ordinal of the last day worked on it.
        self.completions: dict[tuple[int, str], int] = {}
        self._by_cluster: dict[str, list[StaffMember]] = defaultdict(list)
        self._by_region: dict[str, list[StaffMember]] = defaultdict(list)
        self._trainers: dict[str, list[StaffMember]] = defaultdict(list)
        self._assessors: dict[str, list[StaffMember]] = defaultdict(list)
        for member in staff:
            self._by_cluster[member.cluster].append(member)
            self._by_region[member.site.region].append(member)
            if Role.TRAINER in member.roles:
                self._trainers[member.cluster].append(member)
            if Role.TRAINER in member.roles or Role.COORDINATOR in member.roles:
                self._assessors[member.cluster].append(member)
        network = (
            Position.NETWORK_TRAINER,
            Position.NETWORK_COORDINATOR,
            Position.REGIONAL_COORDINATOR,
        )
        self._network_assessors = [m for m in staff if m.position in network]
        self._network_trainers = [m for m in staff if m.position is Position.NETWORK_TRAINER]
        self._all_trainers = [m for m in staff if Role.TRAINER in m.roles]
        #: Site code -> (cluster, region, country).
        self._areas = {
            site.code: (site.parent or site.code, site.region, site_country(site, catalog))
            for site in catalog.sites
        }
        self._venues: dict[str, list[int]] = defaultdict(list)
        for site in catalog.sites:
            self._venues[site.parent or site.code].append(ids.sites[site.code])

    def build(self) -> None:
        """Every main site's past sessions, assessments outside sessions and next sessions."""
        places: dict[str, list[ModuleDemand]] = defaultdict(list)
        for plan in self._plans.values():
            for place in plan.demands:
                places[place.module].append(place)
        indexes = {m.code: PlaceIndex(places[m.code], self._areas) for m in self._catalog.modules}
        for site in self._catalog.sites:
            if site.is_main:
                for module in self._catalog.modules:
                    self._module_sessions(site.code, module, indexes[module.code])
        for site in self._catalog.sites:
            if site.is_main:
                self._outside(site.code)
                self._upcoming(site.code, len(self._by_cluster[site.code]))

    def _module_sessions(self, cluster: str, module: ModuleSpec, index: PlaceIndex) -> None:
        """Sessions of one module at one main site, for the places its staff still need.

        A session takes the site's places first; one still short of 6 takes places planned
        in the same region, then country, then network, then fillers.
        """
        days = session_days(module.hours)
        for place in index.places(cluster):
            if place.booked:
                continue
            place.booked = True
            start = latest_start(place.hi, days)
            group = [place]
            index.gather(cluster, start, group, SESSION_MAX)
            if len(group) < SESSION_MIN:
                size = self._rng.randint(SESSION_MIN, SESSION_MIN + 3)
                for area in (*self._areas[cluster][1:], NETWORK):
                    index.gather(area, start, group, size)
            self._session(cluster, module, start, start + days - 1, group)

    def _outside(self, cluster: str) -> None:
        """The assessments planned outside sessions for a main site's staff."""
        for member in self._by_cluster[cluster]:
            for planned in self._plans[member.id].outside:
                assessor = self._assessor(cluster, member, planned.day)
                method = self._method(OUTSIDE_METHODS)
                self._assess(
                    member.id,
                    planned.competency,
                    planned.level,
                    planned.day,
                    assessor,
                    method,
                    None,
                    correctable=True,
                )
                self._completed(member.id, planned.programme, planned.day)

    def _pick(
        self,
        pools: Sequence[Sequence[StaffMember]],
        count: int,
        fits: Callable[[StaffMember], bool],
    ) -> list[StaffMember]:
        """Up to ``count`` distinct people who fit, drawn from each pool in turn.

        Random draws first; if they fall short, the last (widest) pool is searched in full.
        """
        picked: list[StaffMember] = []
        for pool in pools:
            for _ in range(count * DRAWS_PER_PERSON):
                if len(picked) == count or not pool:
                    break
                candidate = self._rng.choice(pool)
                if candidate not in picked and fits(candidate):
                    picked.append(candidate)
        if len(picked) < count:
            rest = [m for m in pools[-1] if m not in picked and fits(m)]
            picked += self._rng.sample(rest, min(count - len(picked), len(rest)))
        return picked

    def _session_trainers(
        self, cluster: str, start: int, end: int, taken: set[int]
    ) -> list[StaffMember]:
        """One or two active trainers who are not participants (local ones first)."""
        count = 2 if self._rng.random() < TWO_TRAINERS_SHARE else 1

        def fits(m: StaffMember) -> bool:
            """Active throughout the session and not one of its participants."""
            return m.id not in taken and m.active_between(start, end)

        pools = (self._trainers[cluster], self._network_trainers, self._all_trainers)
        return self._pick(pools, count, fits)

    def _fillers(
        self, cluster: str, module: str, start: int, end: int, taken: set[int], participants: int
    ) -> list[StaffMember]:
        """Colleagues who top a small session up without changing any profile."""
        wanted = self._rng.randint(SESSION_MIN, SESSION_MIN + 3) - participants

        def fits(m: StaffMember) -> bool:
            """Free, active, and attending would change none of their profiles."""
            plan = self._plans[m.id]
            return (
                m.id not in taken
                and m.active_between(start, end)
                and end < plan.blocked_modules.get(module, end + 1)
                and not plan.plans_module_near(module, start, FILLER_DISTANCE)
            )

        region = self._areas[cluster][1]
        pools = (self._by_cluster[cluster], self._by_region[region], self._staff)
        return self._pick(pools, max(0, wanted), fits)

    def _session(
        self, cluster: str, module: ModuleSpec, start: int, end: int, group: list[ModuleDemand]
    ) -> None:
        """Write one past session: its trainers, attendance and assessments."""
        taken = {place.person.id for place in group}
        trainers = self._session_trainers(cluster, start, end, taken)
        taken |= {t.id for t in trainers}
        fillers = self._fillers(cluster, module.code, start, end, taken, len(group))
        session_id = self._new_session(cluster, module, start, end, trainers)
        for place in group:
            self._writer.add(
                Attendance,
                {
                    "session_id": session_id,
                    "person_id": place.person.id,
                    "hours_present": place.hours,
                },
            )
            for competency, level in place.levels:
                self._assess(
                    place.person.id,
                    competency,
                    level,
                    end,
                    self._rng.choice(trainers),
                    self._method(SESSION_METHODS),
                    session_id,
                    correctable=True,
                )
            self._completed(place.person.id, place.programme, end)
        for filler in fillers:
            share = self._rng.choices(
                [s for _, s in FILLER_ATTENDANCE], weights=[w for w, _ in FILLER_ATTENDANCE]
            )[0]
            hours = Decimal(int(module.hours * share * 2)) / 2
            self._writer.add(
                Attendance,
                {"session_id": session_id, "person_id": filler.id, "hours_present": hours},
            )
            if not hours:
                continue
            sensitive = self._plans[filler.id].sensitive
            for competency in module.covers:
                if competency not in sensitive:
                    self._assess(
                        filler.id,
                        competency,
                        self._rng.choice(FILLER_LEVELS),
                        end,
                        self._rng.choice(trainers),
                        self._method(SESSION_METHODS),
                        session_id,
                        correctable=False,
                    )

    def _new_session(
        self,
        cluster: str,
        module: ModuleSpec,
        start: int,
        end: int,
        trainers: list[StaffMember],
    ) -> int:
        """Write a session row and its trainers; return its id."""
        session_id = self._next_session
        self._next_session += 1
        venues = self._venues[cluster]
        venue = venues[0]
        if len(venues) > 1 and self._rng.random() < ATTACHED_VENUE_SHARE:
            venue = self._rng.choice(venues[1:])
        self._writer.add(
            TrainingSession,
            {
                "id": session_id,
                "module_id": self._ids.modules[module.code],
                "site_id": venue,
                "starts_on": date.fromordinal(start),
                "ends_on": date.fromordinal(end),
            },
        )
        for trainer in trainers:
            self._writer.add(SessionTrainer, {"session_id": session_id, "person_id": trainer.id})
        return session_id

    def _upcoming(self, cluster: str, staff: int) -> None:
        """Announce a few sessions after ``as_of``, with trainers and no attendance yet."""
        count = min(len(self._catalog.modules), 1 + staff // STAFF_PER_UPCOMING)
        for module in self._rng.sample(self._catalog.modules, count):
            days = session_days(module.hours)
            start = self._today + self._rng.randint(*UPCOMING_DAYS)
            start = latest_start(start, days)
            trainers = self._session_trainers(cluster, start, start + days - 1, set())
            self._new_session(cluster, module, start, start + days - 1, trainers)

    def _assessor(self, cluster: str, member: StaffMember, day: int) -> StaffMember:
        """A coordinator or trainer active on ``day`` who is not ``member``."""

        def fits(m: StaffMember) -> bool:
            """Someone else, active on the day."""
            return m.id != member.id and m.active_between(day, day)

        pools = (self._assessors[cluster], self._network_assessors)
        return self._pick(pools, 1, fits)[0]

    def _method(self, methods: dict[AssessmentMethod, int]) -> AssessmentMethod:
        """An assessment method drawn by weight."""
        return self._rng.choices(list(methods), weights=list(methods.values()))[0]

    def _assess(
        self,
        person_id: int,
        competency: str,
        level: int,
        day: int,
        assessor: StaffMember,
        method: AssessmentMethod,
        session_id: int | None,
        *,
        correctable: bool,
    ) -> None:
        """Write an assessment; a few planned ones are first recorded wrong, then corrected."""
        assessed_on = date.fromordinal(day)
        recorded = datetime.combine(assessed_on, time(16), UTC)
        recorded += timedelta(minutes=self._rng.randint(0, 150))
        row = {
            "person_id": person_id,
            "competency_id": self._ids.competencies[competency],
            "framework_id": self._ids.framework,
            "level": level,
            "assessed_on": assessed_on,
            "assessor_id": assessor.id,
            "method": method,
            "evidence": self._rng.choice(self._catalog.evidence[method]),
            "session_id": session_id,
            "supersedes_id": None,
            "correction_reason": None,
            "recorded_at": recorded,
        }
        if correctable and self._rng.random() < CORRECTION_SHARE:
            wrong = level - 1 if level == 3 or (level and self._rng.random() < 0.5) else level + 1
            self._writer.add(Assessment, {**row, "id": self._next_assessment, "level": wrong})
            corrected = recorded + timedelta(days=self._rng.randint(1, 20))
            row |= {
                "supersedes_id": self._next_assessment,
                "correction_reason": self._rng.choice(self._catalog.corrections),
                "recorded_at": min(corrected, self._cutoff),
            }
            self._next_assessment += 1
        self._writer.add(Assessment, {**row, "id": self._next_assessment})
        self._next_assessment += 1

    def _completed(self, person_id: int, programme: str, day: int) -> None:
        """Remember the last day ``person_id`` worked on ``programme``."""
        key = (person_id, programme)
        self.completions[key] = max(self.completions.get(key, day), day)
