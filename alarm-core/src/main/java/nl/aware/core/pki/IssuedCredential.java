package nl.aware.core.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate issued by a {@link CertificateAuthority}, its private key and the issuing CA
 * certificate. {@link #toString()} never includes the private key.
 */
public record IssuedCredential(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

    public IssuedCredential {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * Writes the leaf certificate (PEM) and the PKCS#8 private key (PEM, mode 0600 where supported).
     * Neither file may exist yet: throws {@link java.nio.file.FileAlreadyExistsException} and writes
     * nothing if either does.
     */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        SecureFiles.requireAbsent(certFile, keyFile);
        SecureFiles.writeNew(keyFile, true, Pem.encode(privateKey));
        try {
            SecureFiles.writeNew(certFile, false, Pem.encode(certificate));
        } catch (IOException | RuntimeException e) {
            SecureFiles.deleteQuietly(keyFile, e);
            throw e;
        }
    }

    /**
     * Like {@link #writePem}, but the certificate file holds the chain: the leaf, then its issuer (what a
     * TLS client presents, e.g. dispatch's {@code tls.client.certificate}).
     */
    public void writePemChain(Path certFile, Path keyFile) throws IOException {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        SecureFiles.requireAbsent(certFile, keyFile);
        SecureFiles.writeNew(keyFile, true, Pem.encode(privateKey));
        try {
            SecureFiles.writeNew(certFile, false, Pem.encode(certificate) + Pem.encode(issuer));
        } catch (IOException | RuntimeException e) {
            SecureFiles.deleteQuietly(keyFile, e);
            throw e;
        }
    }

    /**
     * Writes a PKCS#12 key store (JDK format, readable by {@code KeyStore.getInstance("PKCS12")})
     * holding the private key under {@code alias} with the chain (leaf, issuer). The file is
     * created with mode 0600 where supported and must not exist yet.
     */
    public void writePkcs12(Path file, char[] password, String alias) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
        KeyStore store;
        try {
            store = toKeyStore(password, alias);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build PKCS#12 key store for " + file + ": " + e.getMessage(), e);
        }
        SecureFiles.requireAbsent(file);
        SecureFiles.writeNew(file, true, out -> {
            try {
                store.store(out, password);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write PKCS#12 key store " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** An in-memory PKCS#12 key store with the key entry {@code alias} and chain (leaf, issuer). */
    public KeyStore toKeyStore(char[] password, String alias) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot initialise PKCS#12 key store", e);
        }
        store.setKeyEntry(alias, privateKey, password, new Certificate[] {certificate, issuer});
        return store;
    }

    /** The serial number of {@link #certificate()}. */
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    @Override
    public String toString() {
        return "IssuedCredential[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + serial().toString(16) + ", issuer=" + issuer.getSubjectX500Principal().getName()
                + ", privateKey=<redacted>]";
    }
}
