package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.dispatch.police.PoliceMessages;

/**
 * What a simulated receiver does with one complete request. Runs on the receiver's single route
 * thread (never on a Netty I/O thread), so it may take a lock but must not wait on the network.
 */
@FunctionalInterface
interface Route {
    Reply handle(Request request);

    /** A request as the route sees it: the path without query, the Idempotency-Key header (or null), the raw body. */
    record Request(String method, String path, String idempotencyKey, byte[] body) {
    }

    /** An answer: the HTTP status and a JSON body (never empty: at least {@code {}}). */
    record Reply(int status, JsonNode body) {
        static Reply of(int status, JsonNode body) {
            return new Reply(status, body);
        }

        static Reply empty(int status) {
            return new Reply(status, PoliceMessages.json().createObjectNode());
        }

        static Reply error(int status, String message) {
            ObjectNode body = PoliceMessages.json().createObjectNode();
            body.put("error", message);
            return new Reply(status, body);
        }
    }
}
