"""The Party registers over HTTP: ``/api/v1/party/organizations/``, ``members/``, ``transfers/``.

Reads go through the selectors (a secretary sees the subtree of their community's organizations,
the street and district above see theirs; anything else is 404); writes go through the services,
which answer 403 to a user who may see but not change, and 400 with per-field messages in the
user's language to bad input.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from jiayuan.core.api import AuditedAPIMixin
from jiayuan.territory.models import Place

from .. import selectors, services
from ..models import OrganizationOfficer
from .serializers import (
    ElectionWriteSerializer,
    MemberFilterSerializer,
    MemberLeaveSerializer,
    MemberSerializer,
    MemberWriteSerializer,
    OrganizationDetailSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    ReasonSerializer,
    TransferFilterSerializer,
    TransferReceiveSerializer,
    TransferSerializer,
    TransferWriteSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a list of messages per field."),
    403: OpenApiResponse(description="The row is visible but the user may not do this."),
    404: OpenApiResponse(description="No such row in the user's scope."),
}


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _org(user, code: str | None, field: str):
    """An organization of the user's area by code, or a 400 naming the field."""
    if not code:
        return None
    try:
        return selectors.organization_get(user=user, code=code)
    except Http404:
        raise DRFValidationError({field: [_("No such organization in your area.")]}) from None


