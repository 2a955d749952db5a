from branches.models.committees import CommitteePosition, CommitteeTerm, Position, TermReminder
from branches.models.organizations import (
    CoveredUnit,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
    OrganizationStatus,
    Sector,
)
from branches.models.places import (
    Building,
    Community,
    CommunityKind,
    Compound,
    District,
    Grid,
    SubDistrict,
)
from branches.models.settings import StructureSettings
from branches.models.units import CoBuildingUnit, UnitType

__all__ = [
    "Building",
    "CoBuildingUnit",
    "CommitteePosition",
    "CommitteeTerm",
    "Community",
    "CommunityKind",
    "Compound",
    "CoveredUnit",
    "District",
    "EventKind",
    "Grid",
    "Organization",
    "OrganizationEvent",
    "OrganizationKind",
    "OrganizationPeriod",
    "OrganizationStatus",
    "Position",
    "Sector",
    "StructureSettings",
    "SubDistrict",
    "TermReminder",
    "UnitType",
]
