package nl.aware.web.staff;

import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.StaffDirectory;
import nl.aware.http.StrictUuid;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place where the staff API reads an id a caller typed. Ids are parsed strictly and given back
 * in their canonical form, the only form that reaches a route or the access trail: a UUID as 36
 * lower-case characters (upper-case hex is accepted and lowered; {@code 1-1-1-1-1}, braces or missing
 * dashes are refused), a device id as exactly 16 hex digits (lowered), an account name by the account
 * rules. A path parameter is named for its kind: {@code carrierId}, {@code alertId} and any other
 * {@code ...Id} but {@code deviceId} are UUIDs.
 */
public final class StaffIds {
    /** Any other path parameter: a short plain token, so that nothing else can reach the trail. */
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9._-]{1,64}");

    private StaffIds() {
    }

    /** A UUID in its canonical 36-character form, or a 400 that says what one looks like. */
    public static UUID uuid(String text, String what) {
        return StrictUuid.parse(text).orElseThrow(() -> StaffApiException.badRequest(
                what + " is a UUID of 36 characters, e.g. 0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10"));
    }

    /** A device id: exactly 16 hex digits, or a 400. */
    public static long device(String text) {
        try {
            return DeviceIds.parse(text);
        } catch (IllegalArgumentException e) {
            throw StaffApiException.badRequest("a device id is exactly 16 hex digits, e.g. 00a1b2c3d4e5f601");
        }
    }

    /** The path parameters in canonical form, in order; a 400 for the first that is malformed. */
    static Map<String, String> canonical(Map<String, String> parameters) {
        Map<String, String> canonical = new LinkedHashMap<>();
        parameters.forEach((name, value) -> canonical.put(name, canonical(name, value)));
        return canonical;
    }

    private static String canonical(String name, String value) {
        if (name.equals("deviceId")) {
            return DeviceIds.format(device(value));
        }
        if (name.endsWith("Id")) {
            return uuid(value, name).toString();
        }
        if (name.equals("username")) {
            String invalid = StaffDirectory.invalidUsername(value);
            if (invalid != null) {
                throw StaffApiException.badRequest(invalid);
            }
            return value;
        }
        if (!TOKEN.matcher(value).matches()) {
            throw StaffApiException.badRequest(name + " is 1 to 64 lower-case letters, digits, '.', '_' or '-'");
        }
        return value;
    }
}
