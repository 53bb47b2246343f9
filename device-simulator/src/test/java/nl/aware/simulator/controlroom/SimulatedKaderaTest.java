package nl.aware.simulator.controlroom;

import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.work.DispatchItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.UUID;

import static nl.aware.simulator.controlroom.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kadera's receiver over real sockets and TLS: escalations and notices, idempotent. */
class SimulatedKaderaTest {
    private SimulatedKadera kadera;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        kadera = new SimulatedKadera(ReceiverOptions.named("kadera"), Fixtures.SERVER, Fixtures.CA.certificate());
        kadera.start();
        client = Fixtures.client(Fixtures.DISPATCH);
    }

    @AfterEach
    void stop() {
        kadera.close();
    }

    @Test
    void escalation_is201ThenA200Replay() throws Exception {
        DispatchItem alert = Fixtures.panic(UUID.randomUUID(), 0x0000000000c0ffeeL, 1);
        byte[] body = PoliceMessages.escalation(alert, Fixtures.PROFILE, "not accepted by the police within 15 s");
        String key = alert.alertId().toString();

        assertEquals(201, post(client, kadera.baseUrl(), "escalations", key, body).statusCode());
        assertEquals(200, post(client, kadera.baseUrl(), "escalations", key, body).statusCode());

        assertEquals(1, kadera.escalations().size());
        assertEquals("ijsselland", kadera.escalations().get(key).body().path("alert").path("region").asText());
        assertEquals(1, kadera.replays());
        assertEquals(0, kadera.duplicates());
    }

    @Test
    void notice_isStoredUnderItsNoticeId() throws Exception {
        String noticeId = UUID.randomUUID().toString();
        byte[] body = PoliceMessages.json().createObjectNode().put("noticeId", noticeId)
                .put("deviceId", "0000000000c0ffee").put("region", "twente").put("kind", "low_battery")
                .put("battery", 9).put("receiveTime", "2025-01-01T12:00:00Z").toString().getBytes();

        assertEquals(201, post(client, kadera.baseUrl(), "notices", noticeId, body).statusCode());

        assertEquals("low_battery", kadera.notices().get(noticeId).body().path("kind").asText());
        assertEquals(0, kadera.escalations().size());
    }

    @Test
    void idempotencyKeyNotMatchingTheBody_is400() throws Exception {
        byte[] body = PoliceMessages.json().createObjectNode().put("noticeId", "n-1").toString().getBytes();

        assertEquals(400, post(client, kadera.baseUrl(), "notices", "n-2", body).statusCode());
        assertEquals(0, kadera.notices().size());
    }
}
