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
    /** Register a carrier after intake, edit the police profile, end the participation: casework. */
    MANAGE_CARRIERS,
    /** Hand out a device to a carrier (certificate from a CSR, or a one-time PKCS#12), replace one. */
    HAND_OUT_DEVICES,
    /** Revoke a device (lost, taken): no personal data, and it must never wait for one particular role. */
    REVOKE_DEVICES,
    /** Place and release a legal hold on an alert (its locations survive the retention purge): for the courts. */
    LEGAL_HOLD,
    /**
     * The control-room console of one's own regions (docs/control-room.md): the live queue, an alert's police
     * profile, track and timeline (personal data, every read audited), the lifecycle actions.
     */
    OPERATE_CONSOLE
}