@extend_schema_view(
    list=extend_schema(summary="Party organizations in the user's area"),
    retrieve=extend_schema(summary="One organization with its officers and last election",
                           responses={200: OrganizationDetailSerializer, 404: _ERRORS[404]}),
)
class OrganizationViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The tree of Party organizations (committee, general branch, branch, group and the special
    forms), each with its member count."""

    serializer_class = OrganizationSerializer
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = r"P\d{14}"

    def get_queryset(self):
        return selectors.organization_list(user=self.request.user, include_dissolved=self.action != "list")

    def get_object(self):
        return self._detail(selectors.organization_get(user=self.request.user, code=self.kwargs["code"]))

    def _detail(self, org):
        """The organization with its officers prefetched (three queries)."""
        return (
            selectors.organization_list(user=self.request.user, include_dissolved=True)
            .prefetch_related(
                Prefetch("officers", queryset=OrganizationOfficer.objects.select_related("member").order_by("post", "started_on"))
            )
            .get(pk=org.pk)
        )

    def get_serializer_class(self):
        return OrganizationDetailSerializer if self.action == "retrieve" else OrganizationSerializer

    @extend_schema(summary="Set up an organization", request=OrganizationWriteSerializer,
                   responses={201: OrganizationDetailSerializer, **_ERRORS})
    def create(self, request, *args, **kwargs):
        data = _valid(OrganizationWriteSerializer, request.data)
        place = Place.objects.filter(code=data.pop("place")).first()
        if place is None or not selectors.get_scope(request.user).covers(place.code):
            raise DRFValidationError({"place": [_("No such place in your area.")]})
        parent = _org(request.user, data.pop("parent", None), "parent")
        org = services.organization_create(actor=request.user, place=place, parent=parent, **data)
        return Response(OrganizationDetailSerializer(self._detail(org)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Record a term election", request=ElectionWriteSerializer,
                   responses={201: OrganizationDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def elections(self, request, code=None):
        org = selectors.organization_get(user=request.user, code=code)
        data = _valid(ElectionWriteSerializer, request.data)
        services.election_record(actor=request.user, organization=org, **data)
        return Response(OrganizationDetailSerializer(self._detail(org)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Members in the user's area", parameters=[MemberFilterSerializer]),
    retrieve=extend_schema(summary="One member", responses={200: MemberSerializer, 404: _ERRORS[404]}),
)
class MemberViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Party members and the one organization holding each one's relationship; phones masked."""

    serializer_class = MemberSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action != "list":
            return selectors.member_list(user=self.request.user, include_left=True)
        f = _valid(MemberFilterSerializer, self.request.query_params)
        org = _org(self.request.user, f.get("organization"), "organization")
        qs = selectors.member_list(user=self.request.user, organization=org, include_left=f["include_left"])
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        if f.get("q"):
            qs = qs.filter(full_name__contains=f["q"])
        if f.get("category"):
            # categories is a JSON list: filter the page's candidates by id (one more query)
            ids = [pk for pk, cats in qs.values_list("id", "categories") if f["category"] in (cats or [])]
            qs = qs.filter(pk__in=ids)
        return qs

    def get_object(self):
        return selectors.member_get(user=self.request.user, pk=self.kwargs["pk"])

    def _member_data(self, data: dict) -> dict:
        user = self.request.user
        if "group" in data:
            data["group"] = _org(user, data["group"], "group")
        return data

    @extend_schema(summary="Register a member", request=MemberWriteSerializer, responses={201: MemberSerializer, **_ERRORS})
    def create(self, request, *args, **kwargs):
        data = _valid(MemberWriteSerializer, request.data)
        errors = {f: [_("This field is required.")] for f in ("organization", "full_name") if not data.get(f)}
        if errors:
            raise DRFValidationError(errors)
        org = _org(request.user, data.pop("organization"), "organization")
        member = services.member_create(actor=request.user, organization=org, **self._member_data(data))
        return Response(MemberSerializer(selectors.member_get(user=request.user, pk=member.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a member's record", request=MemberWriteSerializer,
                   responses={200: MemberSerializer, **_ERRORS})
    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        data = _valid(MemberWriteSerializer, request.data, partial=True)
        if "organization" in data:
            raise DRFValidationError({"organization": [_("A member changes organization by transfer.")]})
        services.member_update(actor=request.user, member=member, **self._member_data(data))
        return Response(MemberSerializer(selectors.member_get(user=request.user, pk=member.pk)).data)

    @extend_schema(summary="Close a member's record (died, expelled, withdrew)", request=MemberLeaveSerializer,
                   responses={200: MemberSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        member = self.get_object()
        data = _valid(MemberLeaveSerializer, request.data)
        services.member_leave(actor=request.user, member=member, **data)
        return Response(MemberSerializer(selectors.member_get(user=request.user, pk=member.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Transfers of organizational relationships either side of which the user may see",
                       parameters=[TransferFilterSerializer]),
    retrieve=extend_schema(summary="One transfer", responses={200: TransferSerializer, 404: _ERRORS[404]}),
)
class TransferViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """组织关系接转: pending until the receiving side confirms; ``lost`` when pending too long."""

    serializer_class = TransferSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action != "list":
            return selectors.transfer_list(user=self.request.user)
        f = _valid(TransferFilterSerializer, self.request.query_params)
        if f["lost"]:
            return selectors.lost_transfer_list(user=self.request.user, today=timezone.localdate())
        return selectors.transfer_list(user=self.request.user, status=f.get("status"))

    def get_object(self):
        return selectors.transfer_get(user=self.request.user, pk=self.kwargs["pk"])

    def _render(self, transfer, code=status.HTTP_200_OK):
        return Response(TransferSerializer(selectors.transfer_get(user=self.request.user, pk=transfer.pk)).data, status=code)

    @extend_schema(summary="Request a transfer (to an organization here or outside)", request=TransferWriteSerializer,
                   responses={201: TransferSerializer, **_ERRORS})
    def create(self, request, *args, **kwargs):
        data = _valid(TransferWriteSerializer, request.data)
        try:
            member = selectors.member_get(user=request.user, pk=data.pop("member"))
        except Http404:
            raise DRFValidationError({"member": [_("No such member in your area.")]}) from None
        transfer = services.transfer_request(actor=request.user, member=member, **data)
        return self._render(transfer, status.HTTP_201_CREATED)

    @extend_schema(summary="Confirm receipt (the member's organization changes now)", request=TransferReceiveSerializer,
                   responses={200: TransferSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        transfer = self.get_object()
        services.transfer_receive(actor=request.user, transfer=transfer, **_valid(TransferReceiveSerializer, request.data))
        return self._render(transfer)

    @extend_schema(summary="Refuse the transfer (receiving side)", request=ReasonSerializer,
                   responses={200: TransferSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        transfer = self.get_object()
        services.transfer_reject(actor=request.user, transfer=transfer, **_valid(ReasonSerializer, request.data))
        return self._render(transfer)

    @extend_schema(summary="Withdraw the transfer (releasing side)", request=ReasonSerializer,
                   responses={200: TransferSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        transfer = self.get_object()
        services.transfer_cancel(actor=request.user, transfer=transfer, **_valid(ReasonSerializer, request.data))
        return self._render(transfer)
