"""The portal's roles. Each is a Django group, created by a migration; the names are stable identifiers."""

from django.utils.translation import gettext_lazy as _

SOURCE_MAINTAINER = "source_maintainer"
AMBASSADOR = "ambassador"
STEERING_COMMITTEE = "steering_committee"
COMMUNICATION_GROUP = "communication_group"
TRUSTED_PARTNER = "trusted_partner"
STAFF = "staff"

ROLES = {
    SOURCE_MAINTAINER: _("Mainteneur·euse de source"),
    AMBASSADOR: _("Ambassadeur·rice"),
    STEERING_COMMITTEE: _("Membre du comité de pilotage"),
    COMMUNICATION_GROUP: _("Groupe communication"),
    TRUSTED_PARTNER: _("Partenaire de confiance"),
    STAFF: _("Équipe"),
}
