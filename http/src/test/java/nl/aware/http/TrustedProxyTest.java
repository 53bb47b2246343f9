package nl.aware.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Whose address a request is, with and without a trusted reverse proxy. */
class TrustedProxyTest {
    private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 41000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.7", 41000);

    private static HttpHeaders forwarded(String value) {
        return new DefaultHttpHeaders().add(TrustedProxy.X_FORWARDED_FOR, value);
    }

    @Test
    void configuredProxy_givesTheAddressItAppended() {
        TrustedProxy proxy = TrustedProxy.parse("10.0.0.5");

        assertEquals("198.51.100.23", proxy.client(PROXY, forwarded("198.51.100.23")));
    }

    @Test
    void configuredProxy_ignoresWhatTheClientWroteBeforeIt() {
        TrustedProxy proxy = TrustedProxy.parse("10.0.0.5");

        assertEquals("198.51.100.23", proxy.client(PROXY, forwarded("127.0.0.1, 203.0.113.9,198.51.100.23")));
    }

    @Test
    void headerFromAnyOtherPeer_isIgnored() {
        TrustedProxy proxy = TrustedProxy.parse("10.0.0.5");

        assertEquals("192.0.2.7", proxy.client(STRANGER, forwarded("198.51.100.23")));
    }

    @Test
    void noProxyConfigured_headerIsIgnored() {
        assertEquals("10.0.0.5", TrustedProxy.none().client(PROXY, forwarded("198.51.100.23")));
    }

    @Test
    void forwardedValueThatIsNotAnAddress_fallsBackToThePeer() {
        TrustedProxy proxy = TrustedProxy.parse("10.0.0.5");

        assertEquals("10.0.0.5", proxy.client(PROXY, forwarded("password=hunter2")));
        assertEquals("10.0.0.5", proxy.client(PROXY, forwarded("evil.example")));
    }

    @Test
    void ipv6Proxy_andClient_areUnderstood() {
        TrustedProxy proxy = TrustedProxy.parse("::1");

        assertEquals("2001:db8:0:0:0:0:0:7", proxy.client(new InetSocketAddress("::1", 1), forwarded("2001:db8::7")));
    }

    @Test
    void proxyGivenAsAName_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxy.parse("proxy.local"));
        assertEquals("a trusted proxy is a literal IP address, e.g. 10.0.0.5", e.getMessage());
    }
}
