package nl.aware.core.admin;

/** How a device gets its key: made on the device (a CSR), or made here once and handed over as PKCS#12. */
public sealed interface DeviceRequest {
    /** A PKCS#10 request in PEM; the private key never leaves the device. */
    record Csr(String pem) implements DeviceRequest {
        @Override
        public String toString() {
            return "Csr";
        }
    }

    /** For a device that cannot make a key: a one-time PKCS#12 file whose password is shown once; nothing kept. */
    record Pkcs12() implements DeviceRequest {
    }
}
