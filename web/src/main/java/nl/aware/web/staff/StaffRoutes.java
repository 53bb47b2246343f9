package nl.aware.web.staff;

import nl.aware.core.staff.Permission;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
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
                            TrailRoutes trail, AlertRoutes alerts) {
        return RouteTable.builder()
                // authentication
                .add(Route.open(POST, PREFIX + "/login", SessionRoutes.LOGIN, session::login))
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
                .add(Route.of(POST, PREFIX + "/alerts/{alertId}/evidence", "evidence.export",
                        Permission.EXPORT_EVIDENCE, RECORDED, alerts::evidence))
                .build();
    }
}
