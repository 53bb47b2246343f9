package nl.aware.core.staff;

/**
 * What a staff API route needs. Each route names exactly one; {@link StaffRole} says who holds it.
 * Names are stable: they appear in docs/staff-api.md's matrix.
 */
public enum Permission {
    /** One's own session and password: logout, change it. Every role. */
    OWN_SESSION,
    /** Device status: enrolled or revoked, region, carrier id, last seen, battery. No personal data. */
    READ_DEVICES,
    /** The carrier list with non-personal fields only (id, region, devices). */
    LIST_CARRIERS,
    /** One carrier's full, decrypted record: personal data, every read audited. */
    READ_CARRIER_RECORD,
    /** Alert lists, timelines with locations and follow-up reports: personal data, audited. */
    READ_ALERTS,
    /** Evidence bundles leaving the server: audited. */
    EXPORT_EVIDENCE,
    /** The access audit trail: who read what, who was refused. */
    READ_ACCESS_TRAIL,
    /** Create and disable staff accounts, reset their passwords. */
    MANAGE_ACCOUNTS,
    /**
     * The control-room console of one's own regions (docs/control-room.md): the live queue, an alert's police
     * profile, track and timeline (personal data, every read audited), the lifecycle actions.
     */
    OPERATE_CONSOLE
}
