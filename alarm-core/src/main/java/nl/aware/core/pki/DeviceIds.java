package nl.aware.core.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.OptionalLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Device ids of ADP/1: an unsigned 64-bit number, written as exactly 16 lowercase hex digits
 * (zero-padded). That text is the subject CN of the device's client certificate.
 */
public final class DeviceIds {
    static final int DIGITS = 16;
    private static final int MAX_QUOTED = 40;

    private DeviceIds() {
    }

    /** The canonical form: 16 lowercase hex digits, zero-padded, {@code id} read as unsigned. */
    public static String format(long id) {
        String hex = Long.toHexString(id);
        return "0".repeat(DIGITS - hex.length()) + hex;
    }

    /**
     * Parses exactly 16 hex digits (either case) as an unsigned 64-bit id.
     *
     * @throws IllegalArgumentException if {@code text} is anything else; the message quotes it
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("device id is missing (null); expected exactly 16 hex digits");
        }
        if (!isHex(text, false)) {
            throw new IllegalArgumentException("invalid device id \"" + quote(text) + "\" (" + text.length()
                    + " characters): expected exactly 16 hex digits 0-9a-f, e.g. \"00000000000004d2\"");
        }
        return Long.parseUnsignedLong(text, 16);
    }

    /**
     * The device id named by a certificate's subject: present only if the subject has exactly one
     * CN, in a single-valued RDN, and that CN is exactly 16 <em>lowercase</em> hex digits (the
     * canonical form). Does not check the chain, validity or key usage; the TLS layer does.
     */
    public static OptionalLong fromCertificate(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        return fromSubject(certificate.getSubjectX500Principal().getEncoded());
    }

    /**
     * The device id a certificate in DER names, by the rule of {@link #fromCertificate}, read without parsing
     * the rest of the certificate: the gateway finds a connection's device this way, then compares the bytes
     * with the certificate it holds. Empty when the bytes hold no subject where a certificate has it.
     */
    public static OptionalLong fromCertificateDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        byte[] subject = CertificateDer.subject(der);
        return subject == null ? OptionalLong.empty() : fromSubject(subject);
    }

    private static OptionalLong fromSubject(byte[] subjectDer) {
        try {
            return fromName(X500Name.getInstance(subjectDer));
        } catch (RuntimeException unreadable) {
            // BouncyCastle reads lazily: a malformed name, or a string that is not what its tag says, shows
            // only when read. Neither names a device.
            return OptionalLong.empty();
        }
    }

    private static OptionalLong fromName(X500Name subject) {
        int cnCount = 0;
        String cn = null;
        for (RDN rdn : subject.getRDNs()) {
            for (var atv : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(atv.getType())) {
                    if (rdn.isMultiValued()) {
                        return OptionalLong.empty();
                    }
                    cnCount++;
                    cn = stringValue(atv.getValue());
                }
            }
        }
        if (cnCount != 1 || cn == null || !isHex(cn, true)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseUnsignedLong(cn, 16));
    }

    /** True if {@code text} looks like a device id in any case (used to keep other CNs distinct). */
    static boolean looksLikeDeviceId(String text) {
        return text != null && isHex(text, false);
    }

    private static String stringValue(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : null;
    }

    private static boolean isHex(String text, boolean lowercaseOnly) {
        if (text.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < DIGITS; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (!lowercaseOnly && c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String text) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > MAX_QUOTED) {
            sb.append("...");
        }
        return sb.toString();
    }
}
