package nl.aware.core.staff;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A staff account's one role, and the permissions it grants (least privilege): staff do the daily
 * work with carriers, devices and alerts; auditors additionally check who accessed what, export evidence
 * and place legal holds, but change no carrier or device; administrators run the accounts, see devices
 * and the carrier list and may revoke a device, but do not read the personal records themselves.
 * Someone with two duties has two accounts, so the trail says in which capacity they acted. Codes are permanent (they are in the log).
 */
public enum StaffRole {
    STAFF(1, EnumSet.of(Permission.OWN_SESSION, Permission.READ_DEVICES, Permission.LIST_CARRIERS,
            Permission.READ_CARRIER_RECORD, Permission.READ_ALERTS, Permission.MANAGE_CARRIERS,
            Permission.HAND_OUT_DEVICES, Permission.REVOKE_DEVICES)),
    AUDITOR(2, EnumSet.of(Permission.OWN_SESSION, Permission.READ_DEVICES, Permission.LIST_CARRIERS,
            Permission.READ_CARRIER_RECORD, Permission.READ_ALERTS, Permission.EXPORT_EVIDENCE,
            Permission.READ_ACCESS_TRAIL, Permission.LEGAL_HOLD)),
    // Revoking holds nothing personal and a lost device must not wait for a case worker: administrators may too.
    ADMINISTRATOR(3, EnumSet.of(Permission.OWN_SESSION, Permission.READ_DEVICES, Permission.LIST_CARRIERS,
            Permission.MANAGE_ACCOUNTS, Permission.REVOKE_DEVICES)),
    /**
     * A control-room operator (police or an alarm centre acting for it), for the regions the account is given
     * ({@code Event.OperatorRegionsSet}): the console of those regions only, nothing of Kadera's.
     */
    OPERATOR(4, EnumSet.of(Permission.OWN_SESSION, Permission.OPERATE_CONSOLE));

    private final int code;
    private final Set<Permission> permissions;

    StaffRole(int code, EnumSet<Permission> permissions) {
        this.code = code;
        this.permissions = permissions;
    }

    public int code() {
        return code;
    }

    /** What this role may do (for {@code GET /staff/v1/me}, so a console shows only what works). */
    public Set<Permission> permissions() {
        return java.util.Collections.unmodifiableSet(permissions);
    }

    public boolean grants(Permission permission) {
        return permissions.contains(permission);
    }

    /** Lower-case name, as in the API and the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StaffRole ofCode(int code) {
        for (StaffRole role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown staff role code " + code);
    }

    /** Parses {@code staff}, {@code auditor}, {@code administrator} or {@code operator}. */
    public static StaffRole parse(String label) {
        for (StaffRole role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': use staff, auditor, administrator or operator");
    }
}
