package nl.aware.web.staff;

import nl.aware.core.staff.Permission;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static nl.aware.web.staff.Route.Audit.NOT_RECORDED;
import static nl.aware.web.staff.Route.Audit.RECORDED;

/**
 * The staff API's route table: every route, the permission it needs and whether an allowed call is
 * recorded, in one place. The role-permission matrix is {@link nl.aware.core.staff.StaffRole}; both
 * are in docs/staff-api.md.
 */
final class StaffRoutes {
    static final String PREFIX = "/staff/v1";

    private StaffRoutes() {
    }

    static RouteTable table(SessionRoutes session, AccountRoutes accounts, DeviceRoutes devices, CarrierRoutes carriers,
                            TrailRoutes trail, AlertRoutes alerts, AdministrationRoutes acts, HoldRoutes holds) {
        return RouteTable.builder()
                // authentication
                .add(Route.open(POST, PREFIX + "/login", SessionRoutes.LOGIN, session::login))
                .add(Route.open(POST, PREFIX + "/login/totp", SessionRoutes.LOGIN, session::totp))
                .add(Route.open(POST, PREFIX + "/login/recovery", SessionRoutes.LOGIN, session::recovery))
                .add(Route.open(POST, PREFIX + "/login/enrol", SessionRoutes.LOGIN, session::enrol))
                .add(Route.of(GET, PREFIX + "/me", "session.me", Permission.OWN_SESSION, NOT_RECORDED, session::me))
                .add(Route.of(POST, PREFIX + "/logout", "session.logout", Permission.OWN_SESSION, RECORDED,
                        session::logout))
                .add(Route.of(POST, PREFIX + "/password", "account.password", Permission.OWN_SESSION, NOT_RECORDED,
                        accounts::changeOwnPassword))
                // staff accounts (administrators; each change is itself an event)
                .add(Route.of(GET, PREFIX + "/accounts", "account.list", Permission.MANAGE_ACCOUNTS, NOT_RECORDED,
                        accounts::list))
                .add(Route.of(POST, PREFIX + "/accounts", "account.create", Permission.MANAGE_ACCOUNTS, NOT_RECORDED,
                        accounts::create))
                .add(Route.of(POST, PREFIX + "/accounts/{username}/disable", "account.disable",
                        Permission.MANAGE_ACCOUNTS, NOT_RECORDED, accounts::disable))
                .add(Route.of(POST, PREFIX + "/accounts/{username}/password", "account.password",
                        Permission.MANAGE_ACCOUNTS, NOT_RECORDED, accounts::resetPassword))
                .add(Route.of(POST, PREFIX + "/accounts/{username}/second-factor/reset", "account.second-factor-reset",
                        Permission.MANAGE_ACCOUNTS, NOT_RECORDED, accounts::resetSecondFactor))
                // devices (no personal data)
                .add(Route.of(GET, PREFIX + "/devices", "device.list", Permission.READ_DEVICES, NOT_RECORDED,
                        devices::list))
                .add(Route.of(GET, PREFIX + "/devices/{deviceId}", "device.read", Permission.READ_DEVICES,
                        NOT_RECORDED, devices::one))
                // carriers: the list is not personal, one record is
                .add(Route.of(GET, PREFIX + "/carriers", "carrier.list", Permission.LIST_CARRIERS, NOT_RECORDED,
                        carriers::list))
                .add(Route.of(GET, PREFIX + "/carriers/{carrierId}", "carrier.read", Permission.READ_CARRIER_RECORD,
                        RECORDED, carriers::one))
                // the access trail (auditors; reading it is itself recorded)
                .add(Route.of(GET, PREFIX + "/audit/access", "trail.read", Permission.READ_ACCESS_TRAIL, RECORDED,
                        trail::list))
                // alerts: the list, timelines and reports hold locations and carriers; bundles leave the server
                .add(Route.of(GET, PREFIX + "/changes", "alert.changes", Permission.READ_ALERTS, NOT_RECORDED,
                        alerts::changes))
                .add(Route.of(GET, PREFIX + "/alerts", "alert.list", Permission.READ_ALERTS, RECORDED, alerts::list))
                .add(Route.of(GET, PREFIX + "/alerts/{alertId}", "alert.read", Permission.READ_ALERTS, RECORDED,
                        alerts::timeline))
                .add(Route.of(GET, PREFIX + "/alerts/{alertId}/report", "report.read", Permission.READ_ALERTS, RECORDED,
                        alerts::report))
                .add(Route.of(GET, PREFIX + "/alerts/{alertId}/recordings/{deviceId}/{stream}", "recording.play",
                        Permission.READ_ALERTS, RECORDED, alerts::recording))
                .add(Route.of(POST, PREFIX + "/alerts/{alertId}/evidence", "evidence.export",
                        Permission.EXPORT_EVIDENCE, RECORDED, alerts::evidence))
                // live administration (docs/staff-api.md): each call recorded before it acts, each act events in the log
                .add(Route.of(POST, PREFIX + "/carriers", "carrier.register", Permission.MANAGE_CARRIERS, RECORDED,
                        acts::register))
                .add(Route.of(PUT, PREFIX + "/carriers/{carrierId}/profile", "carrier.profile",
                        Permission.MANAGE_CARRIERS, RECORDED, acts::updateProfile))
                .add(Route.of(PUT, PREFIX + "/carriers/{carrierId}/recording-consent", "carrier.consent",
                        Permission.MANAGE_CARRIERS, RECORDED, acts::recordingConsent))
                .add(Route.of(POST, PREFIX + "/carriers/{carrierId}/end", "carrier.end", Permission.MANAGE_CARRIERS,
                        RECORDED, acts::end))
                .add(Route.of(POST, PREFIX + "/carriers/{carrierId}/devices", "device.handout",
                        Permission.HAND_OUT_DEVICES, RECORDED, acts::handOut))
                .add(Route.of(POST, PREFIX + "/devices/{deviceId}/replace", "device.replace",
                        Permission.HAND_OUT_DEVICES, RECORDED, acts::replace))
                .add(Route.of(POST, PREFIX + "/devices/{deviceId}/revoke", "device.revoke", Permission.REVOKE_DEVICES,
                        RECORDED, acts::revoke))
                .add(Route.of(POST, PREFIX + "/alerts/{alertId}/hold", "alert.hold", Permission.LEGAL_HOLD, RECORDED,
                        holds::hold))
                .add(Route.of(POST, PREFIX + "/alerts/{alertId}/release", "alert.release", Permission.LEGAL_HOLD,
                        RECORDED, holds::release))
                .build();
    }
}
