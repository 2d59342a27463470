"""Meetings as iCalendar (RFC 5545) files, so a secretary's or member's phone calendar shows
them. Built with the ``icalendar`` library; times are written in UTC."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from .choices import MeetingStatus, MeetingType

PRODID = "-//Jiayuan//meetings//ZH"


def _event(meeting, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@jiayuan")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", (meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2)).astimezone(dt.UTC))
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    if meeting.location:
        event.add("location", meeting.location)
    description = [str(MeetingType(meeting.meeting_type).label), meeting.organization.name]
    if meeting.agenda:
        description.append(meeting.agenda)
    event.add("description", "\n".join(description))
    event.add("url", base_url + meeting.get_absolute_url())
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def calendar_bytes(meetings, *, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for m in meetings:
        cal.add_component(_event(m, base_url))
    return cal.to_ical()
