package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpMethod;
import nl.aware.core.staff.Permission;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTableTest {
    private static final Route.Handler NOTHING = request -> CompletableFuture.completedFuture(StaffResponse.noContent());
    private final RouteTable table = RouteTable.builder()
            .add(Route.of(HttpMethod.GET, "/staff/v1/carriers", "carrier.list", Permission.LIST_CARRIERS,
                    Route.Audit.NOT_RECORDED, NOTHING))
            .add(Route.of(HttpMethod.GET, "/staff/v1/carriers/{carrierId}", "carrier.read",
                    Permission.READ_CARRIER_RECORD, Route.Audit.RECORDED, NOTHING))
            .build();

    @Test
    void pathParameter_matchesOneSegment() {
        RouteTable.Lookup.Found found = assertInstanceOf(RouteTable.Lookup.Found.class,
                table.find(HttpMethod.GET, "/staff/v1/carriers/abc"));

        assertEquals("carrier.read", found.match().route().action());
        assertEquals(Map.of("carrierId", "abc"), found.match().parameters());
    }

    @Test
    void moreOrFewerSegments_orAnEmptyParameter_matchNothing() {
        assertInstanceOf(RouteTable.Lookup.NotFound.class, table.find(HttpMethod.GET, "/staff/v1/carriers/abc/more"));
        assertInstanceOf(RouteTable.Lookup.NotFound.class, table.find(HttpMethod.GET, "/staff/v1/carriers/"));
        assertInstanceOf(RouteTable.Lookup.NotFound.class, table.find(HttpMethod.GET, "/staff/v1"));
    }

    @Test
    void knownPathWithAnotherMethod_isWrongMethod() {
        RouteTable.Lookup.WrongMethod wrong = assertInstanceOf(RouteTable.Lookup.WrongMethod.class,
                table.find(HttpMethod.DELETE, "/staff/v1/carriers"));

        assertEquals(List.of(HttpMethod.GET), wrong.allowed());
    }

    @Test
    void twoRoutesForTheSameMethodAndPath_areRefused() {
        RouteTable.Builder builder = RouteTable.builder().add(Route.open(HttpMethod.POST, "/staff/v1/login", "a", NOTHING));

        assertThrows(IllegalArgumentException.class,
                () -> builder.add(Route.open(HttpMethod.POST, "/staff/v1/login", "b", NOTHING)));
    }
}
