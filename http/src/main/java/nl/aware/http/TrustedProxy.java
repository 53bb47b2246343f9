package nl.aware.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Whose address a request is: the direct peer, or, only when the direct peer is the configured
 * reverse proxy, the address that proxy appended to {@code X-Forwarded-For} (the last entry: everything
 * before it was written by the client and proves nothing). Used for the access trail and the login
 * throttle. Anything that is not a literal IP address is ignored; no name is ever looked up.
 */
public final class TrustedProxy {
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final TrustedProxy NONE = new TrustedProxy(null);

    private final InetAddress proxy; // null: trust no header

    private TrustedProxy(InetAddress proxy) {
        this.proxy = proxy;
    }

    /** Honour no forwarding header: the client is the direct peer. */
    public static TrustedProxy none() {
        return NONE;
    }

    /** Honour {@code X-Forwarded-For} from this address only. */
    public static TrustedProxy at(InetAddress proxy) {
        return new TrustedProxy(java.util.Objects.requireNonNull(proxy, "proxy"));
    }

    /**
     * Parses a literal IPv4 or IPv6 address, as given to {@code --staff-trusted-proxy}.
     *
     * @throws IllegalArgumentException when it is not a literal address (names are not looked up)
     */
    public static TrustedProxy parse(String literal) {
        return at(literal(literal == null ? "" : literal.strip())
                .orElseThrow(() -> new IllegalArgumentException("a trusted proxy is a literal IP address, e.g. 10.0.0.5")));
    }

    public Optional<InetAddress> address() {
        return Optional.ofNullable(proxy);
    }

    /** The client's address as text (an IP literal; a non-IP peer such as a test channel as its name). */
    public String client(SocketAddress peer, HttpHeaders headers) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(peer);
        }
        InetAddress direct = inet.getAddress();
        if (proxy != null && proxy.equals(direct)) {
            Optional<InetAddress> forwarded = lastForwarded(headers);
            if (forwarded.isPresent()) {
                return forwarded.get().getHostAddress();
            }
        }
        return direct.getHostAddress();
    }

    private static Optional<InetAddress> lastForwarded(HttpHeaders headers) {
        var all = headers.getAll(X_FORWARDED_FOR);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        String header = all.get(all.size() - 1);
        int comma = header.lastIndexOf(',');
        return literal(header.substring(comma + 1).strip());
    }

    private static Optional<InetAddress> literal(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("NetUtil returned an address of 4 or 16 bytes", e);
        }
    }

    @Override
    public String toString() {
        return proxy == null ? "none" : proxy.getHostAddress();
    }
}
