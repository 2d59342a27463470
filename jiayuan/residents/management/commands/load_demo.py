"""``jiayuan load_demo``: the demo community and its users (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import RoleAssignment, User
from jiayuan.residents import demo
from jiayuan.residents.choices import RELATION_HEAD
from jiayuan.residents.models import Resident


class Command(BaseCommand):
    help = "Create the demo community (平庄花园, 礼仪社区) and the demo users. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed, quiet, **options):
        places = demo.build_places()
        count = demo.build_people(places, seed=seed)
        with transaction.atomic():
            logins = self._users(places)
        from jiayuan.community.demo import build_community_registers
        from jiayuan.party.demo import build_party_registers

        party = build_party_registers()

        registers = build_community_registers()
        from jiayuan.meetings.demo import build_meetings

        meetings = build_meetings()
        from jiayuan.cases.demo import build_cases

        cases = build_cases()
        from jiayuan.disclosure.demo import build_disclosures
        from jiayuan.disputes.demo import build_disputes
        from jiayuan.emergencies.demo import build_emergencies

        disputes = build_disputes()
        emergencies = build_emergencies()
        disclosures = build_disclosures()
        from jiayuan.decisions.demo import build_decisions

        decisions = build_decisions()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo community ready: {count} residents in {len(places['grids'])} grids."))
        self.stdout.write(
            f"Community registers: {registers['centres']} service centre, {registers['allocations']} fund rows, "
            f"{registers['seats']} two-committees seats."
        )
        self.stdout.write(f"Party registers: {party['organizations']} organizations, {party['members']} members.")
        self.stdout.write(
            f"Meetings: {meetings['meetings']} ({meetings['held']} held, {meetings['attendance']} attendance rows), "
            f"{meetings['visit_tasks']} open must-visit tasks."
        )
        self.stdout.write(f"Cases: {cases['cases']} ({cases['closed']} closed, {cases['open']} open, "
                          f"{cases['overdue_now']} overdue), {cases['events']} events.")
        self.stdout.write(f"Disputes: {disputes['disputes']} in {disputes['rounds']} screening rounds, {disputes['open']} open, "
                          f"{disputes['street']} at street level.")
        self.stdout.write(f"Emergencies: {emergencies['plans']} plans, {emergencies['shifts']} on-call shifts ahead, "
                          f"{emergencies['incidents']} incidents ({emergencies['unacknowledged']} report unacknowledged).")
        self.stdout.write(f"Decisions (4+2): {decisions['matters']} matter(s), {decisions['result_published']} with the result published.")
        self.stdout.write(f"Disclosures: {disclosures['items']} items ({disclosures['published']} published, "
                          f"{disclosures['quarterly']} quarterly, {disclosures['withdrawn']} withdrawn).")
        self.stdout.write(f"Demo logins (password: {settings.JIAYUAN_DEMO_PASSWORD}):")
        for username, label in logins:
            self.stdout.write(f"  {username:<12} {label}")

    def _users(self, places):
        password = settings.JIAYUAN_DEMO_PASSWORD
        plan = [
            ("admin", "系统管理员", Role.ADMIN, None),
            ("district", "区级工作人员", Role.DISTRICT_STAFF, places["district"]),
            ("street", "街道工作人员", Role.STREET_STAFF, places["street"]),
            ("secretary", "社区党组织书记", Role.COMMUNITY_SECRETARY, places["community"]),
            ("staff", "社区工作人员", Role.COMMUNITY_STAFF, places["community"]),
        ]
        plan += [(f"gridworker{i + 1}", f"{g.name}网格员", Role.GRID_WORKER, g) for i, g in enumerate(places["grids"])]
        plan.append(("resident1", "居民", Role.RESIDENT, None))
        logins = []
        for username, full_name, role, place in plan:
            user, _ = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
            user.set_password(password)
            user.is_staff = user.is_superuser = username == "admin"
            user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role, place=place)
            logins.append((username, f"{full_name} · {role.label}" + (f" · {place.name}" if place else "")))
            if role == Role.GRID_WORKER:
                place.children.filter(responsible_worker__isnull=True).update(responsible_worker=user)
        resident_user = User.objects.get(username="resident1")
        if not Resident.objects.filter(user=resident_user).exists():
            head = (
                Resident.objects.filter(territory_code__startswith=places["grids"][0].code, relation_to_head=RELATION_HEAD)
                .order_by("territory_code")
                .first()
            )
            if head:
                head.user = resident_user
                head.save(update_fields=["user"])
                resident_user.full_name = head.name
                resident_user.save(update_fields=["full_name"])
        return logins
