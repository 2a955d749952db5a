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
    "Sector",
    "StructureSettings",
    "SubDistrict",
    "UnitType",
]
