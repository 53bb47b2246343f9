package nl.aware.web.staff;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the access trail files as a request's subject: only what the server itself wrote or checked,
 * never text as a caller typed it (a password typed into a URL must not stay in a hash-chained log for
 * ever). The canonical path ids ({@link StaffIds}) when the route has any; otherwise the names of the
 * filter fields used, e.g. {@code filter:device,type}, with names the API does not know counted as
 * {@code other}; empty when neither.
 */
final class StaffSubject {
    /** The query fields of the staff API's routes (docs/staff-api.md). */
    static final Set<String> FILTER_FIELDS = Set.of("carrier", "device", "region", "from", "to", "type", "state",
            "closed", "limit", "user", "subject", "action", "outcome", "offline", "lang", "format");
    static final String OTHER = "other";

    private StaffSubject() {
    }

    static String of(Map<String, String> canonicalIds, Map<String, List<String>> query) {
        if (!canonicalIds.isEmpty()) {
            return String.join("/", canonicalIds.values());
        }
        if (query.isEmpty()) {
            return "";
        }
        Set<String> fields = new TreeSet<>();
        for (String name : query.keySet()) {
            fields.add(FILTER_FIELDS.contains(name) ? name : OTHER);
        }
        return "filter:" + String.join(",", fields);
    }
}
